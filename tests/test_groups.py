"""The editorial groups come back, complete, after every migrate or flush."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal

pytestmark = pytest.mark.django_db


def permissions_of(name):
    group = Group.objects.get(name=name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_migrate_recreates_the_groups_with_their_permissions():
    Group.objects.all().delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert permissions_of("Modération") == {
        ("comments", "view_comment"),
        ("comments", "change_comment"),
        ("comments", "delete_comment"),
        ("comments", "moderate_comment"),
        ("comments", "add_moderationword"),
        ("comments", "change_moderationword"),
        ("comments", "delete_moderationword"),
        ("comments", "view_moderationword"),
        ("comments", "view_commentstatechange"),
    }
    redaction = permissions_of("Rédaction")
    assert {app for app, _codename in redaction} == {"articles", "events", "pages"}
    assert len(redaction) == 4 * 4 + 8 * 4 + 2
    assert {("pages", "change_page"), ("pages", "view_page")} < redaction
    assert ("articles", "change_article") in redaction
    assert ("events", "add_participation") in redaction


def test_a_permission_given_by_hand_is_kept():
    redaction = Group.objects.get(name="Rédaction")
    extra = Permission.objects.get(codename="view_comment")
    redaction.permissions.add(extra)

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert ("comments", "view_comment") in permissions_of("Rédaction")


def test_only_the_editor_in_chief_may_publish():
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert ("articles", "publish_article") in permissions_of("Rédaction en chef")
    assert ("events", "publish_event") in permissions_of("Rédaction en chef")
    assert ("articles", "add_correction") in permissions_of("Rédaction en chef")
    writer = permissions_of("Rédacteur")
    assert ("articles", "change_article") in writer
    assert ("articles", "delete_article") not in writer
    assert not {codename for _app, codename in writer} & {
        "publish_article",
        "publish_event",
        "add_correction",
    }
    assert ("articles", "publish_article") not in permissions_of("Rédaction")
