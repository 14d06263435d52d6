from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from events.calendar import build_calendar, ics_filename
from events.models import Event, Participation, Person
from newsroom.cache import EVENTS
from newsroom.caching import PublicPageMixin, public_page


class EventListView(PublicPageMixin, ListView):
    """Upcoming events by date; past ones are in the archive."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    page_dependencies = (EVENTS,)

    def get_queryset(self):
        return Event.objects.published().upcoming().for_listing()


class EventArchiveView(PublicPageMixin, ListView):
    template_name = "events/event_archive.html"
    context_object_name = "events"
    paginate_by = settings.EVENTS_PER_PAGE
    page_dependencies = (EVENTS,)

    def get_queryset(self):
        return Event.objects.published().past().for_listing()


class EventDetailView(PublicPageMixin, DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"
    page_dependencies = (EVENTS,)

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).for_page()


class SpeakerDetailView(PublicPageMixin, DetailView):
    """A speaker's page: photo, biography and their sessions across the events
    readers may see, each with the job they held then. Someone who speaks at
    no such event has no page (a draft's speakers stay unannounced)."""

    template_name = "events/speaker_detail.html"
    context_object_name = "person"
    page_dependencies = (EVENTS,)
    queryset = Person.objects.select_related("organisation")

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        events = Event.objects.visible_to(self.request.user)
        self.sessions = list(Participation.objects.filter(person=person).at_events(events))
        if not self.sessions:
            raise Http404
        return person

    def get_context_data(self, **kwargs):
        upcoming = [s for s in self.sessions if not s.item.event.is_past]
        past = [s for s in self.sessions if s.item.event.is_past]
        return super().get_context_data(upcoming_sessions=upcoming[::-1], past_sessions=past, **kwargs)


def _calendar_response(content, *, filename=None):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page(dependencies=[EVENTS])
def event_ics(request, slug):
    """One event as an `.ics` download."""
    event = get_object_or_404(Event.objects.visible_to(request.user).for_listing(), slug=slug)
    content = build_calendar([event], name=event.full_title)
    return _calendar_response(content, filename=ics_filename(event))


@public_page(dependencies=[EVENTS])
def calendar_feed(request):
    """The upcoming published events, for calendar apps to subscribe to."""
    events = Event.objects.published().upcoming().for_listing()
    name = _("Agenda — %(site)s") % {"site": settings.SITE_NAME}
    return _calendar_response(build_calendar(events, name=name))
