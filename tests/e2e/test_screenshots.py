"""`make screenshots`: pictures of the main pages on a phone and a desktop,
written to docs/screenshots/ for the README. Not part of `make test`."""

from pathlib import Path

import pytest

from articles.demo import SMART_CITY_SLUG
from articles.models import Article

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

pytestmark = pytest.mark.screenshots


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_take_screenshots(browser, demo_site, viewport):

    OUT.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    article = Article.objects.get(slug=SMART_CITY_SLUG)
    pages = {"home": "/", "article": article.get_absolute_url(), "events": "/evenements/"}
    for name, path in pages.items():
        page.goto(demo_site.url + path)
        page.screenshot(path=OUT / f"{name}-{viewport}.png", full_page=name != "home")
    context.close()
