"""axe-core on every kind of public page, in a real browser: zero violations
of the WCAG 2.2 A and AA rules. The article with comments, with a form error
and the moderators' admin pages are checked inside the journeys."""

import pytest
from playwright.sync_api import expect

from articles.demo import SMART_CITY_SLUG
from articles.models import Section
from events.demo import FORUM_SLUG, RENCONTRES_SLUG
from tests.e2e.conftest import assert_accessible, axe_violations, log_into_admin


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
        "événement annoncé (le Forum)": f"/evenements/{FORUM_SLUG}/",
        "intervenant": "/evenements/intervenants/lluis-sanz-marco/",
        "mentions légales": "/mentions-legales/",
        "politique de confidentialité": "/confidentialite/",
        "déclaration d'accessibilité": "/accessibilite/",
        "contact": "/contact/",
        "page introuvable": "/cette-page-n-existe-pas/",
        "rectificatifs": "/rectificatifs/",
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


def first_pk(model_path):
    from django.apps import apps

    return apps.get_model(model_path).objects.order_by("pk").values_list("pk", flat=True)[0]


ADMIN_PAGES = {
    "Rédaction": [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        lambda: f"/admin/articles/article/{first_pk('articles.Article')}/change/",
        "/admin/events/event/",
        "/admin/events/event/add/",
        lambda: f"/admin/events/event/{first_pk('events.Event')}/change/",
        lambda: f"/admin/events/programmeitem/{first_pk('events.ProgrammeItem')}/change/",
        "/admin/events/venue/add/",
        "/admin/events/person/add/",
        lambda: f"/admin/events/person/{first_pk('events.Person')}/change/",
        "/admin/pages/page/",
        lambda: f"/admin/pages/page/{first_pk('pages.Page')}/change/",
    ],
    "Rédaction en chef": [
        "/admin/audit/auditentry/",
        "/admin/redirects/redirect/",
        "/admin/redirects/redirect/add/?old_path=%2Fancien-lien%2F",
        "/admin/redirects/notfoundpath/",
        "/admin/articles/correction/",
        lambda: f"/admin/articles/correction/add/?article={first_pk('articles.Article')}",
        lambda: f"/admin/articles/article/{first_pk('articles.Article')}/history/",
        lambda: f"/admin/events/event/{first_pk('events.Event')}/history/",
    ],
    "Modération": [
        "/admin/comments/comment/",
        "/admin/comments/moderationword/",
        "/admin/comments/moderationword/add/",
        "/admin/comments/comment/donnees-personnelles/",
    ],
}


@pytest.mark.parametrize("group", list(ADMIN_PAGES))
def test_admin_pages_of_the_newsroom_have_no_accessibility_violation(page, demo_site, problems, group):
    """Django's admin with our fixes (js/admin/accessibility.js names the
    controls of inlines, select2 and the rich-text editor; css/admin/site.css
    enlarges small links)."""
    problems.watch(page)
    log_into_admin(page, demo_site.url, demo_site.accounts[group])

    for path in ADMIN_PAGES[group]:
        page.goto(demo_site.url + (path() if callable(path) else path))
        expect(page.locator("#site-name")).to_be_visible()
        page.wait_for_load_state("networkidle")

        assert (page.url, axe_violations(page)) == (page.url, [])
