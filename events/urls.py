from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("archives/", views.EventArchiveView.as_view(), name="archive"),
    path("agenda.ics", views.calendar_feed, name="feed"),
    path("intervenants/<slug:slug>/", views.SpeakerDetailView.as_view(), name="speaker"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/agenda.ics", views.event_ics, name="ics"),
]
