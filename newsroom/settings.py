"""Newsroom settings: one file, driven by environment variables.

Every variable is listed with its default in `.env.example` and the README.
With no variable set, development defaults apply: SQLite under `var/`,
local-memory cache, console email, DEBUG on. Production is this same file
with variables set (see README, "Running in production").
"""

import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(env(name, str(default)))


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

# Where `make run` serves the site (`HOST=0.0.0.0 PORT=8700 make run`).
HOST = env("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)


def _served_url(host, port):
    """The address a browser on this machine uses for `make run`'s server."""
    # Bound to every interface: this machine answers on 127.0.0.1.
    if host in {"", "0.0.0.0", "::", "[::]"}:  # noqa: S104 (reading HOST, not binding)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", f"localhost,127.0.0.1,[::1],testserver,{HOST}")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in canonical links, feeds, sitemaps,
# e-mails and iCalendar files (no request is at hand in a task or a feed).
# Unless it is set, the address `make run` serves: http://HOST:PORT.
SITE_URL = (env("SITE_URL") or _served_url(HOST, PORT)).rstrip("/")
SITE_NAME = env("SITE_NAME", "Newsroom")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "newsroom.apps.TasksConfig",  # django-tasks-db, named in French
    "admin_auto_filters",
    "axes",
    "django_guid",
    "reversion",
    "articles",
    "comments",
    "events",
    "audit",
    "redirects",
    "pages",
    "scale",
    "newsroom.apps.NewsroomConfig",
]

# No LocaleMiddleware: the site speaks French only (LANGUAGE_CODE below), and
# that middleware would add `Vary: Accept-Language`, splitting every shared
# cache entry by the readers' browser languages for nothing.
MIDDLEWARE = [
    # First: every log line of the request carries its id.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' pages from the shared cache: a hit skips everything below.
    "newsroom.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Next to last, so that it sees the view's answer: on a 404 only, a moved
    # address answers 301 (one indexed query) and other 404s are counted in the cache.
    "redirects.middleware.RedirectFallbackMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
            # `{% load french %}`: French typography and the one time format.
            "libraries": {"french": "newsroom.templatetags.french"},
        },
    },
]

# Database: SQLite file under var/ by default, PostgreSQL (psycopg 3) in production.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'newsroom.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers and the admin write at the same time; WAL plus a busy timeout
    # keeps the embedded default from answering "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Read replicas (PostgreSQL streaming replication), comma-separated URLs: the
