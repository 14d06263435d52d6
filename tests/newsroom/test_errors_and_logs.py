"""Errors reach someone, and logs say which request they belong to (issue 9, item 16)."""

import html
import io
import json
import logging.config

import pytest
from django.conf import settings as django_settings

from newsroom.logs import logging_config

pytestmark = pytest.mark.django_db

REQUEST_ID = "0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e0f"


@pytest.fixture
def failing(client):
    client.raise_request_exception = False
    return client


@pytest.mark.urls("tests.newsroom.urls_failing")
def test_a_500_mails_the_admins_set_in_the_environment_and_says_so(failing, settings, mailoutbox):
    settings.ADMINS = ["astreinte@example.org"]

    response = failing.get("/panne/", HTTP_X_REQUEST_ID=REQUEST_ID)

    page = html.unescape(response.content.decode())
    assert response.status_code == 500
    assert "La rédaction technique a été prévenue." in page
    assert f"avec cette référence : {REQUEST_ID}" in page
    assert [message.to for message in mailoutbox] == [["astreinte@example.org"]]
    assert "RuntimeError" in mailoutbox[0].body and "panne simulée" in mailoutbox[0].body


@pytest.mark.urls("tests.newsroom.urls_failing")
def test_without_admins_the_500_page_does_not_claim_anyone_was_told(failing, settings, mailoutbox):
    settings.ADMINS = []

    response = failing.get("/panne/")

    page = html.unescape(response.content.decode())
    assert response.status_code == 500
    assert "prévenue" not in page
    assert "Merci de réessayer dans quelques instants." in page
    assert mailoutbox == []


def test_admins_are_read_from_the_environment(monkeypatch):
    import importlib

    import newsroom.settings

    monkeypatch.setenv("DJANGO_ADMINS", "Astreinte <astreinte@example.org>, dev@example.org")
    try:
        reloaded = importlib.reload(newsroom.settings)
        assert reloaded.ADMINS == ["Astreinte <astreinte@example.org>", "dev@example.org"]
    finally:
        monkeypatch.delenv("DJANGO_ADMINS")
        importlib.reload(newsroom.settings)


@pytest.fixture
def json_logs():
    """Production logging; what its stdout handler writes is returned."""
    logging.config.dictConfig(logging_config(log_format="json"))
    written = io.StringIO()
    logging.getLogger("django").handlers[0].setStream(written)
    yield written
    logging.config.dictConfig(django_settings.LOGGING)


def test_production_logs_are_json_lines_carrying_the_request_id(client, json_logs):
    response = client.get("/page-qui-n-existe-pas/", HTTP_X_REQUEST_ID=REQUEST_ID)

    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert response.status_code == 404
    assert response["X-Request-ID"] == REQUEST_ID
    assert len(not_found) == 1
    assert not_found[0]["level"] == "WARNING"
    assert not_found[0]["message"] == "Not Found: /page-qui-n-existe-pas/"
    assert not_found[0]["request_id"] == REQUEST_ID
    assert not_found[0]["time"]


def test_a_request_without_an_id_gets_one(client):
    response = client.get("/robots.txt")

    assert len(response["X-Request-ID"]) == 32
