"""The project's URLs plus one view that fails, for the error-reporting tests."""

from django.urls import path

from newsroom.urls import handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", failing_view), *project_urlpatterns]
