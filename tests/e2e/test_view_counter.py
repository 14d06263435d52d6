"""The view counter as a real browser drives it: the article page's script
sends its beacon after load and the read is counted once."""

import time

import pytest

from articles.models import ArticleDailyView
from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A reader's browser: "HeadlessChrome" is, rightly, ignored as a robot.
READER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)


def reads_of(article, *, at_least, timeout=5):
    """The article's reads today, waiting up to `timeout` seconds for the
    beacon (sent after the page has loaded) to reach at least `at_least`."""
    deadline = time.monotonic() + timeout
    while True:
        count = sum(ArticleDailyView.objects.filter(article=article).values_list("count", flat=True))
        if count >= at_least or time.monotonic() > deadline:
            return count
        time.sleep(0.1)


def test_opening_an_article_in_a_browser_counts_one_read(live_server, browser, problems):
    article = make_article(title="Lu dans un navigateur")
    context = browser.new_context(user_agent=READER_USER_AGENT, locale="fr-FR")
    page = problems.watch(context.new_page())

    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    assert page.locator("h1").inner_text() == "Lu dans un navigateur"
    assert reads_of(article, at_least=1) == 1
    context.close()
