"""Dates and times as a French reader expects them, in Europe/Paris time.

One time format everywhere a reader looks: « 9 h 38 », « 10 h », « 11 h 30 »
(never « 09:38 » nor « 10h00 »), and « 1er » for the first of the month.
"""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _


def format_time(value):
    """« 9 h 38 », « 10 h », « 11 h 30 »."""
    local = timezone.localtime(value)
    if local.minute:
        return _("%(hour)d h %(minute)02d") % {"hour": local.hour, "minute": local.minute}
    return _("%(hour)d h") % {"hour": local.hour}


def _day_number(day):
    # French writes the first of the month as an ordinal: « 1er juillet ».
    return _("1er") if day.day == 1 else str(day.day)


def _local_date(value):
    return timezone.localtime(value).date() if hasattr(value, "hour") else value


def format_day(value, *, with_month=True, with_year=None):
    """« lundi 10 juillet », « samedi 1er août 2026 » (year when not this year)."""
    day = _local_date(value)
    if with_year is None:
        with_year = day.year != timezone.localdate().year
    parts = [date_format(day, "l"), _day_number(day)]
    if with_month:
        parts.append(date_format(day, "F"))
    if with_month and with_year:
        parts.append(str(day.year))
    return " ".join(parts)


def format_date(value):
    """« 10 juillet 2026 », « 1er août 2026 »: a date in a list or a byline."""
    day = _local_date(value)
    return f"{_day_number(day)} {date_format(day, 'F')} {day.year}"


def format_datetime(value, *, weekday=True, year=True):
    """« lundi 10 juillet 2026 à 9 h 38 » (« 10 juillet 2026 à 9 h 38 » without
    the weekday); `year=None` shows the year only when it is not this one
    (« vendredi 18 décembre à 18 h », for a date soon to come)."""
    day = _local_date(value)
    date = format_day(day, with_year=year) if weekday else format_date(day)
    return _("%(date)s à %(time)s") % {"date": date, "time": format_time(value)}
