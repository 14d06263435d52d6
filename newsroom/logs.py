"""Logging: JSON lines on stdout in production, readable lines in
development, each carrying the request id; errors mailed to ADMINS.

`logging_config()` builds the `LOGGING` dictionary of the settings. Every
line says when, how bad, which logger, what, and the request it belongs to
(`request_id`): the `X-Request-ID` header the proxy sent (nginx's
`$request_id`), or one made up by django-guid, which also returns it in the
response's `X-Request-ID` header and on the 500 page, so a reader's report,
nginx's access log and the application's lines meet.
"""

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s"


def logging_config(*, log_format="json", level="INFO"):
    """The `LOGGING` dict: `log_format` is "json" (one JSON object a line:
    time, level, logger, message, request_id, and the exception when there is
    one) or "text". Errors of `django.request` (a 500) are also mailed to
    `ADMINS` when DEBUG is off (Django's AdminEmailHandler; nothing is sent
    while ADMINS is empty)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "django_guid.log_filters.CorrelationId"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {
                    "asctime": "time",
                    "levelname": "level",
                    "name": "logger",
                    "correlation_id": "request_id",
                },
                "json_ensure_ascii": False,
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
                "filters": ["request_id"],
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["console", "mail_admins"], "level": level, "propagate": False},
            "django.db.backends": {"level": "INFO"},
            # One line per request at INFO about its id: noise.
            "django_guid": {"level": "WARNING"},
            # « AXES: BEGIN version … » at every start of every command: noise
            # (failures and lock-outs come from axes.handlers, kept).
            "axes.apps": {"level": "WARNING"},
        },
    }
