"""The moderators' daily digest: sent when comments have waited longer than
COMMENTS_DIGEST_AFTER_HOURS, at most once a day, scheduled without cron."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from comments.models import Comment, ModerationDigest
from comments.tasks import next_digest_time, schedule_digest, send_moderation_digest
from tests.comments.factories import make_comment
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_with_email(moderator):
    moderator.email = "moderatrice@example.org"
    moderator.save()
    return moderator


def waiting(hours, **fields):
    comment = make_comment(**fields)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    return comment


def test_digest_tells_each_moderator_what_waits_too_long(settings, mailoutbox, moderator_with_email):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    settings.COMMENTS_DIGEST_AFTER_HOURS = 12
    port = make_article(title="Le port accélère")
    waiting(30, article=port)
    waiting(2, article=port)
    waiting(1)

    sent = send_moderation_digest.call()

    assert sent == 2
    assert [mail.to for mail in mailoutbox] == [["moderatrice@example.org"], ["moderation@example.org"]]
    mail = mailoutbox[0]
    assert mail.subject == "3 commentaires attendent la modération"
    assert "Le plus ancien attend depuis 30 heures." in mail.body
    assert "- Le port accélère (2)" in mail.body
    assert "http://127.0.0.1:8000/admin/comments/comment/desk/" in mail.body


def test_digest_run_twice_the_same_day_sends_once(settings, mailoutbox, moderator_with_email):
    settings.COMMENTS_MODERATOR_EMAILS = []
    waiting(20)
    today = timezone.localdate().isoformat()

    first = send_moderation_digest.call(day=today)
    second = send_moderation_digest.call(day=today)

    assert (first, second) == (1, 0)
    assert len(mailoutbox) == 1
    assert ModerationDigest.objects.get(day=timezone.localdate()).sent_at is not None


def test_no_digest_when_nothing_waits_longer_than_the_limit(settings, mailoutbox, moderator_with_email):
    settings.COMMENTS_DIGEST_AFTER_HOURS = 12
    waiting(11)

    assert send_moderation_digest.call() == 0
    assert mailoutbox == []


def test_next_digest_is_at_the_configured_hour_local_time(settings):
    settings.COMMENTS_DIGEST_HOUR = 8
    paris = timezone.get_current_timezone()

    before = next_digest_time(datetime(2026, 3, 2, 7, 30, tzinfo=paris))
    after = next_digest_time(datetime(2026, 3, 2, 9, 0, tzinfo=paris))

    assert before == datetime(2026, 3, 2, 8, 0, tzinfo=paris)
    assert after == datetime(2026, 3, 3, 8, 0, tzinfo=paris)


def test_immediate_backend_schedules_nothing():
    assert schedule_digest() is None
    assert ModerationDigest.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_digest_is_scheduled_once_per_day_on_the_database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_DIGEST_HOUR = 8
    from django_tasks_db.models import DBTaskResult

    first = schedule_digest()
    second = schedule_digest()

    assert first is not None and second is None
    task = DBTaskResult.objects.get(task_path="comments.tasks.send_moderation_digest")
    assert task.run_after == next_digest_time()
    assert task.args_kwargs["kwargs"] == {"day": next_digest_time().date().isoformat()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_digest_schedules_the_next_day(settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    today = timezone.localdate()
    send_moderation_digest.call(day=today.isoformat())

    days = set(ModerationDigest.objects.values_list("day", flat=True))
    assert today in days and next_digest_time().date() in days
    assert DBTaskResult.objects.filter(task_path="comments.tasks.send_moderation_digest").count() == 1
