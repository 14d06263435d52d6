"""The editorial groups and what they may do, in one place.

- « Rédacteur » writes articles and events and submits them for review
  (« À relire »); cannot publish, schedule, unpublish, delete or correct,
  nor change an article or event already public.
- « Rédaction en chef » does all that and publishes (`publish_article`,
  `publish_event`), attaches corrections, manages redirects and reads the
  journal of actions.
- « Rédaction », the group of the first version, keeps what it had (writing
  articles and events, sections, tags and authors); it was never given the
  new publish permission, so its members now submit like writers until they
  are put in « Rédaction en chef ».
- « Modération » handles comments only (`moderate_comment` shows commenters'
  email and IP address and opens the privacy tools).

After every `migrate` (and every `flush`, which tests run), the post_migrate
signal calls `ensure_editorial_groups`, which creates the groups and grants
what is listed here: a new model's permissions reach its group with the
migration that adds it. It grants and never revokes, so a permission given by
hand to a group stays.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ALL = ("add", "change", "delete", "view")
WRITE = ("add", "change", "view")

EVENT_MODELS = (
    "event",
    "eventseries",
    "eventorganiser",
    "venue",
    "organisation",
    "person",
    "programmeitem",
    "participation",
)

GROUP_PERMISSIONS = {
    "Rédaction": {
        "articles": {"article": ALL, "section": ALL, "tag": ALL, "author": ALL},
        # The trust pages exist once each: editors change them, nobody adds or deletes one.
        "pages": {"page": ("change", "view")},
        "events": dict.fromkeys(EVENT_MODELS, ALL),
    },
    "Rédacteur": {
        "articles": {"article": WRITE, "section": ("view",), "tag": WRITE, "author": ("view",)},
        "events": {**dict.fromkeys(EVENT_MODELS, WRITE)},
    },
    "Rédaction en chef": {
        "articles": {
            "article": (*ALL, "publish"),
            "section": ALL,
            "tag": ALL,
            "author": ALL,
            "correction": ALL,
        },
        "events": {**dict.fromkeys(EVENT_MODELS, ALL), "event": (*ALL, "publish")},
        "redirects": {"redirect": ALL, "notfoundpath": ("view", "delete")},
        "audit": {"auditentry": ("view",)},
    },
    "Modération": {
        # No permission on articles: previews of drafts need `view_article`;
        # the moderation list's « Par article » filter has its own search of
        # published articles (comments/admin.py).
        "comments": {
            "comment": ("view", "change", "delete", "moderate"),
            "moderationword": ALL,
            "commentstatechange": ("view",),
        },
    },
}


GRANTED_APPS = {app_label for apps in GROUP_PERMISSIONS.values() for app_label in apps}


def ensure_editorial_groups(sender=None, using="default", **kwargs):
    """Create the groups and grant their permissions; idempotent. A
    post_migrate receiver: it acts after each app whose permissions it grants
    (their permissions are created just before, for that app) and grants what
    exists so far, so the last of them grants everything."""
    if sender is not None and sender.label not in GRANTED_APPS:
        return
    for group_name, apps in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=group_name)
        wanted = Q(pk__in=[])
        for app_label, models in apps.items():
            codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*Permission.objects.using(using).filter(wanted))
