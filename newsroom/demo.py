"""The one calendar of the demo content (`manage.py load_demo`).

The reference story has no year: the Rencontres take place on a Monday at
10 h and the Forum they announce nine weeks and three days later, on a
Thursday and a Friday (10 July, then 14 and 15 September, in the source).
The demo keeps those gaps and sets the Rencontres on the first Monday at
least three weeks after the day it is loaded, so that the feature announces
an upcoming event in the future tense and every page (feature, event box,
event pages, calendars) tells the same dates.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from newsroom.dates import format_day


@dataclass(frozen=True)
class DemoCalendar:
    rencontres: date  # a Monday, from 10 h
    forum: date  # the Forum's first day (a Thursday); it lasts two days

    @property
    def forum_end(self):
        return self.forum + timedelta(days=1)

    @property
    def rencontres_text(self):
        """« lundi 21 décembre » (with the year when it is not this one)."""
        return format_day(self.rencontres)

    @property
    def forum_text(self):
        """« jeudi 25 et vendredi 26 février » (same month) or « jeudi 30 avril et vendredi 1er mai »."""
        same_month = (self.forum.year, self.forum.month) == (self.forum_end.year, self.forum_end.month)
        first = format_day(
            self.forum, with_month=not same_month, with_year=self.forum.year != self.forum_end.year
        )
        return f"{first} et {format_day(self.forum_end)}"


def demo_calendar(today):
    """The calendar of a demo loaded on `today`."""
    first = today + timedelta(days=21)
    rencontres = first + timedelta(days=(0 - first.weekday()) % 7)  # the next Monday
    return DemoCalendar(rencontres=rencontres, forum=rencontres + timedelta(weeks=9, days=3))
