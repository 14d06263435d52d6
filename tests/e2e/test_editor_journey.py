"""The editor's journey of issue 5, in a real browser.

An editor of « Rédaction » logs into the admin and prepares the speaker's
record. On a new event she writes the title and the standfirst, types the
description in the rich-text editor, creates the venue through the « + »
popup next to its field and enters one programme item in the inline, then
saves a draft. From the programme she opens the item (« Modification ») and
picks the speaker in the participants' autocomplete. Back on the event, she
publishes it now.

An anonymous reader then finds the event on /evenements/, opens it, reads the
programme with the speaker's name and job title, and downloads the `.ics`,
which a calendar can import: same title, same start.

Nothing may go wrong along the way: no JavaScript error, no
Content-Security-Policy violation, no failed request, no HTTP error; the two
public pages pass axe-core's WCAG 2.2 A/AA rules.
"""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_into_admin

PARIS = ZoneInfo("Europe/Paris")

TITLE = "Forum de l'eau en Méditerranée"
SHOWN_TITLE = "Forum de l’eau en Méditerranée"  # French typography on the public pages
STANDFIRST = "Élus, chercheurs et entreprises cherchent comment partager une eau qui se raréfie."
DESCRIPTION = "Une matinée de débats ouverte à tous, sur inscription."
VENUE = {
    "Nom": "Villa Méditerranée",
    "Adresse": "Esplanade du J4",
    "Code postal": "13002",
    "Ville": "Marseille",
}
SPEAKER = {"Nom": "Camille Roux", "Fonction actuelle": "Hydrologue au CNRS"}
ITEM_TITLE = "Quelle eau pour Marseille en 2050 ?"


def event_day():
    """Thirty days from today in Paris: an upcoming event."""
    return datetime.now(PARIS).date() + timedelta(days=30)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def in_french(day: date) -> str:
    """« samedi 26 décembre », with the year when it is not this one."""
    weekdays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    words = [weekdays[day.weekday()], "1er" if day.day == 1 else str(day.day), months.split()[day.month - 1]]
    if day.year != datetime.now(PARIS).year:
        words.append(str(day.year))
    return " ".join(words)


# --- The editor, in the admin ------------------------------------------------


def fill_labelled(form, values):
    for label, value in values.items():
        form.get_by_label(label, exact=False).fill(value)


def fill_datetime(page, field_id, when: datetime):
    """The admin's split widget: a date (dd/mm/yyyy) and a time."""
    page.locator(f"#{field_id}_0").fill(when.strftime("%d/%m/%Y"))
    page.locator(f"#{field_id}_1").fill(when.strftime("%H:%M"))


def pick_in_autocomplete(page, field_id, search, choice):
    """Type into a select2 autocomplete and pick the option it offers."""
    page.locator(f"#{field_id} + .select2").get_by_role("combobox").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    # Opening the list already shows the first people; waiting for the
    # search's own answer avoids picking while it is still on its way.
    options = page.locator(".select2-results__option")
    expect(options).to_have_text([choice])
    options.click()
    expect(page.locator(f"#select2-{field_id}-container")).to_have_attribute("title", choice)


def save(page, button="Enregistrer"):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messagelist .success")).to_have_count(1)


def add_speaker(page, base_url):
    page.goto(base_url + "/admin/events/person/add/")
    fill_labelled(page.locator("#person_form"), SPEAKER)
    save(page)
    expect(page.locator(".messagelist")).to_contain_text(f"« {SPEAKER['Nom']} » a été ajouté")


def add_venue_in_popup(page, problems):
    """The « + » next to « Lieu » opens the venue form in a popup; saving it
    closes the popup and selects the new venue."""
    with page.expect_popup() as opened:
        page.locator("#add_id_venue").click()
    popup = problems.watch(opened.value)
    fill_labelled(popup.locator("#venue_form"), VENUE)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("#select2-id_venue-container")).to_have_attribute(
        "title", f"{VENUE['Nom']}, {VENUE['Ville']}"
    )


def create_draft_event(page, base_url, problems, day):
    page.goto(base_url + "/admin/events/event/add/")
    expect(page.locator("h1")).to_have_text("Ajouter un événement")
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value("forum-de-leau-en-mediterranee")
    page.locator("#id_standfirst").fill(STANDFIRST)
    page.locator(".prose-editor [contenteditable=true]").press_sequentially(DESCRIPTION)
    # The rich-text toolbar speaks French.
    toolbar = page.locator(".prose-editor .prose-menubar")
    expect(toolbar.locator("button[title='Gras']")).to_have_attribute("aria-label", "Gras")
    expect(toolbar.locator(".prose-menubar__option")).to_have_text(
        ["Intertitre de niveau 2", "Intertitre de niveau 3", "Paragraphe"]
    )
    expect(toolbar.locator("button[title='bold'], button[title='italic']")).to_have_count(0)
    fill_datetime(page, "id_starts_at", at(day, 9, 30))
    fill_datetime(page, "id_ends_at", at(day, 12, 30))
    add_venue_in_popup(page, problems)

    item = page.locator("#programme_items-0")
    fill_datetime(item, "id_programme_items-0-starts_at", at(day, 10))
    fill_datetime(item, "id_programme_items-0-ends_at", at(day, 11))
    item.locator("#id_programme_items-0-kind").select_option(label="Table ronde")
    item.locator("#id_programme_items-0-title").fill(ITEM_TITLE)

    save(page, "Enregistrer et continuer les modifications")
    expect(page.locator("#id_publication_status")).to_have_value("draft")
    expect(item.locator(".field-title input")).to_have_value(ITEM_TITLE)
    return page.url


