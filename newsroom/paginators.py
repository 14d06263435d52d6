from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Past this many rows a list says « 10 000+ » instead of counting them all.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """For admin lists of tables that grow without end (the journal, the
    404s): the count stops at COUNT_CAP rows, so a page costs the same on a
    table of ten million rows as on the demo. Filters narrow what is beyond
    the cap."""

    @cached_property
    def count(self):
        return self.object_list.order_by()[: COUNT_CAP + 1].count()
