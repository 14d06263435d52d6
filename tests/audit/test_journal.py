"""One journal of editorial and moderation actions, for those allowed to read it."""

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditAction, AuditEntry
from audit.services import email_fingerprint, record_action
from comments.models import CommentStatus
from comments.services import (
    anonymise_comments_for_email,
    approve_comment,
    export_comments_for_email,
    mark_comment_as_spam,
    reject_comment,
    reply_as_newsroom,
)
from events.models import Event
from tests.comments.factories import make_comment
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("decide", "action"),
    [
        (approve_comment, AuditAction.COMMENT_APPROVE),
        (reject_comment, AuditAction.COMMENT_REJECT),
        (mark_comment_as_spam, AuditAction.COMMENT_SPAM),
    ],
)
def test_comment_decisions_are_recorded_without_the_email(moderator, decide, action):
    comment = make_comment(
        author_name="Jeanne", author_email="jeanne@example.org", status=CommentStatus.PENDING
    )

    decide(comment.pk, moderator=moderator)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_repr) == (action, moderator, f"#{comment.pk} — Jeanne")
    assert "jeanne@example.org" not in str(entry.details) + entry.object_repr


def test_newsroom_reply_is_recorded(moderator):
    comment = make_comment(status=CommentStatus.APPROVED)

    reply_as_newsroom(parent_id=comment.pk, text="Merci.", moderator=moderator)

    assert AuditEntry.objects.get().action == AuditAction.COMMENT_REPLY


def test_privacy_export_and_anonymisation_record_a_hash_and_a_count_never_the_email(moderator):
    make_comment(author_email="jeanne@example.org")
    make_comment(author_email="jeanne@example.org")

    export_comments_for_email("jeanne@example.org", by=moderator)
    anonymise_comments_for_email("jeanne@example.org", by=moderator)

    entries = list(AuditEntry.objects.order_by("id").values_list("action", "details"))
    fingerprint = email_fingerprint("Jeanne@Example.org ")
    assert entries == [
        (AuditAction.PRIVACY_EXPORT, {"email_hash": fingerprint, "comments": 2}),
        (AuditAction.PRIVACY_ANONYMISE, {"email_hash": fingerprint, "comments": 2}),
    ]
    assert "jeanne" not in fingerprint


def test_privacy_tool_in_the_admin_records_who_exported(client, moderator):
    make_comment(author_email="jeanne@example.org")
    client.force_login(moderator)

    client.post(
        "/admin/comments/comment/donnees-personnelles/", {"email": "jeanne@example.org", "export": "1"}
    )

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_name) == (AuditAction.PRIVACY_EXPORT, "moderatrice")


def test_duplicating_an_edition_is_recorded(client, chief):
    from tests.events.factories import make_event

    event = make_event(edition=3)
    client.force_login(chief)

    client.post(
        "/admin/events/event/", {"action": "duplicate_as_next_edition", "_selected_action": [event.pk]}
    )

    new = Event.objects.get(edition=4)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.details) == (
        AuditAction.DUPLICATE,
        str(new.pk),
        {"from_event": event.pk, "edition": 4},
    )


def test_writer_cannot_publish_an_event_through_the_form(client, writer):
    from tests.events.factories import make_event

    event = make_event(publication_status="draft")
    client.force_login(writer)

    page = client.get(f"/admin/events/event/{event.pk}/change/").content.decode()

    assert '<option value="published"' not in page


def test_the_journal_lists_actions_for_the_editor_in_chief_with_filters(client, chief, moderator):
    article = make_article(title="Le port accélère")
    record_action(action=AuditAction.PUBLISH, actor=chief, obj=article)
    record_action(action=AuditAction.COMMENT_APPROVE, actor=moderator, object_repr="#1 — Jeanne")
    client.force_login(chief)

    everything = client.get("/admin/audit/auditentry/").content.decode()
    by_moderator = client.get(f"/admin/audit/auditentry/?personne={moderator.pk}").content.decode()
    publications = client.get("/admin/audit/auditentry/?action__exact=publish").content.decode()

    assert "Le port accélère" in everything and "#1 — Jeanne" in everything
    assert "#1 — Jeanne" in by_moderator and "Le port accélère" not in by_moderator
    assert "Le port accélère" in publications and "#1 — Jeanne" not in publications


def test_the_journal_is_closed_to_writers_and_moderators(client, writer, moderator):
    for user in (writer, moderator):
        client.force_login(user)
        assert client.get("/admin/audit/auditentry/").status_code == 403


def test_the_journal_is_read_only(client, chief):
    entry = record_action(action=AuditAction.PUBLISH, actor=chief, object_repr="x")
    client.force_login(chief)

    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("count", [1, 30])
def test_the_journal_costs_the_same_whatever_its_size(client, chief, django_assert_num_queries, count):
    for n in range(count):
        record_action(action=AuditAction.PUBLISH, actor=chief, object_repr=f"Article {n}")
    client.force_login(chief)
    client.get("/admin/audit/auditentry/")

    # session, user, permissions (user, groups), staff for the person filter, capped count, page
    with django_assert_num_queries(7):
        client.get("/admin/audit/auditentry/")


def test_journal_permission_belongs_to_the_editor_in_chief_group():
    chief_group = Group.objects.get(name="Rédaction en chef")

    assert chief_group.permissions.filter(codename="view_auditentry").exists()
    assert not Group.objects.get(name="Rédacteur").permissions.filter(codename="view_auditentry").exists()


def test_bulk_moderation_from_the_list_is_recorded_as_bulk(client, moderator):
    comments = [make_comment(status=CommentStatus.PENDING) for _ in range(2)]
    client.force_login(moderator)

    client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [c.pk for c in comments]}
    )

    assert list(AuditEntry.objects.values_list("action", "bulk")) == [(AuditAction.COMMENT_APPROVE, True)] * 2
