"""The editorial workflow of issue 11, in a real browser.

A writer (« Rédacteur ») writes an article, saves it, rewrites a sentence and
submits it for review (« À relire »): « Publié » is not offered to her. The
editor-in-chief (« Rédaction en chef ») opens the history, compares the two
versions (the changed words marked), publishes the article, then changes its
slug and attaches a correction. A reader who follows the old link lands on the
article at its new address and reads the correction; the « Rectificatifs »
page lists it. Every new page passes axe-core; nothing goes wrong on the way
(no JavaScript error, no CSP violation, no failed request).
"""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_into_admin

TITLE = "Le Forum Smart City change de dates"
FIRST_BODY = "Le Forum se tiendra au Pharo en octobre."
SECOND_BODY = "Le Forum se tiendra au Pharo en septembre."
NOTE = "Une version précédente de cet article situait le Forum en octobre ; il a lieu en septembre."


def save(page, button="Enregistrer et continuer les modifications"):
    page.get_by_role("button", name=button, exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_have_count(1)


def write_and_submit(page, base_url):
    page.goto(base_url + "/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value("le-forum-smart-city-change-de-dates")
    page.locator("#id_standfirst").fill("Les dates du Forum sont connues.")
    page.locator(".prose-editor [contenteditable=true]").press_sequentially(FIRST_BODY)
    page.locator("#id_section").select_option(label="Innovation")
    page.locator("#id_authors + .select2 .select2-search__field").press_sequentially("Claire")
    page.locator(".select2-results__option").filter(has_text="Claire Martin").click()
    options = page.locator("#id_status option")
    expect(options).to_have_text(["Brouillon", "À relire"])
    save(page)

    editor = page.locator(".prose-editor [contenteditable=true]")
    editor.select_text()
    editor.press_sequentially(SECOND_BODY)
    page.locator("#id_status").select_option(label="À relire")
    save(page)
    return page.url


def compare_the_two_versions(page, change_url):
    page.goto(change_url)
    page.get_by_role("link", name="Historique").click()
    expect(page.locator("#revision-list caption")).to_have_text("2 versions")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.get_by_role("button", name="Comparer").click()
    body_row = page.locator("#revision-diff tr.diff-changed").filter(has_text="Corps")
    expect(body_row.locator("del")).to_have_text("octobre.")
    expect(body_row.locator("ins")).to_have_text("septembre.")
    expect(page.get_by_role("button", name="Restaurer cette version")).to_be_visible()
    assert_accessible(page)


def publish(page, change_url):
    page.goto(change_url)
    page.locator("#id_status").select_option(label="Publié")
    shortcuts = page.locator(".field-published_at .datetimeshortcuts")
    shortcuts.get_by_role("button", name="Aujourd'hui").click()
    shortcuts.get_by_role("button", name="Maintenant").click()
    save(page)


def change_slug(page):
    slug = page.locator("#id_slug")
    slug.fill("forum-smart-city-les-nouvelles-dates")
    save(page)


def add_correction(page):
    page.get_by_role("link", name="Ajouter un rectificatif").click()
    expect(page.locator("#select2-id_article-container")).to_have_attribute("title", TITLE)
    page.locator("#id_position").select_option(label="En haut de l'article")
    page.locator("#id_note").fill(NOTE)
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist .success")).to_have_count(1)


def test_writer_submits_chief_compares_publishes_moves_and_corrects_reader_follows_the_old_link(
    browser, demo_site, problems
):
    writer = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    writer_page = problems.watch(writer.new_page())
    log_into_admin(writer_page, demo_site.url, demo_site.accounts["Rédacteur"])
    change_url = write_and_submit(writer_page, demo_site.url)
    writer.close()

    chief = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    chief_page = problems.watch(chief.new_page())
    log_into_admin(chief_page, demo_site.url, demo_site.accounts["Rédaction en chef"])
    chief_page.goto(demo_site.url + "/admin/articles/article/?parution=review")
    expect(chief_page.locator("#result_list tbody tr")).to_have_count(1)
    compare_the_two_versions(chief_page, change_url)
    publish(chief_page, change_url)
    change_slug(chief_page)
    add_correction(chief_page)
    chief.close()

    reader = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    reader_page = problems.watch(reader.new_page())
    reader_page.goto(demo_site.url + "/articles/le-forum-smart-city-change-de-dates/")
    assert reader_page.url == demo_site.url + "/articles/forum-smart-city-les-nouvelles-dates/"
    expect(reader_page.locator("h1")).to_have_text(TITLE)
    expect(reader_page.locator(".article-corrections")).to_contain_text(NOTE)
    expect(reader_page.locator(".article-body")).to_contain_text(SECOND_BODY)
    expect(reader_page.locator(".byline")).not_to_contain_text("mis à jour")
    assert_accessible(reader_page)
    reader_page.get_by_role("link", name="Tous les rectificatifs de la rédaction").click()
    expect(reader_page.locator(".corrections-list li")).to_have_count(1)
    expect(reader_page.locator(".corrections-list")).to_contain_text(NOTE)
    assert_accessible(reader_page)
    reader.close()
