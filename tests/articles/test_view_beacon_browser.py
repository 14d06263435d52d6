"""The view counter as a real browser drives it: the article page's script
sends its beacon and the read is counted."""

import os
import shutil
import time

import pytest

from articles.models import ArticleDailyView
from tests.conftest import make_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

READER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser_page(monkeypatch):
    if not CHROMIUM:
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("Chromium is required for the browser journeys")
        pytest.skip("no Chromium on this machine")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of
    # the test itself are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        # A reader's browser: "HeadlessChrome" is, rightly, ignored as a robot.
        yield browser.new_page(user_agent=READER_USER_AGENT)
        browser.close()


def wait_for_reads(article, expected, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = ArticleDailyView.objects.filter(article=article).first()
        if row and row.count >= expected:
            return row.count
        time.sleep(0.1)
    row = ArticleDailyView.objects.filter(article=article).first()
    return row.count if row else 0


def test_opening_an_article_in_a_browser_counts_one_read(live_server, browser_page):
    article = make_article(title="Lu dans un navigateur")

    browser_page.goto(f"{live_server.url}{article.get_absolute_url()}")

    assert browser_page.locator("h1").inner_text() == "Lu dans un navigateur"
    assert wait_for_reads(article, 1) == 1
