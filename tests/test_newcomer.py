"""The newcomer's first five minutes: `make run` on any port, what it prints."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def site_url_with(**variables):
    """SITE_URL as a fresh process computes it from these environment variables."""
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    env.update(variables, DJANGO_SETTINGS_MODULE="newsroom.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def test_site_url_is_where_make_run_serves_by_default():
    assert site_url_with() == "http://127.0.0.1:8000"


def test_site_url_follows_the_port_of_make_run():
    assert site_url_with(PORT="8700") == "http://127.0.0.1:8700"


def test_site_url_on_every_interface_is_this_machines_address():
    assert site_url_with(HOST="0.0.0.0", PORT="8700")  # noqa: S104 == "http://127.0.0.1:8700"


def test_site_url_set_explicitly_wins_over_host_and_port():
    assert site_url_with(SITE_URL="https://news.example.org/", PORT="8700") == "https://news.example.org"


def make_dry_run(*arguments):
    """What `make` would run (`make -n`), without running it."""
    command = ["make", "-n", *arguments]  # noqa: S607 (the newcomer's `make`, from PATH)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    return result.stdout


def test_make_run_on_another_port_tells_the_demo_and_the_server():
    commands = make_dry_run("run", "PORT=8700")

    assert "HOST=127.0.0.1 PORT=8700 .venv/bin/python manage.py load_demo\n" in commands
    assert "HOST=127.0.0.1 PORT=8700 .venv/bin/python manage.py runserver 127.0.0.1:8700\n" in commands


def test_make_says_what_it_does_before_the_silent_installation():
    commands = make_dry_run("-W", "requirements.txt", "install")

    progress = commands.index('echo "Installation des dépendances Python dans .venv')
    assert progress < commands.index("pip install --quiet -r requirements.txt")


def test_make_passwords_resets_the_demo_passwords():
    assert "manage.py load_demo --reset-passwords\n" in make_dry_run("passwords")


@pytest.fixture
def load_demo(settings):
    settings.DEBUG = True  # load_demo refuses to run with DEBUG off
    settings.SITE_URL = "http://127.0.0.1:8700"

    def run(*arguments):
        out = io.StringIO()
        call_command("load_demo", *arguments, stdout=out)
        return out.getvalue()

    return run


@pytest.mark.django_db
def test_first_load_prints_the_passwords_with_the_admin_address_and_the_reset_command(load_demo):
    output = load_demo()

    assert "Comptes de démonstration (mots de passe affichés une seule fois) :" in output
    assert "identifiant « editeur », mot de passe « " in output
    assert "identifiant « moderateur », mot de passe « " in output
    assert "Site : http://127.0.0.1:8700/ — administration : http://127.0.0.1:8700/admin/\n" in output
    assert "Nouveaux mots de passe pour les comptes de démonstration : make passwords\n" in output


@pytest.mark.django_db
def test_second_load_prints_no_password_and_no_zero_count(load_demo):
    load_demo()

    output = load_demo()

    assert "mot de passe « " not in output
    assert "Comptes de démonstration « redacteur », « editeur » et « moderateur » : déjà créés.\n" in output
    assert "Commentaires de démonstration : déjà en place.\n" in output
    assert " 0 " not in output
    assert "administration : http://127.0.0.1:8700/admin/" in output


@pytest.mark.django_db
def test_reset_passwords_gives_new_ones_that_work(load_demo, client):
    load_demo()

    output = load_demo("--reset-passwords")

    password = output.split("identifiant « editeur », mot de passe « ")[1].split(" »")[0]
    assert get_user_model().objects.get(username="editeur").check_password(password)
