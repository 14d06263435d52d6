"""What the design promises, measured in the browser: the sidebars fall below
the article on a phone, nothing overflows at 320 px, and an article prints
alone, without navigation, sidebars or comment form."""

import pytest

from articles.demo import SMART_CITY_SLUG
from events.demo import RENCONTRES_SLUG

ARTICLE = f"/articles/{SMART_CITY_SLUG}/"


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_sidebar_is_beside_the_article_on_a_desktop_and_below_it_on_a_phone(browser, demo_site):
    for width, beside in [(1366, True), (390, False)]:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
        page = context.new_page()
        page.goto(demo_site.url + ARTICLE)

        article, sidebar = box(page, "article.article"), box(page, "aside.sidebar")

        if beside:
            assert sidebar["x"] >= article["x"] + article["width"]
            assert sidebar["y"] < article["y"] + article["height"]
        else:
            assert sidebar["y"] >= article["y"] + article["height"]
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        ARTICLE,
        f"/evenements/{RENCONTRES_SLUG}/",
        "/evenements/",
        "/evenements/intervenants/gerard-bramoule/",
        "/confidentialite/",
    ],
)
def test_nothing_overflows_a_320_px_screen(browser, demo_site, path):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()

    page.goto(demo_site.url + path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_an_article_prints_alone(page, demo_site):
    page.goto(demo_site.url + ARTICLE)

    page.emulate_media(media="print")

    for hidden in [".section-nav", ".masthead-search", "aside.sidebar", "#comment-form"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ["h1.article-title", ".standfirst", ".article-body", ".article-figure"]:
        assert page.locator(shown).first.is_visible(), shown
