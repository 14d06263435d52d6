"""HTTP helpers shared by every app: who the client is, how big a body may be.

`client_ip(request)` is the one place that turns the request into the
reader's address: comments (flood control, the stored address), the login
throttle (django-axes, `AXES_CLIENT_IP_CALLABLE`) and the read counter's
beacon all call it.
"""

import ipaddress
from functools import wraps

from django.conf import settings


def parse_ip(value):
    """The IP address written in `value`, normalised, or None.

    Accepts what proxies and clients really send: `198.51.100.7`,
    `198.51.100.7:5555` (a port), `[2001:db8::1]:443` and `[2001:db8::1]`
    (brackets), an IPv4-mapped IPv6 (`::ffff:198.51.100.7`, given as IPv4).
    Anything else (`unknown`, `_hidden`, a host name, junk, an obfuscated
    identifier from RFC 7239) gives None; this function never raises.
    """
    if not isinstance(value, str):
        return None
    value = value.strip().strip('"').strip()
    if not value or len(value) > 64:
        return None
    if value.startswith("["):
        # [IPv6] or [IPv6]:port
        host, bracket, _rest = value[1:].partition("]")
        value = host if bracket else ""
    elif value.count(":") == 1:
        # IPv4:port (an IPv6 address has at least two colons)
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_ip(request):
    """The client's address, or None when it cannot be known.

    Behind our reverse proxy (`DJANGO_BEHIND_PROXY=true`) it is the last entry
    of `X-Forwarded-For`: the one our proxy appended (the entries before it
    are whatever the client sent, and can be forged). Otherwise, or without
    that header, it is `REMOTE_ADDR`. A malformed value gives None, never an
    error: callers store None and skip address-based checks.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_X_FORWARDED_FOR and forwarded.strip():
        return parse_ip(forwarded.split(",")[-1])
    return parse_ip(request.META.get("REMOTE_ADDR", ""))


def declared_body_size(request):
    """The `Content-Length` the client announced (0 when absent or junk)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def limit_body_size(max_bytes, *, refuse):
    """View decorator: a request body over `max_bytes` is refused before
    anything reads it, with `refuse(request)` (which must not touch
    `request.POST` or `request.body`).

    Under WSGI, Django reads at most `Content-Length` bytes of the body, so
    checking the announced length bounds what is read: a body without it is
    read as empty, one that announces more than it sends is cut short.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if declared_body_size(request) > max_bytes:
                return refuse(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
