"""Event dates as a French reader expects them, in Europe/Paris time.

« lundi 10 juillet, à partir de 10 h », « lundi 10 juillet, de 10 h à 12 h 30 »,
« du jeudi 14 au vendredi 15 septembre ». The year is shown only when it is
not the current one.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.dates import format_day, format_time

__all__ = ["format_day", "format_event_dates", "format_item_time", "format_time"]


def format_event_dates(starts_at, ends_at=None):
    """The when-line of an event page or card."""
    start_day = timezone.localtime(starts_at).date()
    if ends_at is None:
        return _("%(day)s, à partir de %(time)s") % {
            "day": format_day(start_day),
            "time": format_time(starts_at),
        }
    end_day = timezone.localtime(ends_at).date()
    if end_day == start_day:
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": format_day(start_day),
            "start": format_time(starts_at),
            "end": format_time(ends_at),
        }
    this_year = timezone.localdate().year
    with_year = start_day.year != this_year or end_day.year != this_year
    same_month = (start_day.year, start_day.month) == (end_day.year, end_day.month)
    return _("du %(start)s au %(end)s") % {
        "start": format_day(start_day, with_month=not same_month, with_year=start_day.year != end_day.year),
        "end": format_day(end_day, with_year=with_year),
    }


def format_item_time(starts_at, ends_at=None):
    """A programme line's time: « 10 h », « 10 h – 11 h 15 »."""
    if ends_at is None:
        return format_time(starts_at)
    return _("%(start)s – %(end)s") % {"start": format_time(starts_at), "end": format_time(ends_at)}
