"""deploy/nginx/newsroom.conf, rendered for local ports (bench/nginx.py) and
run with Debian's nginx in front of Django's live server.

Skipped when nginx is not installed, except in CI (CI or E2E_REQUIRED set),
where a missing nginx fails.
"""

import gzip
import http.client
import os
import ssl
import time

import pytest

from bench.nginx import nginx_available, running_nginx
from comments.models import Comment
from comments.services import approve_comment
from tests.comments.factories import make_comment, post_data
from tests.conftest import make_article

REQUIRED = bool(os.environ.get("CI") or os.environ.get("E2E_REQUIRED"))
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not nginx_available() and not REQUIRED,
        reason="nginx absent (/usr/sbin/nginx): apt-get install nginx to test deploy/nginx/newsroom.conf",
    ),
]

HASHED_CSS = "css/site.0123456789ab.css"
CSS = "body { color: #222; }\n" * 60


@pytest.fixture
def front(live_server, settings, tmp_path):
    """nginx with the shipped configuration, in front of the live server,
    which runs as production does behind it."""
    settings.PAGE_CACHE_TIMEOUT = 600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUST_X_FORWARDED_FOR = True
    static, media = tmp_path / "static", tmp_path / "media"
    (static / "css").mkdir(parents=True)
    (static / HASHED_CSS).write_text(CSS)
    (static / "favicon.txt").write_text("unhashed")
    media.mkdir()
    upstream = live_server.url.removeprefix("http://").replace("localhost", "127.0.0.1")
    with running_nginx(tmp_path / "nginx", upstream=upstream, static_root=static, media_root=media) as ports:
        yield Front(ports)


class Front:
    def __init__(self, ports):
        self.ports = ports
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE

    def request(self, path, *, method="GET", body=None, headers=None, scheme="https"):
        if scheme == "https":
            connection = http.client.HTTPSConnection("127.0.0.1", self.ports["https"], context=self.tls)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.ports["http"])
        connection.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        content = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        connection.close()
        return response, content.decode(errors="replace")


def test_anonymous_pages_are_served_by_nginx_from_its_cache(front):
    article = make_article(title="Servi par nginx")
    started = time.monotonic()

    statuses = [front.request(article.get_absolute_url())[0].getheader("X-Cache-Status") for _ in range(50)]

    seconds = time.monotonic() - started
    # One request per second (or less) reaches Django: the first, then one
    # revalidation each time the copy's second has passed.
    assert statuses[0] == "MISS"
    assert len(statuses) - statuses.count("HIT") <= int(seconds) + 2
    response, page = front.request(article.get_absolute_url())
    assert "Servi par nginx" in page
    assert "Cookie" in response.getheader("Vary")
    assert response.getheader("X-Accel-Expires") is None  # kept between Django and nginx


def test_an_approval_is_visible_through_nginx_within_one_second(front):
    article = make_article()
    comment = make_comment(article=article, text="Bravo pour cette enquête.")
    front.request(article.get_absolute_url())
    assert front.request(article.get_absolute_url())[0].getheader("X-Cache-Status") in {"HIT", "REVALIDATED"}

    approve_comment(comment.pk, moderator=None)
    approved_at = time.monotonic()
    time.sleep(max(0.0, approved_at + 1.0 - time.monotonic()))

    response, page = front.request(article.get_absolute_url())
    assert "Bravo pour cette enquête." in page
    assert response.getheader("X-Cache-Status") in {"EXPIRED", "MISS"}


@pytest.mark.parametrize(
    ("cookie", "statuses"),
    [
        ("sessionid=abc", {"BYPASS"}),
        ("nr_commentaires=1:abc", {"BYPASS"}),
        ("_ga=GA1.2.3; sessionid=abc", {"BYPASS"}),
        ("_ga=GA1.2.3", {"HIT", "REVALIDATED"}),  # any other cookie shares the copy
    ],
)
def test_the_staff_session_and_the_pending_comment_cookie_bypass_the_cache(front, cookie, statuses):
    article = make_article()
    front.request(article.get_absolute_url())

    response, _ = front.request(article.get_absolute_url(), headers={"Cookie": cookie})

    assert response.getheader("X-Cache-Status") in statuses


def test_the_admin_is_never_cached(front):
    first, _ = front.request("/admin/login/")
    second, page = front.request("/admin/login/")

    assert second.status == 200
    assert "csrfmiddlewaretoken" in page
    assert first.getheader("X-Cache-Status") is None
    assert second.getheader("X-Cache-Status") is None


def test_html_css_and_javascript_are_compressed(front):
    article = make_article()

    page, _ = front.request(article.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    css, content = front.request(f"/static/{HASHED_CSS}", headers={"Accept-Encoding": "gzip"})

    assert page.getheader("Content-Encoding") == "gzip"
    assert css.getheader("Content-Encoding") == "gzip"
    assert content == CSS


def test_hashed_static_files_are_kept_a_year_and_others_an_hour(front):
    hashed, _ = front.request(f"/static/{HASHED_CSS}")
    plain, content = front.request("/static/favicon.txt")

    assert hashed.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert (plain.getheader("Cache-Control"), content) == ("public, max-age=3600", "unhashed")


def test_the_readers_address_reaches_django_whatever_they_claim(front):
    article = make_article()
    body = "&".join(f"{key}={value}" for key, value in post_data(article).items())

    response, _ = front.request(
        "/commentaires/envoyer/",
        method="POST",
        body=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "6.6.6.6"},
    )

    assert response.status == 302
    assert Comment.objects.get().ip_address == "127.0.0.1"


def test_plain_http_is_redirected_to_https(front):
    response, _ = front.request("/articles/un-article/?page=2", scheme="http")

    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/articles/un-article/?page=2"


def test_tracking_parameters_share_the_cached_page_in_nginx(front):
    article = make_article()
    front.request(article.get_absolute_url())

    response, _ = front.request(f"{article.get_absolute_url()}?fbclid=IwAR3xyz&utm_source=facebook")

    assert response.getheader("X-Cache-Status") in {"HIT", "REVALIDATED"}