# anonymous readers' GET and HEAD requests read from them (newsroom/db_router.py),
# everything else — writes, staff, reads inside a transaction — uses "default".
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    # Tests see the primary through it: a replica holds the same rows.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
    # Marks the requests whose reads may go to a replica; right after the request id.
    MIDDLEWARE.insert(1, "newsroom.db_router.replica_reads_middleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis (shared by every worker) when REDIS_URL is set.
# It holds the page cache, the sidebars and, with Redis, the read counters.
REDIS_URL = env("REDIS_URL")
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", "newsroom")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # Redis down: every cache call gives up within a quarter of a
                # second (a miss, the page is rendered) instead of hanging.
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    # A Redis outage degrades to uncached pages, never to an error, and is
    # logged (one line every 10 s per process: see LOGGING below).
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# --- Login throttling (django-axes) -----------------------------------------
# Password guessing on /admin/login/: after LOGIN_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is locked out for
# LOGIN_COOLOFF_MINUTES (HTTP 429, French page), even with the right password;
# a further failure during the lock-out starts the wait again. Attempts are
# kept in the database (AxesDatabaseHandler): every gunicorn worker and every
# app server sharing the database sees the same counts, and the records
# survive a restart (a local-memory cache would give each worker its own
# count; Redis would work too, but is optional here). The address is the
# one `newsroom.http.client_ip` reads (the proxy's X-Forwarded-For entry
# behind DJANGO_BEHIND_PROXY). Unlock: `manage.py axes_reset_username <name>`
# (see README « Sécurité »).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "newsroom.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "newsroom.http.client_ip"
AXES_COOLOFF_MESSAGE = _("Trop d'essais de connexion : ce compte est bloqué un moment depuis votre adresse.")
AXES_PERMALOCK_MESSAGE = AXES_COOLOFF_MESSAGE
# The log line of a failure or a lock-out names the username, the address
# and the browser: it is what the person on call needs to act.
AXES_VERBOSE = True
AXES_SENSITIVE_PARAMETERS = []

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first, every string marked for translation.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
# The project's catalog first (`make messages`), then French for third-party
# packages that ship none (locale_vendor/, written by hand).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static and media files. WhiteNoise serves compressed files with hashed names.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Media on object storage (any S3-compatible service) when a bucket is named,
# through django-storages; on the local disk (MEDIA_ROOT) otherwise. Several
# app servers need the bucket: an upload received by one is processed by the
# worker and shown by the others.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
# Where readers fetch media: the CDN or the bucket's public address, e.g.
# https://media.example.org/ (required with a bucket: pages are cached and
# shared, so their pictures need plain public addresses, not signed ones).
MEDIA_PUBLIC_URL = env("MEDIA_PUBLIC_URL")
if AWS_STORAGE_BUCKET_NAME:
    if not MEDIA_PUBLIC_URL.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "MEDIA_PUBLIC_URL must be set with AWS_STORAGE_BUCKET_NAME: the public address readers fetch "
            "media from (the CDN, or the bucket's own address), e.g. https://media.example.org/."
        )
    _media_public = urlsplit(MEDIA_PUBLIC_URL)
    _default_storage = {
        # django-storages' S3Storage, with the raw uploads kept private (newsroom/storage.py).
        "BACKEND": "newsroom.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            # Empty: boto3 finds them itself (instance role, ~/.aws).
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            # `public-read` where readers fetch objects from the bucket itself;
            # empty (the bucket's policy decides) behind a CDN with its own access.
            "default_acl": env("AWS_DEFAULT_ACL") or None,
            # Every file has a fresh random name and is never replaced: kept a
            # year by browsers and the CDN, no existence check before a write.
            "file_overwrite": True,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            "custom_domain": f"{_media_public.netloc}{_media_public.path}".rstrip("/"),
            "url_protocol": f"{_media_public.scheme}:",
            "querystring_auth": False,
        },
    }
    MEDIA_URL = MEDIA_PUBLIC_URL.rstrip("/") + "/"
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve uploaded media from the Django process (WhiteNoise only serves static
# files). Production may put nginx in front of MEDIA_ROOT instead, or use a
# bucket (then nothing is served from here): see README.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=not AWS_STORAGE_BUCKET_NAME)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (Django 6.1 MAILERS): console in development, SMTP when EMAIL_HOST is set.
_email_host = env("EMAIL_HOST")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
elif env("EMAIL_FILE_PATH"):
    # One file per connection in this folder (the stack test counts them).
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env("EMAIL_FILE_PATH")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Newsroom <redaction@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where readers ask to see or erase their data: shown in the privacy policy,
# which the comment form links to. Default: the address of DEFAULT_FROM_EMAIL.
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL") or parseaddr(DEFAULT_FROM_EMAIL)[1]

# Background tasks (django.tasks): run immediately in development and tests,
# queued in the database and run by `manage.py db_worker` in production.
TASKS_BACKEND = env("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

# Security. Strict Content-Security-Policy: no inline script or style anywhere,
# nothing from another origin.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}
if MEDIA_URL.startswith(("https://", "http://")):
    # Media from the CDN or the bucket: pictures only, from that one origin.
    _media = urlsplit(MEDIA_URL)
    SECURE_CSP["img-src"].append(f"{_media.scheme}://{_media.netloc}")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind our reverse proxy, the client's address is the last X-Forwarded-For
# entry, the one the proxy appended (`newsroom.http.client_ip`): comments,
# the login throttle and the read counter would otherwise see every reader as
# the proxy.
TRUST_X_FORWARDED_FOR = BEHIND_PROXY

# Public pages: how long browsers and shared caches (a CDN) may keep a page
# before revalidating it with its ETag (seconds).
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 0)
PAGE_CACHE_SHARED_MAX_AGE = env_int("PAGE_CACHE_SHARED_MAX_AGE", 1)
# The server-side page cache (newsroom/page_cache.py): the longest an
# anonymous reader's page or a shared fragment is kept (every change drops the
# pages it touches at once); 0 turns the server cache off.
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 600)
# A worker answers again from its own memory, for this many milliseconds, a
# page it has just validated in the shared cache (never past the end of that
# second, so nginx's one-second promise holds); 0: every hit asks Redis.
PAGE_CACHE_LOCAL_MS = env_int("PAGE_CACHE_LOCAL_MS", 100)
# nginx's proxy cache (deploy/nginx/newsroom.conf) keeps a page until the end
# of the current second (X-Accel-Expires), then revalidates it; 0: no header.
PAGE_CACHE_FRONT_SECONDS = env_int("PAGE_CACHE_FRONT_SECONDS", 1)
# « Sujets les + lus » / « les + commentés » are recomputed at least this often.
SIDEBAR_CACHE_SECONDS = env_int("SIDEBAR_CACHE_SECONDS", 300)

