from django.http import HttpResponse
from django.urls import path

from newsroom.urls import handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urlpatterns


def hello(request):
    """The yardstick: the least a Django view can do."""
    return HttpResponse("Hello, world!", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *site_urlpatterns]
