"""Writing the journal: one function, called by the services that act.

It runs inside the caller's transaction, so an action and its journal line
are committed (or rolled back) together.
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditAction, AuditEntry


def record_action(*, action: AuditAction, actor=None, obj=None, bulk=False, details=None, object_repr=""):
    """Add one line to the journal and return it.

    `actor` is the user who acted (None for a command run from cron); `obj`
    the object acted upon, if any. Side effects: one INSERT.
    """
    entry = AuditEntry(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        bulk=bulk,
        details=details or {},
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:250],
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
    entry.save()
    return entry


def email_fingerprint(email: str) -> str:
    """A keyed hash of a commenter's e-mail for the journal: the same address
    always gives the same fingerprint (so two requests about one reader can be
    matched), but the address cannot be read back from it."""
    normalised = email.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"audit-email:" + normalised, hashlib.sha256).hexdigest()[
        :16
    ]
