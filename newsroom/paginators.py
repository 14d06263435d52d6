"""Paginators whose cost does not grow with the archive.

- `DeferredJoinPaginator` (public lists): a page's ids are read first from
  the index that sorts the list, skipping the earlier rows without touching
  the table (an index-only scan), from whichever end of the list is nearer
  (the last page is the first rows in reverse order), then only those rows
  are fetched: the last page of a section costs what its first page costs.
- `CappedCountPaginator` (admin lists of tables that grow without end:
  comments, articles, the journal, the 404s): counts at most `count_cap`
  rows. A list of a million comments says « plus de 10 000 » instead of
  reading a million index entries on every display; filtered lists below the
  cap keep their exact count.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class DeferredJoinPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top:
            # Nearer the end: the same rows, counted from the other end.
            ids = self.object_list.reverse().values("pk")[self.count - top : self.count - bottom]
        else:
            ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class CappedCountPaginator(Paginator):
    count_cap = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.count_cap + 1].count()

    @property
    def is_capped(self):
        """True when there are more rows than were counted."""
        return self.count > self.count_cap
