import itertools
import json
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article
from comments.models import (
    Comment,
    CommentStatus,
    HoldReason,
    InvalidTransition,
    ModerationWord,
    WordListKind,
)
from comments.normalise import text_hash
from comments.services import (
    anonymise_comments_for_email,
    approve_comment,
    export_comments_for_email,
    mark_comment_as_spam,
    purge_comment_data,
    reject_comment,
    reply_as_newsroom,
    submit_comment,
)
from tests.comments.factories import make_approved_comment, make_comment
from tests.conftest import make_article, plain

pytestmark = pytest.mark.django_db


_readers = itertools.count(1)


def submit(article=None, **fields):
    """A comment through the service, from a new reader each time (distinct
    email and address: the flood rule is not what these tests are about)."""
    n = next(_readers)
    fields.setdefault("name", "Lou")
    fields.setdefault("email", f"lou{n}@example.org")
    fields.setdefault("text", "Un avis.")
    fields.setdefault("ip_address", f"192.0.2.{n % 250 + 1}")
    return submit_comment(article=article or make_article(), **fields)


def test_approve_comment_records_who_and_when_and_updates_the_article(moderator):
    comment = make_comment()

    approve_comment(comment.pk, moderator=moderator)

    comment.refresh_from_db()
    article = Article.objects.get(pk=comment.article_id)
    assert comment.status == CommentStatus.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    assert list(comment.state_changes.values_list("status", "changed_by")) == [("approved", moderator.pk)]
    assert article.approved_comment_count == 1
    assert article.comments_changed_at is not None


def test_rejecting_an_approved_comment_lowers_the_count(moderator):
    comment = make_approved_comment(moderator=moderator)

    reject_comment(comment.pk, moderator=moderator)

    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 0


def test_rejected_comment_can_be_approved_again(moderator):
    comment = make_comment(status=CommentStatus.REJECTED)

    approve_comment(comment.pk, moderator=moderator)

    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (CommentStatus.APPROVED, approve_comment),
        (CommentStatus.REJECTED, reject_comment),
        (CommentStatus.SPAM, reject_comment),
        (CommentStatus.SPAM, mark_comment_as_spam),
        (CommentStatus.REJECTED, mark_comment_as_spam),
    ],
)
def test_forbidden_transitions_are_refused(moderator, start, action):
    comment = make_comment(status=start)

    with pytest.raises(InvalidTransition):
        action(comment.pk, moderator=moderator)

    assert Comment.objects.get(pk=comment.pk).status == start


