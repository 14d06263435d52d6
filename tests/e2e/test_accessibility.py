"""axe-core on every kind of public page, in a real browser: zero violations
of the WCAG 2.2 A and AA rules. The article with comments, with a form error
and the moderators' admin pages are checked inside the journeys."""

import pytest

from articles.demo import SMART_CITY_SLUG
from articles.models import Section
from events.demo import RENCONTRES_SLUG
from tests.e2e.conftest import assert_accessible


def public_pages():
    return {
        "accueil": "/",
        "article sans commentaire": f"/articles/{SMART_CITY_SLUG}/",
        "rubrique": lambda: Section.objects.order_by("position").first().get_absolute_url(),
        "recherche": "/recherche/?q=m%C3%A9tropoles",
        "recherche sans résultat": "/recherche/?q=zzzzzz",
        "agenda": "/evenements/",
        "archives de l'agenda": "/evenements/archives/",
        "événement": f"/evenements/{RENCONTRES_SLUG}/",
        "page introuvable": "/cette-page-n-existe-pas/",
    }


@pytest.mark.parametrize("name", list(public_pages()))
def test_public_page_has_no_accessibility_violation(page, demo_site, problems, name):
    path = public_pages()[name]
    path = path() if callable(path) else path
    problems.watch(page, expected_statuses=(404,) if name == "page introuvable" else ())

    response = page.goto(demo_site.url + path)

    assert response.status == (404 if name == "page introuvable" else 200)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_dark_theme_and_phone_width_keep_the_home_page_accessible(browser, demo_site, problems):
    context = browser.new_context(color_scheme="dark", viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = problems.watch(context.new_page())

    page.goto(demo_site.url + "/")

    no_horizontal_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_horizontal_scroll
    assert_accessible(page)
    context.close()
