"""Revisions of articles and events, with django-reversion.

Every save records a revision (who, when, and the whole object: fields,
tags and authors, dates): the admin's forms and actions, the services and
the demo open a revision themselves (`reversion.create_revision`, with the
user); any other save (a shell, a command that forgot) still records one,
through the fallback receivers below. The history lists versions without
loading their content, the comparison loads two, and « Restaurer cette
version » writes the old content back as a new revision.

Why django-reversion rather than django-pghistory: pghistory records through
PostgreSQL triggers, and `make run` / `make test` run on SQLite; reversion
works the same on both, serialises many-to-many fields (tags, authors) with
the object, and restores a version with Django's own deserialiser.
"""

import difflib
import html
import re

import reversion
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

from audit.models import AuditAction
from audit.services import record_action

#: Fields a restore never writes back: publishing stays a decision of its
#: own (a restore must not publish or unpublish), and what the site keeps up
#: to date by itself (counters, renditions, correction dates) stays current.
NOT_RESTORED = {
    "status",
    "published_at",
    "publication_status",
    "significant_update_at",
    "corrected_at",
    "created_at",
    "updated_at",
    "sequence",
}
PHOTO_FIELDS = {"image", "image_width", "image_height", "image_renditions"}
HTML_FIELDS = {"body", "description"}


def register(model, *, exclude=()):
    """Follow `model` with django-reversion, and record a revision for a save
    made outside any revision block."""
    reversion.register(model, exclude=exclude)
    post_save.connect(_record_stray_save, sender=model, dispatch_uid=f"revisions.save.{model._meta.label}")
    for field in model._meta.local_many_to_many:
        if field.name not in exclude:
            m2m_changed.connect(
                _record_stray_m2m,
                sender=field.remote_field.through,
                dispatch_uid=f"revisions.m2m.{model._meta.label}.{field.name}",
            )


def _record_stray_save(sender, instance, raw=False, **kwargs):
    if raw or reversion.is_active():
        return
    with reversion.create_revision():
        reversion.add_to_revision(instance)


def _record_stray_m2m(sender, instance, action, reverse, **kwargs):
    if reverse or not action.startswith("post_") or reversion.is_active():
        return
    with reversion.create_revision():
        reversion.add_to_revision(instance)


def current_user():
    """The user of the revision being recorded (set by the admin and the
    services), or None outside one."""
    return reversion.get_user() if reversion.is_active() else None


def history(obj):
    """The versions of `obj`, newest first, without their content: a page of
    the history costs one query whatever their number (served by reversion's
    unique index on db, content type, object id and revision)."""
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .defer("serialized_data", "object_repr")
        .order_by("-revision_id")
    )


# --- Comparing ---------------------------------------------------------------

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
_TOKENS = re.compile(r"\s+|[^\s]+")


def html_to_text(value):
    """Readable text of stored HTML: one line per paragraph, no tags."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", value or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def word_diff(old, new):
    """HTML of `new` with the words removed since `old` in <del> and the words
    added in <ins>; everything escaped."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old_tokens[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f'<del class="diff-del">{escape("".join(old_tokens[i1:i2]))}</del>')
        if tag in ("insert", "replace"):
            parts.append(f'<ins class="diff-ins">{escape("".join(new_tokens[j1:j2]))}</ins>')
    return mark_safe("".join(parts).replace("\n", "<br>"))


def _related_names(model, versions):
    """{field name: {pk: str}} for the foreign keys and many-to-many fields of
    `versions`: one query per related model, whatever the number of values."""
    wanted = {}
    for field in model._meta.get_fields():
        if not (field.many_to_many or field.many_to_one) or field.auto_created:
            continue
        pks = set()
        for version in versions:
            value = version.field_dict.get(field.attname)
            pks.update(value if isinstance(value, list) else [value] if value is not None else [])
        if pks:
            related = field.remote_field.model
            wanted[field.attname] = {obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=pks)}
    return wanted


def _display(field, value, names):
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return ", ".join(names.get(field.attname, {}).get(pk, f"#{pk}") for pk in value)
    if field.many_to_one:
        return names.get(field.attname, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("oui") if value else _("non")
    if isinstance(field, models.DateTimeField):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(field, models.JSONField):
        return _("%(count)d éléments") % {"count": len(value)} if isinstance(value, list) else str(value)
    if field.name in HTML_FIELDS:
        return html_to_text(value)
    return str(value)


def compare(old, new):
    """Rows of the comparison of two versions of one object: every field with
    its label, whether it changed, and the new value with the removed words
    in <del> and the added ones in <ins>. Two queries at most per related
    model, none per field."""
    model = old._model
    names = _related_names(model, [old, new])
    rows = []
    for field in model._meta.get_fields():
        if field.auto_created or field.primary_key or not (field.concrete or field.many_to_many):
            continue
        if field.attname not in old.field_dict and field.attname not in new.field_dict:
            continue
        before = _display(field, old.field_dict.get(field.attname), names)
        after = _display(field, new.field_dict.get(field.attname), names)
        changed = before != after
        rows.append(
            {
                "label": field.verbose_name,
                "changed": changed,
                "diff": word_diff(before, after) if changed else escape(after).replace("\n", "<br>"),
            }
        )
    return rows


# --- Restoring ---------------------------------------------------------------


def restore_version(*, version, by, can_publish):
    """Write the content of `version` back to its object, as a new revision.

    The publication state (status, dates) is kept as it is now: restoring an
    old draft does not unpublish an article. The photo of the old version is
    restored only if its file is still stored; otherwise the current photo
    stays (returned flag False). Refused (PermissionDenied) on a published
    object when `can_publish` is False.

    Side effects: saves the object (and its tags/authors) through `save()`,
    records a revision « Restauration de la version du … » by `by` and a
    « Restauration » line in the journal.
    """
    model = version._model
    when = timezone.localtime(version.revision.date_created).strftime("%d/%m/%Y %H:%M")
    with transaction.atomic(), reversion.create_revision():
        # First, so that a slug given back by the restore is recorded as theirs.
        reversion.set_user(by)
        reversion.set_comment(_("Restauration de la version du %(date)s") % {"date": when})
        obj = model._base_manager.select_for_update().get(pk=version.object_id)
        if _is_public(obj) and not can_publish:
            raise PermissionDenied
        old = version._object_version
        photo_restored = _photo_still_stored(old.object)
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in NOT_RESTORED or field.attname not in version.field_dict:
                continue
            if field.name in PHOTO_FIELDS and not photo_restored:
                continue
            value = getattr(old.object, field.attname)
            if (
                field.unique
                and model._base_manager.filter(**{field.attname: value}).exclude(pk=obj.pk).exists()
            ):
                continue  # an old slug taken since by another page: the current one stays
            setattr(obj, field.attname, value)
        obj.save()
        for name, pks in (old.m2m_data or {}).items():
            related = model._meta.get_field(name).remote_field.model
            getattr(obj, name).set(related._base_manager.filter(pk__in=pks))
        record_action(
            action=AuditAction.RESTORE,
            actor=by,
            obj=obj,
            details={"version": version.pk, "revision_date": version.revision.date_created.isoformat()},
        )
    return obj, photo_restored


def _is_public(obj):
    return bool(getattr(obj, "is_public", False) or getattr(obj, "is_published", False))


def _photo_still_stored(old_obj):
    image = getattr(old_obj, "image", None)
    if not image:
        return True
    names = [image.name] + [r.get("name") for r in getattr(old_obj, "image_renditions", None) or []]
    return all(name and image.storage.exists(name) for name in names)
