"""What issue 12 gives readers, in a real browser: the event box told from
the programme (compact on a phone), a speaker's page, registration, and the
footer's trust pages — each free of axe-core violations."""

import re

import pytest
from playwright.sync_api import expect

from articles.demo import SMART_CITY_SLUG
from events.demo import FORUM_SLUG, RENCONTRES_SLUG
from tests.e2e.conftest import assert_accessible

ARTICLE = f"/articles/{SMART_CITY_SLUG}/"
SPEAKERS = ["Lluis Sanz Marco", "Daniel Sperling", "Gérard Bramoulé"]


@pytest.mark.parametrize("width", [390, 1366])
def test_event_box_tells_the_programme_without_a_click_and_stays_compact_on_a_phone(
    browser, demo_site, width
):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(demo_site.url + ARTICLE)

    event_box = page.locator(".event-box")
    items = event_box.locator(".event-box-item")
    expect(items).to_have_count(2)
    expect(items.locator(".event-box-time")).to_have_text(["10 h", "11 h 30"])
    expect(items.first.locator(".event-box-people a")).to_have_text(SPEAKERS)
    expect(event_box.locator(".event-box-announced")).to_contain_text("Palais du Pharo")
    expect(event_box.locator(".event-box-organisers")).to_have_text(
        "Organisé par La Tribune, Ville de Marseille et Métropole Aix-Marseille Provence."
    )
    # The time sits beside its session, and the box's type is smaller than the article's.
    time, session = (
        items.first.locator(".event-box-time").bounding_box(),
        items.first.locator(".event-box-session").bounding_box(),
    )
    assert time["x"] + time["width"] <= session["x"]
    assert abs(time["y"] - session["y"]) < 8
    box_size = event_box.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")
    body_size = page.locator(".article-body p").first.evaluate(
        "element => parseFloat(getComputedStyle(element).fontSize)"
    )
    assert box_size < body_size
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_reader_goes_from_the_box_to_a_speaker_and_back_to_the_programme(page, demo_site, problems):
    problems.watch(page)
    page.goto(demo_site.url + ARTICLE)

    page.locator(".event-box").get_by_role("link", name="Lluis Sanz Marco").click()

    expect(page).to_have_url(demo_site.url + "/evenements/intervenants/lluis-sanz-marco/")
    expect(page.locator("h1")).to_have_text("Lluis Sanz Marco")
    expect(page.locator(".speaker-job")).to_have_text(
        "DSI (directeur des systèmes d’information), Ville de Barcelone"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Quelle stratégie pour les métropoles ?").click()
    expect(page).to_have_url(re.compile(rf"/evenements/{RENCONTRES_SLUG}/#sequence-\d+$"))
    expect(page.locator(":target .programme-title")).to_have_text("Quelle stratégie pour les métropoles ?")


def test_rencontres_page_has_a_clear_call_to_register(page, demo_site, problems):
    problems.watch(page)
    page.goto(demo_site.url + f"/evenements/{RENCONTRES_SLUG}/")

    registration = page.locator(".event-registration")
    button = registration.get_by_role("link", name="S’inscrire")
    expect(button).to_be_visible()
    expect(button).to_have_attribute(
        "href", re.compile(r"^mailto:evenements@example\.org\?subject=Inscription")
    )
    expect(registration.locator(".event-registration-places")).to_have_text("Plus que 40 places")
    expect(registration.locator(".event-admission")).to_have_text("Gratuit")


def test_forum_page_lists_the_rencontres_that_announce_it(page, demo_site, problems):
    problems.watch(page)
    page.goto(demo_site.url + f"/evenements/{FORUM_SLUG}/")

    announcers = page.locator(".event-announcers")
    expect(announcers.locator("h2")).to_have_text("L’événement qui l’annonce")
    expect(announcers.get_by_role("link")).to_have_text(
        ["3es Rencontres du Forum Smart City Marseille Méditerranée"]
    )


@pytest.mark.parametrize(
    ("link", "title"),
    [
        ("Contact", "Contact"),
        ("Mentions légales", "Mentions légales"),
        ("Politique de confidentialité", "Politique de confidentialité"),
        ("Accessibilité", "Déclaration d’accessibilité"),
    ],
)
def test_footer_leads_to_each_trust_page(page, demo_site, problems, link, title):
    problems.watch(page)
    page.goto(demo_site.url + "/")

    page.locator(".site-footer").get_by_role("link", name=link, exact=True).click()

    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".trust-page-body")).not_to_contain_text("À compléter")
    assert_accessible(page)


def test_comment_form_notice_leads_to_what_is_kept_and_for_how_long(page, demo_site, problems):
    problems.watch(page)
    page.goto(demo_site.url + ARTICLE)

    page.locator(".comment-privacy").get_by_role("link", name="notre politique de confidentialité").click()

    expect(page).to_have_url(demo_site.url + "/confidentialite/#commentaires")
    expect(page.locator(".privacy-facts")).to_contain_text("effacée au bout de 365 jours")
    expect(page.locator(".privacy-facts a[href^='mailto:']")).to_have_text("redaction@localhost")
