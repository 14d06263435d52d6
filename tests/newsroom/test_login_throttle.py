"""Password guessing on /admin/login/ is throttled by django-axes (issue 9, item 2)."""

import html
import io
import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
RIGHT = "motdepasse-editrice"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Each attempt hashes a password: the production hasher would make these
    # tests take a minute for nothing they check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, password, *, ip="203.0.113.50", username="editrice", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def fail_five_times(client, **kwargs):
    """Five wrong passwords: the first four get the login form again, the
    fifth locks the pair and already answers with the lock-out page."""
    statuses = [login(client, "mauvais", **kwargs).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_after_five_wrong_passwords_the_sixth_attempt_is_refused_with_429_even_with_the_right_one(
    client, editor, caplog
):
    caplog.set_level(logging.WARNING, logger="axes")
    fail_five_times(client)

    response = login(client, RIGHT)

    page = html.unescape(response.content.decode())
    assert response.status_code == 429
    assert "Trop d'essais de connexion : après 5 mots de passe erronés, ce compte est bloqué" in page
    assert "Réessayez dans 15 minutes" in page
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    lockouts = [record.getMessage() for record in caplog.records if "Locking out" in record.getMessage()]
    assert lockouts
    assert 'username: "editrice"' in lockouts[0] and 'ip_address: "203.0.113.50"' in lockouts[0]


def test_after_the_cool_off_the_right_password_works_again(client, editor):
    fail_five_times(client)
    assert login(client, RIGHT).status_code == 429
    # Fifteen minutes and one second later.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=15, seconds=1))

    response = login(client, RIGHT)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_lock_holds_one_username_from_one_address_only(client, editor, moderator):
    fail_five_times(client)

    assert login(client, RIGHT, ip="198.51.100.60").status_code == 302
    client.logout()
    assert login(client, "motdepasse-moderatrice", username="moderatrice").status_code == 302


def test_behind_the_proxy_the_lock_follows_the_forwarded_address(client, editor, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    fail_five_times(client, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.70")

    assert login(client, RIGHT, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.70").status_code == 429
    assert login(client, RIGHT, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.71").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.70"}


def test_a_success_before_the_limit_clears_the_failures(client, editor):
    for _ in range(4):
        login(client, "mauvais")
    assert login(client, RIGHT).status_code == 302
    client.logout()

    for _ in range(4):
        login(client, "mauvais")

    assert login(client, RIGHT).status_code == 302


def test_an_administrator_unlocks_an_account_with_axes_reset_username(client, editor):
    fail_five_times(client)

    call_command("axes_reset_username", "editrice", stdout=io.StringIO())

    assert login(client, RIGHT).status_code == 302
