"""The reader's and the moderator's journeys in a real browser.

A reader comments on the smart-city feature: nothing is public until a
moderator approves it in the admin, and the commenter's email never reaches
a public page. Every step runs under the site's strict Content-Security-Policy
with no JavaScript error and no failed request, and axe-core checks each page
the reader and the moderator see.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.demo import SMART_CITY_SLUG
from tests.e2e.conftest import assert_accessible, log_into_admin

ARTICLE = f"/articles/{SMART_CITY_SLUG}/"
THANKS = "Merci pour votre commentaire. Il sera visible prochainement sous réserve de validation."
EMPTY_STATE = (
    "Il n’y a actuellement aucun commentaire concernant cet article. Soyez le premier à donner votre avis !"
)
READER = {
    "name": "Claire Martin",
    "email": "claire.martin@example.org",
    "text": "La fibre à Marseille a changé notre façon de travailler.\n\nMerci pour cet article.",
}


@pytest.fixture(autouse=True)
def quick_human(settings):
    """The form refuses a post sent less than COMMENTS_MIN_SUBMIT_SECONDS (3 s)
    after it was shown, as robots do; a second is enough for these tests."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 1


def take_a_moment(page):
    """What a reader does between opening the form and sending it: at least the
    minimum time the anti-robot check asks for."""
    page.wait_for_timeout(1100)


def comment_form(page):
    return page.locator("#comment-form")


def fill_comment(page, *, name, email, text):
    form = comment_form(page)
    form.get_by_label("Nom").fill(name)
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Commentaire").fill(text)


def send(page):
    comment_form(page).get_by_role("button", name="Envoyer mon commentaire").click()


def comments_title(page):
    return page.locator("#comments-title")


def reader_posts_a_comment(page, base_url):
    """Home → the smart-city feature → a first try without the email → the
    comment sent; returns nothing, leaves the page on the thank-you message."""
    page.goto(base_url + "/")
    page.get_by_role(
        "link", name="Quelle place pour le numérique dans le développement des métropoles ?"
    ).first.click()
    expect(page).to_have_url(re.compile(re.escape(ARTICLE) + "$"))
    expect(comments_title(page)).to_have_text("Commentaire 0")
    expect(page.locator(".comments-empty")).to_have_text(EMPTY_STATE)

    fill_comment(page, name=READER["name"], email="", text=READER["text"])
    take_a_moment(page)
    send(page)

    email = comment_form(page).get_by_label("E-mail")
    expect(page.locator("#id_email_error")).to_have_text("Indiquez votre adresse e-mail.")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", "id_email_error comment-notice")
    expect(comment_form(page).get_by_label("Nom")).to_have_value(READER["name"])
    expect(comment_form(page).get_by_label("Commentaire")).to_have_value(READER["text"])
    expect(page.locator("#comment-error-summary")).to_be_focused()
    assert_accessible(page)

    email.fill(READER["email"])
    take_a_moment(page)
    send(page)

    expect(page.locator("#commentaire-merci")).to_have_text(THANKS)
    expect(page).to_have_url(re.compile(re.escape(ARTICLE) + r"(\?.*)?#commentaire-merci$"))


def test_reader_sees_only_in_their_browser_the_comment_awaiting_validation(browser, demo_site, problems):
    reader = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = problems.watch(reader.new_page(), expected_statuses=(400,))

    reader_posts_a_comment(page, demo_site.url)

    own = page.locator(".comment-pending")
    expect(own).to_have_count(1)
    expect(own.locator(".comment-author")).to_have_text(READER["name"])
    expect(own.locator(".comment-pending-label")).to_have_text("En attente de validation")
    expect(own.locator(".comment-text p")).to_have_text(
        ["La fibre à Marseille a changé notre façon de travailler.", "Merci pour cet article."]
    )
    expect(comments_title(page)).to_have_text("Commentaire 0")
    assert READER["email"] not in page.content()
    assert_accessible(page)

    someone_else = browser.new_context(locale="fr-FR")
    other_page = problems.watch(someone_else.new_page())
    other_page.goto(demo_site.url + ARTICLE)
    expect(comments_title(other_page)).to_have_text("Commentaire 0")
    expect(other_page.locator(".comments-empty")).to_have_text(EMPTY_STATE)
    expect(other_page.get_by_text(READER["text"].split("\n")[0])).to_have_count(0)
    assert_accessible(other_page)

    reader.close()
    someone_else.close()


