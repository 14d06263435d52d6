"""What a deployer copies (deploy/, .env.production.example) and the
settings the environment builds for several servers (issue 13).

Settings are read once per process: each case runs Django in a subprocess
with its own environment.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.stack.conftest import load_stack_script

ROOT = Path(__file__).resolve().parents[2]
SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "storage": settings.STORAGES["default"],
    "media_url": settings.MEDIA_URL,
    "serve_media": settings.SERVE_MEDIA,
    "img_src": settings.SECURE_CSP["img-src"],
    "databases": {alias: db.get("TEST", {}).get("MIRROR") for alias, db in settings.DATABASES.items()},
    "replicas": settings.DATABASE_REPLICAS,
    "routers": settings.DATABASE_ROUTERS,
    "middleware": settings.MIDDLEWARE[:2],
    "mailer": settings.MAILERS["default"],
}, default=str))
"""


def settings_with(tmp_path, **variables):
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "MEDIA_", "EMAIL_"))
    }
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **variables})
    if "DATABASE_REPLICA_URLS" not in variables:
        env.pop("DATABASE_REPLICA_URLS", None)
    answer = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def production_example():
    """.env.production.example as a dict, every <…> filled with a dummy value."""
    values = {}
    for line in (ROOT / ".env.production.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = re.sub(r"<[^>]+>", lambda _: secrets.token_urlsafe(50), value)
    return values


def test_a_bucket_puts_media_on_object_storage_with_its_public_address(tmp_path):
    shown = settings_with(
        tmp_path,
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        AWS_S3_REGION_NAME="fr-par",
        MEDIA_PUBLIC_URL="https://media.example.org/",
    )

    assert shown["storage"]["BACKEND"] == "newsroom.storage.MediaStorage"
    assert {
        key: shown["storage"]["OPTIONS"][key] for key in ("bucket_name", "custom_domain", "url_protocol")
    } == {
        "bucket_name": "newsroom-media",
        "custom_domain": "media.example.org",
        "url_protocol": "https:",
    }
    assert shown["storage"]["OPTIONS"]["querystring_auth"] is False
    assert shown["media_url"] == "https://media.example.org/"
    assert shown["serve_media"] is False
    assert shown["img_src"] == ["'self'", "data:", "https://media.example.org"]


def test_a_bucket_without_a_public_address_is_refused_at_start(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.update({"AWS_STORAGE_BUCKET_NAME": "newsroom-media", "MEDIA_PUBLIC_URL": ""})

    answer = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert answer.returncode == 1
    assert "MEDIA_PUBLIC_URL must be set with AWS_STORAGE_BUCKET_NAME" in answer.stderr


def test_without_a_bucket_media_stay_on_the_local_disk(tmp_path):
    shown = settings_with(tmp_path)

    assert shown["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert (shown["media_url"], shown["serve_media"], shown["img_src"]) == (
        "/media/",
        True,
        ["'self'", "data:"],
    )


def test_replica_urls_become_aliases_read_by_anonymous_readers(tmp_path):
    shown = settings_with(
        tmp_path,
        DATABASE_REPLICA_URLS=f"sqlite:///{tmp_path / 'r1.sqlite3'}, sqlite:///{tmp_path / 'r2.sqlite3'}",
    )

    assert shown["databases"] == {"default": None, "replica_1": "default", "replica_2": "default"}
    assert shown["replicas"] == ["replica_1", "replica_2"]
    assert shown["routers"] == ["newsroom.db_router.ReplicaRouter"]
    assert shown["middleware"][1] == "newsroom.db_router.replica_reads_middleware"


def test_email_file_path_writes_every_message_to_files(tmp_path):
    shown = settings_with(tmp_path, EMAIL_FILE_PATH=str(tmp_path / "mail"))

    assert shown["mailer"] == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(tmp_path / "mail")},
    }


def test_the_production_example_passes_the_deploy_check(tmp_path):
    env = {**os.environ, **production_example(), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env["STATIC_ROOT"] = str(tmp_path / "static")
    # Set in this process by the browser journeys' live server, never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    answer = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert answer.returncode == 0, answer.stderr
    assert "System check identified no issues" in answer.stdout


@pytest.mark.parametrize("unit", ["newsroom-gunicorn.service", "newsroom-worker.service"])
def test_the_systemd_units_restart_and_read_the_shared_environment(unit):
    text = (ROOT / "deploy" / "systemd" / unit).read_text()

    assert "EnvironmentFile=/etc/newsroom/newsroom.env" in text
    assert "Restart=always" in text
    assert "WorkingDirectory=/srv/newsroom" in text


def test_the_stack_renders_the_shipped_nginx_file_with_one_server_line_per_app_server():
    stack = load_stack_script()
    rendered = (
        "upstream newsroom_app {\n"
        "    server 127.0.0.1:8481 max_fails=1 fail_timeout=5s;\n"
        "    keepalive 32;\n}\n"
    )

    site = stack.several_upstreams(rendered, ["127.0.0.1:8481", "127.0.0.1:8482"])

    assert site == (
        "upstream newsroom_app {\n"
        "    server 127.0.0.1:8481 max_fails=1 fail_timeout=5s;\n"
        "    server 127.0.0.1:8482 max_fails=1 fail_timeout=5s;\n"
        "    keepalive 32;\n}\n"
    )
    shipped = (ROOT / "deploy" / "nginx" / "newsroom.conf").read_text()
    assert "proxy_next_upstream error timeout http_502 http_503 http_504;" in shipped
    assert "server ${NEWSROOM_UPSTREAM} max_fails=1 fail_timeout=5s;" in shipped


def test_the_stacks_nginx_configuration_passes_nginx_t(tmp_path, monkeypatch):
    stack = load_stack_script()
    if not Path(stack.nginx_binary()).exists():
        pytest.skip("nginx absent : apt-get install nginx pour vérifier la configuration de la pile")
    monkeypatch.setattr(stack, "VAR", tmp_path)

    stack.write_nginx_config()
    folder = tmp_path / "nginx"
    answer = subprocess.run(
        [stack.nginx_binary(), "-t", "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        capture_output=True,
        text=True,
    )

    assert answer.returncode == 0, answer.stderr
    site = (folder / "newsroom.conf").read_text()
    assert re.findall(r"^\s*server (127\.0\.0\.1:\d+) max_fails=1 fail_timeout=5s;$", site, re.M) == [
        f"127.0.0.1:{stack.PORTS['app-a']}",
        f"127.0.0.1:{stack.PORTS['app-b']}",
    ]