def test_two_moderators_approving_one_comment_make_one_transition(moderator, editor):
    comment = make_comment()

    approve_comment(comment.pk, moderator=moderator)
    with pytest.raises(InvalidTransition):
        approve_comment(comment.pk, moderator=editor)

    assert comment.state_changes.count() == 1
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_at_once_on_postgresql_make_one_transition(moderator, editor):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL to be tested with threads")
    comment = make_comment()
    outcomes = []
    barrier = threading.Barrier(2)

    def act(user):
        barrier.wait()
        try:
            approve_comment(comment.pk, moderator=user)
            outcomes.append("done")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(user,)) for user in (moderator, editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["done", "refused"]
    assert comment.state_changes.count() == 1
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1


def test_comment_with_two_links_is_held_with_reason_links():
    comment = submit(text="Voir https://a.example et www.b.example")

    assert comment.status == CommentStatus.PENDING
    assert comment.hold_reasons == [HoldReason.LINKS]


def test_comment_with_one_link_has_no_hold_reason():
    assert submit(text="Voir https://a.example").hold_reasons == []


def test_word_from_moderation_list_is_a_hold_reason():
    ModerationWord.objects.create(word="casino", kind=WordListKind.MODERATE)

    comment = submit(text="Le Casino du coin ferme.")

    assert comment.status == CommentStatus.PENDING
    assert comment.hold_reasons == [HoldReason.MODERATED_WORD]


def test_word_from_disallowed_list_sends_comment_to_spam_without_notification(
    mailoutbox, django_capture_on_commit_callbacks
):
    ModerationWord.objects.create(word="viagra", kind=WordListKind.DISALLOW)

    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(text="Achetez du VIAGRA ici")

    assert comment.status == CommentStatus.SPAM
    assert mailoutbox == []


def test_same_text_already_received_is_held_as_suspected_duplicate():
    submit(email="un@example.org", text="Texte copié-collé partout.")

    comment = submit(email="deux@example.org", text="Texte copié-collé partout.")

    assert comment.hold_reasons == [HoldReason.DUPLICATE]


def test_new_pending_comment_emails_the_moderators(settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    article = make_article(title="Le port accélère")

    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(article=article, name="Lou", text="Bravo au port.")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["moderation@example.org"]
    assert mail.subject == "Nouveau commentaire à modérer\u00a0: Le port accélère"
    assert "Bravo au port." in mail.body
    assert "Lou" in mail.body
    assert f"http://127.0.0.1:8000{article.get_absolute_url()}" in mail.body
    assert f"http://127.0.0.1:8000/admin/comments/comment/{comment.pk}/change/" in mail.body


def test_notification_is_sent_only_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit()

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_mail_failure_never_fails_the_post_nor_loses_the_comment(
    client, settings, django_capture_on_commit_callbacks
):
    from tests.comments.factories import post_data

    settings.MAILERS = {"default": {"BACKEND": "tests.comments.mail_backends.FailingEmailBackend"}}
    article = make_article()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/commentaires/envoyer/", post_data(article, text="Gardé malgré la panne"))

    assert response.status_code == 302
    assert Comment.objects.get().text == "Gardé malgré la panne"


def test_failing_mail_backend_really_raises(settings):
    from django.core.mail import send_mail

    settings.MAILERS = {"default": {"BACKEND": "tests.comments.mail_backends.FailingEmailBackend"}}

    with pytest.raises(ConnectionRefusedError):
        send_mail("s", "b", None, ["x@example.org"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_queue_and_db_worker_send_the_notification(settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    from django_tasks_db.models import DBTaskResult

    submit(text="Via la file d'attente")
    # The notification, and the first daily digest (scheduled for later).
    assert DBTaskResult.objects.filter(task_path="comments.tasks.notify_moderators").count() == 1
    assert DBTaskResult.objects.filter(task_path="comments.tasks.send_moderation_digest").count() == 1
    assert mailoutbox == []

    call_command("db_worker", "--batch", "--no-startup-delay")

    assert len(mailoutbox) == 1
    assert "Via la file d'attente" in mailoutbox[0].body


def test_newsroom_reply_is_published_at_once_under_the_comment(client, moderator):
    comment = make_approved_comment(text="Une question ?")

    reply_as_newsroom(parent_id=comment.pk, text="Voici la réponse.", moderator=moderator)

    html = plain(client.get(comment.article.get_absolute_url()))
    assert "La rédaction" in html
    assert html.index("Une question ?") < html.index("Voici la réponse.")
    # The heading counts readers' comments, as « Sujets les + commentés » does.
    assert "1 commentaire<" in html
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1


def test_export_gives_every_comment_of_an_email_as_json():
    make_comment(author_email="Export@Example.org", text="Premier")
    make_comment(author_email="export@example.org", text="Second")
    make_comment(author_email="autre@example.org", text="Autre")

    data = export_comments_for_email("export@example.org")

    assert [row["text"] for row in data] == ["Premier", "Second"]
    assert json.loads(json.dumps(data))[0]["email"] == "Export@Example.org"


def test_anonymise_clears_name_email_and_ip_and_keeps_text():
    comment = make_comment(author_name="Jeanne", author_email="jeanne@example.org", text="Mon texte")

    assert anonymise_comments_for_email("jeanne@example.org") == 1

    comment.refresh_from_db()
    assert (comment.author_name, comment.author_email, comment.ip_address, comment.text) == (
        "Anonyme",
        "",
        None,
        "Mon texte",
    )


def test_purge_command_clears_old_ips_and_deletes_old_rejected_and_spam():
    now = timezone.now()
    old_approved = make_comment(status=CommentStatus.APPROVED, created_at=now - timedelta(days=400))
    recent = make_comment(status=CommentStatus.APPROVED, created_at=now - timedelta(days=10))
    old_rejected = make_comment(status=CommentStatus.REJECTED, created_at=now - timedelta(days=91))
    old_spam = make_comment(status=CommentStatus.SPAM, created_at=now - timedelta(days=91))
    young_spam = make_comment(status=CommentStatus.SPAM, created_at=now - timedelta(days=89))

    call_command("purge_comment_data")

    assert Comment.objects.get(pk=old_approved.pk).ip_address is None
    assert Comment.objects.get(pk=recent.pk).ip_address == recent.ip_address
    assert not Comment.objects.filter(pk__in=[old_rejected.pk, old_spam.pk]).exists()
    assert Comment.objects.filter(pk=young_spam.pk).exists()


def test_purge_command_periods_are_configurable():
    comment = make_comment(created_at=timezone.now() - timedelta(days=20))

    call_command("purge_comment_data", "--ip-days", "10")

    assert Comment.objects.get(pk=comment.pk).ip_address is None


def test_same_text_with_other_case_and_spacing_is_a_suspected_duplicate():
    submit(email="un@example.org", text="Texte copié-collé partout.")

    comment = submit(email="deux@example.org", text="  TEXTE   copié-collé\npartout. ")

    assert comment.hold_reasons == [HoldReason.DUPLICATE]
    assert comment.text_hash == text_hash("texte copié-collé partout.")


def test_a_comment_keeps_its_normalised_email_and_text_hash():
    comment = make_comment(author_email=" Marie@Exemple.FR", text="Bravo !")

    comment.text = "Bravo encore !"
    comment.save(update_fields=["text"])

    comment.refresh_from_db()
    assert comment.author_email_normalised == "marie@exemple.fr"
    assert comment.text_hash == text_hash("bravo encore !")


# purge_comment_data at a million comments: batches, each its own transaction.


def test_purge_works_through_every_batch():
    now = timezone.now()
    article = make_article()
    old = [make_comment(article=article, created_at=now - timedelta(days=400)) for _ in range(5)]
    rejected = [
        make_comment(article=article, status=CommentStatus.REJECTED, created_at=now - timedelta(days=91))
        for _ in range(5)
    ]

    cleared, deleted = purge_comment_data(ip_retention_days=365, rejected_retention_days=90, batch_size=2)

    assert (cleared, deleted) == (5, 5)
    assert not Comment.objects.filter(pk__in=[c.pk for c in rejected]).exists()
    assert set(Comment.objects.filter(pk__in=[c.pk for c in old]).values_list("ip_address", flat=True)) == {
        None
    }


def test_purge_that_fails_midway_keeps_the_batches_already_done(monkeypatch):
    now = timezone.now()
    for _ in range(4):
        make_comment(status=CommentStatus.SPAM, created_at=now - timedelta(days=91))
    batches = []
    real_delete = QuerySet.delete

    def delete_then_fail(queryset):
        batches.append(1)
        if len(batches) == 2:
            raise DatabaseError("connexion perdue")
        return real_delete(queryset)

    monkeypatch.setattr(QuerySet, "delete", delete_then_fail)

    with pytest.raises(DatabaseError):
        purge_comment_data(ip_retention_days=365, rejected_retention_days=90, batch_size=2)

    assert Comment.objects.count() == 2


def test_purging_a_rejected_comment_removes_its_public_answer_and_refreshes_the_page(moderator):
    now = timezone.now()
    article = make_article()
    parent = make_comment(article=article, created_at=now - timedelta(days=100))
    reply_as_newsroom(parent_id=parent.pk, text="Merci, corrigé.", moderator=moderator)
    reject_comment(parent.pk, moderator=moderator)
    kept = make_approved_comment(article=article, moderator=moderator)
    before = Article.objects.get(pk=article.pk).comments_changed_at

    purge_comment_data(ip_retention_days=365, rejected_retention_days=90)

    article.refresh_from_db()
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert article.approved_comment_count == 1  # answers are not readers' comments
    assert article.comments_changed_at > before