def test_moderator_approves_the_comment_and_every_reader_then_sees_it(browser, demo_site, problems):
    reader = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    reader_page = problems.watch(reader.new_page(), expected_statuses=(400,))
    reader_posts_a_comment(reader_page, demo_site.url)

    moderation = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = problems.watch(moderation.new_page())
    log_into_admin(page, demo_site.url, demo_site.accounts["Modération"])
    pending_link = page.get_by_role("link", name="1 commentaire en attente de modération")
    expect(pending_link).to_be_visible()
    assert_accessible(page)

    pending_link.click()
    row = page.locator("#result_list tbody tr").filter(has_text=READER["name"])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("En attente")
    assert_accessible(page)
    row.locator("th a").click()
    expect(page.locator("h1")).to_have_text("Modifier le commentaire")
    expect(page.get_by_text(READER["email"])).to_have_count(1)
    assert_accessible(page)
    page.go_back()
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Approuver")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 commentaire approuvé")

    reader_page.reload()
    expect(comments_title(reader_page)).to_have_text("1 commentaire")
    published = reader_page.locator(".comment-list .comment").filter(has_text=READER["name"])
    expect(published).to_have_count(1)
    expect(published.locator(".comment-pending-label")).to_have_count(0)
    expect(reader_page.locator(".comments-empty")).to_have_count(0)
    assert READER["email"] not in reader_page.content()
    assert_accessible(reader_page)

    anyone = browser.new_context(locale="fr-FR")
    anyone_page = problems.watch(anyone.new_page())
    response = anyone_page.goto(demo_site.url + ARTICLE)
    expect(comments_title(anyone_page)).to_have_text("1 commentaire")
    assert READER["email"] not in response.text()

    for context in (reader, moderation, anyone):
        context.close()


def test_the_comment_form_works_with_the_keyboard_alone(browser, demo_site, problems):
    """Tab from the name to the button, Enter to send: the error summary takes
    the focus and each field names its error; focus is always visible."""
    context = browser.new_context(locale="fr-FR")
    page = problems.watch(context.new_page(), expected_statuses=(400,))
    page.goto(demo_site.url + ARTICLE)
    name = comment_form(page).get_by_label("Nom")
    name.focus()

    page.keyboard.type(READER["name"])
    page.keyboard.press("Tab")
    expect(comment_form(page).get_by_label("E-mail")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    expect(comment_form(page).get_by_label("Commentaire")).to_be_focused()
    page.keyboard.type("Un avis envoyé au clavier.")
    page.keyboard.press("Tab")
    button = comment_form(page).get_by_role("button", name="Envoyer mon commentaire")
    expect(button).to_be_focused()
    assert focus_is_visible(page)
    take_a_moment(page)
    page.keyboard.press("Enter")

    summary = page.locator("#comment-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("link")).to_have_text(["E-mail : Indiquez votre adresse e-mail."])
    summary.get_by_role("link").press("Enter")
    email = comment_form(page).get_by_label("E-mail")
    expect(email).to_be_focused()
    page.keyboard.type("lecteur@example.org")
    take_a_moment(page)
    page.keyboard.press("Enter")

    expect(page.locator("#commentaire-merci")).to_be_focused()
    expect(page.locator("#commentaire-merci")).to_have_text(THANKS)
    context.close()


def focus_is_visible(page):
    """The focused element draws an outline or a box shadow (the focus ring)."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return outline || style.boxShadow !== 'none';
        }"""
    )
