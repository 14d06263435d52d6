from datetime import date

import pytest
from django.utils import timezone

from events.dates import format_event_dates, format_item_time
from events.models import french_ordinal
from tests.events.factories import paris

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def test_event_without_end_reads_from_its_start_time():
    assert format_event_dates(paris(date(2017, 7, 10), 10)) == "lundi 10 juillet 2017, à partir de 10 h"


def test_event_of_the_current_year_has_no_year():
    day = date(timezone.localdate().year, 12, 31)

    text = format_event_dates(paris(day, 10))

    assert text == f"{WEEKDAYS[day.weekday()]} 31 décembre, à partir de 10 h"


def test_event_on_one_day_reads_from_start_to_end():
    text = format_event_dates(paris(date(2017, 7, 10), 10), paris(date(2017, 7, 10), 12, 30))

    assert text == "lundi 10 juillet 2017, de 10 h à 12 h 30"


def test_two_day_event_in_one_month_names_the_month_once():
    text = format_event_dates(paris(date(2017, 9, 14), 9), paris(date(2017, 9, 15), 18))

    assert text == "du jeudi 14 au vendredi 15 septembre 2017"


def test_first_of_the_month_is_written_as_an_ordinal():
    text = format_event_dates(paris(date(2017, 6, 30), 9), paris(date(2017, 7, 1), 18))

    assert text == "du vendredi 30 juin au samedi 1er juillet 2017"


def test_programme_time_shows_minutes_only_when_needed():
    day = date(2017, 7, 10)

    assert format_item_time(paris(day, 10)) == "10 h"
    assert format_item_time(paris(day, 10), paris(day, 11, 30)) == "10 h – 11 h 30"


@pytest.mark.parametrize(
    ("number", "feminine", "plural", "expected"),
    [(3, True, True, "3es"), (1, True, True, "1res"), (1, False, False, "1er"), (2, False, False, "2e")],
)
def test_edition_number_agrees_in_french(number, feminine, plural, expected):
    assert french_ordinal(number, feminine=feminine, plural=plural) == expected