# --- Articles ----------------------------------------------------------------
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 12)
# Reads (« Sujets les + lus », articles/reads.py): one reader (address and
# browser) counts once per article in this time; one address sends at most
# this many beacons a minute; with Redis, counts reach the database in one
# batch per window of this many seconds.
READS_CLIENT_WINDOW_SECONDS = env_int("READS_CLIENT_WINDOW_SECONDS", 30 * 60)
READS_MAX_PER_ADDRESS_PER_MINUTE = env_int("READS_MAX_PER_ADDRESS_PER_MINUTE", 30)
READS_FLUSH_SECONDS = env_int("READS_FLUSH_SECONDS", 60)

# --- Comments ----------------------------------------------------------------
# Who receives the "new comment to moderate" e-mail (comma-separated).
COMMENTS_MODERATOR_EMAILS = env_list("COMMENTS_MODERATOR_EMAILS", "moderation@localhost")
# Comments close by themselves this many days after publication (0: never).
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30)
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
# A comment with this many links or more is held with the reason "too many links".
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
# Anti-abuse: a form sent sooner than this after display is refused; an older
# one must be sent again (its text is kept); a second comment from the same IP
# address or e-mail within the flood interval is refused (HTTP 429).
COMMENTS_MIN_SUBMIT_SECONDS = env_int("COMMENTS_MIN_SUBMIT_SECONDS", 3)
COMMENTS_FORM_MAX_AGE_SECONDS = env_int("COMMENTS_FORM_MAX_AGE_SECONDS", 2 * 60 * 60)
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15)
# Privacy: `manage.py purge_comment_data` clears IP addresses older than the
# first period and deletes rejected and spam comments older than the second.
COMMENTS_IP_RETENTION_DAYS = env_int("COMMENTS_IP_RETENTION_DAYS", 365)
COMMENTS_REJECTED_RETENTION_DAYS = env_int("COMMENTS_REJECTED_RETENTION_DAYS", 90)
# Moderation desk: a daily digest goes to the moderators (at that local hour)
# when a comment has waited longer than this many hours.
COMMENTS_DIGEST_AFTER_HOURS = env_int("COMMENTS_DIGEST_AFTER_HOURS", 12)
COMMENTS_DIGEST_HOUR = env_int("COMMENTS_DIGEST_HOUR", 8)
# The « Approuver » / « Rejeter » links of the moderators' e-mail expire after this many hours.
COMMENTS_EMAIL_LINK_HOURS = env_int("COMMENTS_EMAIL_LINK_HOURS", 72)
# Readers' reports: a comment reported by this many distinct readers is hidden
# until a moderator decides (0: never hidden); reports per address per hour.
COMMENTS_HIDE_AFTER_REPORTS = env_int("COMMENTS_HIDE_AFTER_REPORTS", 0)
COMMENTS_REPORTS_PER_HOUR = env_int("COMMENTS_REPORTS_PER_HOUR", 10)
# A page (and the signed timestamp of its comment form) is never kept longer
# than the server cache's time slot plus what browsers and shared caches add.
if PAGE_CACHE_TIMEOUT + PAGE_CACHE_MAX_AGE + PAGE_CACHE_SHARED_MAX_AGE > COMMENTS_FORM_MAX_AGE_SECONDS // 2:
    raise ImproperlyConfigured(
        "PAGE_CACHE_TIMEOUT + PAGE_CACHE_MAX_AGE + PAGE_CACHE_SHARED_MAX_AGE must stay under half of "
        "COMMENTS_FORM_MAX_AGE_SECONDS, or cached comment forms would expire."
    )

# --- Events ------------------------------------------------------------------
EVENTS_PER_PAGE = env_int("EVENTS_PER_PAGE", 12)  # past events per archive page
EVENTS_AGENDA_SIZE = env_int("EVENTS_AGENDA_SIZE", 3)  # events in the home « Agenda » block
# Calendars need an end time: events announced "from 10 h" last this long in .ics files.
EVENTS_DEFAULT_DURATION_MINUTES = env_int("EVENTS_DEFAULT_DURATION_MINUTES", 120)

# --- Errors and logs ------------------------------------------------------------
# Who gets Django's error e-mails (a 500 in production, with its traceback):
# comma-separated addresses, e.g. "Astreinte <astreinte@example.org>". The 500
# page says « La rédaction technique a été prévenue » only when it is set.
ADMINS = env_list("DJANGO_ADMINS")
# Logs go to stdout: JSON lines in production (LOG_FORMAT=json, the default
# when DEBUG is off), readable lines in development; each has the request id.
LOG_FORMAT = env("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", "INFO"))
# A Redis outage: one line every 10 s per process, not one traceback per cache call.
LOGGING["filters"]["cache_outage"] = {"()": "newsroom.cache_outage.CacheOutageLines", "seconds": 10}
LOGGING["loggers"]["django_redis.cache"] = {"filters": ["cache_outage"]}
# The request id (django-guid): taken from the proxy's X-Request-ID (nginx:
# `proxy_set_header X-Request-ID $request_id;`) or made here, sent back in the
# response's X-Request-ID header.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}
