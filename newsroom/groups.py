"""The editorial groups and what they may do, in one place.

« Rédaction » writes articles and events; « Modération » handles comments
only (`moderate_comment` shows commenters' email and IP address and opens the
privacy tools). After every `migrate` (and every `flush`, which tests run),
the post_migrate signal calls `ensure_editorial_groups`, which creates the
groups and grants what is listed here: a new model's permissions reach its
group with the migration that adds it. It grants and never revokes, so a
permission given by hand to a group stays.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ALL = ("add", "change", "delete", "view")

GROUP_PERMISSIONS = {
    "Rédaction": {
        "articles": {"article": ALL, "section": ALL, "tag": ALL, "author": ALL},
        # The trust pages exist once each: editors change them, nobody adds or deletes one.
        "pages": {"page": ("change", "view")},
        "events": dict.fromkeys(
            (
                "event",
                "eventseries",
                "eventorganiser",
                "venue",
                "organisation",
                "person",
                "programmeitem",
                "participation",
            ),
            ALL,
        ),
    },
    "Modération": {
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
