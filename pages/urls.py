from django.urls import path

from pages.models import PageKind
from pages.views import PageView

app_name = "pages"

# One fixed address per page (`{% url "pages:contact" %}`): footer links cost no query.
urlpatterns = [path(f"{kind}/", PageView.as_view(), {"kind": kind}, name=kind) for kind in PageKind.values]
