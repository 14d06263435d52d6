"""Browser journeys: Playwright driving Debian's Chromium against a live server.

The browser is never downloaded: Playwright launches `/usr/bin/chromium`
(override with CHROMIUM_PATH). Without it the journeys are skipped with a
clear reason, except when E2E_REQUIRED is set (CI), where they fail.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by the tests themselves (fixtures, assertions) are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_REQUIRED = bool(os.environ.get("E2E_REQUIRED"))
HAVE_CHROMIUM = Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark the journeys, skip them without Chromium, and run them last.

    They use a live server, so the database is flushed after each one. pytest
    regroups tests parametrised by Playwright's session-scoped `browser_name`
    after pytest-django has put transactional tests last, which would let a
    flush wipe the groups and permissions that data migrations made for the
    tests that follow; moving the journeys to the end keeps them apart."""
    here = Path(__file__).parent
    journeys = [item for item in items if Path(str(item.fspath)).is_relative_to(here)]
    items[:] = [item for item in items if item not in journeys] + journeys
    for item in journeys:
        item.add_marker(pytest.mark.e2e)
        if not HAVE_CHROMIUM and not E2E_REQUIRED:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"Parcours navigateur ignorés : Chromium introuvable ({CHROMIUM}). "
                    "Installez le paquet Debian `chromium` pour les lancer."
                )
            )


def pytest_terminal_summary(terminalreporter):
    if not HAVE_CHROMIUM and not E2E_REQUIRED:
        terminalreporter.write_line(
            "ATTENTION : les parcours navigateur (tests/e2e) ont été ignorés, "
            f"Chromium est absent ({CHROMIUM}).",
            yellow=True,
        )


@pytest.fixture(autouse=True)
def _shared_page_cache(settings):
    """The live server's transactions commit, so the server-side page cache
    and its invalidations run as in production (tests/conftest.py turns the
    cache off for the other tests)."""
    settings.PAGE_CACHE_TIMEOUT = 600


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def demo_site(django_db_serialized_rollback, live_server, transactional_db, settings):
    """The live server with the demo content loaded, and staff accounts with
    known passwords: « Rédaction » (also in « Rédaction en chef », as the demo's
    `editeur`), « Modération », « Rédacteur » and « Rédaction en chef »."""
    settings.DEBUG = False
    # The database was flushed and reloaded behind Django's in-memory cache of
    # content types (PostgreSQL gives them new ids): the journal and the
    # revisions name objects by content type, so that cache must start afresh.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    call_command("load_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    accounts = {}
    for username, groups in [
        ("e2e-editeur", ["Rédaction", "Rédaction en chef"]),
        ("e2e-moderateur", ["Modération"]),
        ("e2e-redacteur", ["Rédacteur"]),
        ("e2e-chef", ["Rédaction en chef"]),
    ]:
        user = User.objects.create_user(username, password=f"{username}-Mot2passe!", is_staff=True)
        user.groups.add(*Group.objects.filter(name__in=groups))
        accounts[groups[-1] if username == "e2e-chef" else groups[0]] = (username, f"{username}-Mot2passe!")
    live_server.accounts = accounts
    return live_server


class BrowserProblems:
    """Collects what must never happen in a journey: a JavaScript error, a
    Content-Security-Policy violation, a failed request."""

    def __init__(self):
        self.problems = []

    def watch(self, page, *, expected_statuses=()):
        page.on("console", lambda message: self._on_console(message, expected_statuses))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", lambda response: self._on_response(response, expected_statuses))
        return page

    def _on_console(self, message, expected_statuses):
        expected = any(f"status of {status} " in message.text for status in expected_statuses)
        if expected and "Content-Security-Policy" not in message.text:
            return
        if message.type == "error" or "Content-Security-Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _on_request_failed(self, request):
        # The browser cancels what a page was still loading when it navigates
        # away or closes (the admin's « + » popup closes itself at once):
        # net::ERR_ABORTED is not a failure of the site. A CSP block shows in
        # the console, an HTTP error in the response.
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"failed: {request.url} ({request.failure})")

    def _on_response(self, response, expected_statuses):
        if response.status >= 400 and response.status not in expected_statuses:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def problems():
    watcher = BrowserProblems()
    yield watcher
    assert watcher.problems == []


AXE_SCRIPT = None


def axe_violations(page):
    """Run axe-core (from the axe-playwright-python package, injected with
    page.evaluate, which the CSP allows) against WCAG 2.2 A/AA rules."""
    global AXE_SCRIPT
    if AXE_SCRIPT is None:
        import axe_playwright_python

        AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return result


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=2)


def log_into_admin(page, base_url, credentials):
    """Log in through the admin's login form, as a member of the newsroom does."""
    from playwright.sync_api import expect

    username, password = credentials
    page.goto(base_url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("#site-name")).to_have_text("Newsroom — administration")
