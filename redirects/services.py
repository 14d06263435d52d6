"""Redirects: created when a public address changes, or by an editor."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record_action
from redirects.models import MAX_PATH, NotFoundPath, Redirect, RedirectKind


def find_redirect(path: str) -> str | None:
    """Where `path` now lives, or None. One query on the unique index of
    `old_path`; chains are collapsed when redirects are written, so the answer
    is always the final address."""
    if len(path) > MAX_PATH:
        return None
    rows = Redirect.objects.filter(old_path=path).values_list("new_path", flat=True)[:1]
    return rows[0] if rows else None


@transaction.atomic
def create_redirect(
    *, old_path: str, new_path: str, by=None, kind=RedirectKind.MANUAL, obj=None, record=True
) -> Redirect:
    """Make `old_path` answer 301 to `new_path`.

    Chains collapse: if `new_path` is itself redirected, the redirect goes to
    its final address, and every redirect that pointed to `old_path` now
    points there too (A→B then B→C serves A→C). For a slug change the new
    address is live, so a redirect *from* it (an old slug used again) is
    removed. Refused (ValidationError) when it would loop.

    Side effects: writes Redirect rows, forgets the 404 count of `old_path`,
    and, unless `record` is False (the feeds of a section that moved),
    records the change in the journal (« Changement d'adresse » or
    « Redirection manuelle »).
    """
    if old_path == new_path:
        raise ValidationError(_("L'ancienne et la nouvelle adresse sont identiques."))
    if kind == RedirectKind.SLUG_CHANGE:
        Redirect.objects.filter(old_path=new_path).delete()
    target = find_redirect(new_path) or new_path
    if target == old_path:
        raise ValidationError(
            _("Cette redirection ferait une boucle : %(path)s renvoie déjà vers %(old)s.")
            % {"path": new_path, "old": old_path}
        )
    Redirect.objects.filter(new_path=old_path).update(new_path=target)
    redirect, _created = Redirect.objects.update_or_create(
        old_path=old_path, defaults={"new_path": target, "kind": kind, "created_by": by}
    )
    NotFoundPath.objects.filter(path=old_path).delete()
    if record:
        record_action(
            action=AuditAction.SLUG_CHANGE if kind == RedirectKind.SLUG_CHANGE else AuditAction.REDIRECT,
            actor=by,
            obj=obj if obj is not None else redirect,
            details={"old_path": old_path, "new_path": target},
        )
    return redirect