def add_speaker_to_programme_item(page):
    """From the event's programme, « Modification » opens the item's own page,
    where its participants are entered."""
    page.locator("#programme_items-0").get_by_role("link", name="Modification").click()
    expect(page.locator("#id_title")).to_have_value(ITEM_TITLE)
    pick_in_autocomplete(page, "id_participations-0-person", "Roux", SPEAKER["Nom"])
    save(page)


def publish_now(page, event_change_url):
    page.goto(event_change_url)
    expect(page.locator("#programme_items-0 .field-participant_count")).to_have_text("1 participant")
    page.locator("#id_publication_status").select_option(label="Publié")
    shortcuts = page.locator(".field-published_at .datetimeshortcuts")
    shortcuts.get_by_role("button", name="Aujourd'hui").click()
    shortcuts.get_by_role("button", name="Maintenant").click()
    save(page)
    row = page.locator("#result_list tbody tr").filter(has_text=TITLE)
    expect(row.locator(".field-publication")).to_have_text("Publié")


# --- The reader, on the public site ------------------------------------------


def open_event_from_the_list(page, base_url, day):
    page.goto(base_url + "/evenements/")
    card = page.locator(".event-card").filter(has_text=SHOWN_TITLE)
    expect(card.locator(".event-card-when")).to_have_text(
        f"{in_french(day)}, de 9 h 30 à 12 h 30 · Villa Méditerranée, Marseille"
    )
    assert_accessible(page)
    card.get_by_role("link", name=SHOWN_TITLE).click()
    expect(page.locator("h1")).to_have_text(SHOWN_TITLE)


def download_ics(page):
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le fichier .ics").click()
    download = download_info.value
    assert download.suggested_filename == "forum-de-leau-en-mediterranee.ics"
    return icalendar.Calendar.from_ical(Path(download.path()).read_bytes())


def test_editor_publishes_an_event_that_readers_find_with_its_programme_and_ics(
    page, browser, demo_site, problems
):
    day = event_day()
    problems.watch(page)
    log_into_admin(page, demo_site.url, demo_site.accounts["Rédaction"])
    add_speaker(page, demo_site.url)
    event_change_url = create_draft_event(page, demo_site.url, problems, day)
    add_speaker_to_programme_item(page)
    publish_now(page, event_change_url)

    reader = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    reader_page = problems.watch(reader.new_page())
    open_event_from_the_list(reader_page, demo_site.url, day)
    assert reader_page.url == demo_site.url + "/evenements/forum-de-leau-en-mediterranee/"
    expect(reader_page.locator(".event-when time")).to_have_attribute("datetime", at(day, 9, 30).isoformat())
    expect(reader_page.locator(".event-description")).to_have_text(DESCRIPTION)
    programme = reader_page.locator(".programme-item")
    expect(programme).to_have_count(1)
    expect(programme.locator(".programme-time")).to_have_text("10 h – 11 h")
    expect(programme.locator(".programme-kind")).to_have_text("Table ronde")
    expect(programme.locator(".programme-title")).to_have_text(ITEM_TITLE)
    expect(programme.locator(".programme-person-name")).to_have_text(SPEAKER["Nom"])
    expect(programme.locator(".programme-person-job")).to_have_text(SPEAKER["Fonction actuelle"])
    assert_accessible(reader_page)

    # The speaker's name leads to their page, which lists this session.
    programme.get_by_role("link", name=SPEAKER["Nom"]).click()
    expect(reader_page.locator("h1")).to_have_text(SPEAKER["Nom"])
    expect(reader_page.locator(".speaker-session-title")).to_have_text(ITEM_TITLE)
    assert_accessible(reader_page)
    reader_page.get_by_role("link", name=ITEM_TITLE).click()

    calendar = download_ics(reader_page)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == TITLE
    assert vevent.decoded("DTSTART") == at(day, 9, 30)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTEND") == at(day, 12, 30)
    assert str(vevent["LOCATION"]) == "Villa Méditerranée, Esplanade du J4, 13002 Marseille"
    reader.close()
