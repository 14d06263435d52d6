from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from comments.context import PENDING_COOKIE_MAX_AGE
from newsroom.caching import PublicPageMixin
from pages.models import Page, PageKind


class PageView(PublicPageMixin, DetailView):
    """A trust page; the privacy policy also states the retention periods
    and the contact address as the server is configured."""

    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page, kind=self.kwargs["kind"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.kind == PageKind.PRIVACY:
            context["privacy_email"] = settings.PRIVACY_CONTACT_EMAIL
            context["retention"] = {
                "ip_days": settings.COMMENTS_IP_RETENTION_DAYS,
                "rejected_days": settings.COMMENTS_REJECTED_RETENTION_DAYS,
                "cookie_days": PENDING_COOKIE_MAX_AGE // 86400,
            }
        return context
