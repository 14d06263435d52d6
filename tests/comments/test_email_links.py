"""The moderators' notification: one e-mail per moderator, sent once even if
the task runs twice, with signed « Approuver » / « Rejeter » links bound to
the comment and to that moderator, valid once for 72 hours."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from comments import services
from comments.models import Comment, CommentStatus, HoldReason
from comments.signing import decision_token
from comments.tasks import notify_moderators, recipients
from tests.comments.factories import make_comment
from tests.conftest import make_article, make_staff, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_with_email(moderator):
    moderator.email = "moderatrice@example.org"
    moderator.first_name = "Camille"
    moderator.save()
    return moderator


def link(mail, label):
    return re.search(rf"^{label}\u00a0: http://127\.0\.0\.1:8000(\S+)$", mail.body, re.M).group(1)


def test_each_moderator_gets_one_mail_with_links_and_the_shared_address_one_without(
    settings, mailoutbox, moderator_with_email
):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org", "MODERATRICE@example.org"]
    comment = make_comment(hold_reasons=[HoldReason.LINKS, HoldReason.MODERATED_WORD])

    notify_moderators.call(comment_id=comment.pk)

    assert [mail.to for mail in mailoutbox] == [["moderatrice@example.org"], ["moderation@example.org"]]
    personal, shared = mailoutbox
    assert link(personal, "Approuver").startswith(f"/commentaires/{comment.pk}/decision/")
    assert link(personal, "Rejeter").startswith(f"/commentaires/{comment.pk}/decision/")
    assert "Approuver" not in shared.body
    for mail in mailoutbox:
        assert "Motifs de mise en attente\u00a0: Trop de liens, Mot de la liste de modération" in mail.body
        assert "links" not in mail.body


def test_notification_task_run_twice_sends_one_mail_per_recipient(settings, mailoutbox, moderator_with_email):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    comment = make_comment()

    first = notify_moderators.call(comment_id=comment.pk)
    second = notify_moderators.call(comment_id=comment.pk)

    assert (first, second) == (2, 0)
    assert len(mailoutbox) == 2
    assert Comment.objects.get(pk=comment.pk).notified_at is not None


def test_no_mail_for_a_comment_already_decided(mailoutbox, moderator_with_email):
    comment = make_comment(status=CommentStatus.REJECTED)

    assert notify_moderators.call(comment_id=comment.pk) == 0
    assert mailoutbox == []


def test_inactive_or_mail_less_moderators_get_no_mail(settings, mailoutbox, moderator, django_user_model):
    settings.COMMENTS_MODERATOR_EMAILS = []
    retired = django_user_model.objects.create_user("ancienne", email="ancienne@example.org", is_staff=True)
    retired.groups.add(*moderator.groups.all())
    retired.is_active = False
    retired.save()

    notify_moderators.call(comment_id=make_comment().pk)

    assert mailoutbox == []  # `moderator` has no address, `retired` is inactive


def test_valid_link_shows_a_confirmation_that_changes_nothing(client, moderator_with_email):
    comment = make_comment(text="Un avis sur le port.")
    token = decision_token(comment_id=comment.pk, moderator_id=moderator_with_email.pk, action="approve")
    url = f"/commentaires/{comment.pk}/decision/{token}/"

    response = client.get(url)

    assert response.status_code == 200
    assert "Approuver ce commentaire" in page_text(response)
    assert "Un avis sur le port." in page_text(response)
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING


def test_confirming_acts_once_in_the_moderators_name(client, moderator_with_email):
    comment = make_comment()
    token = decision_token(comment_id=comment.pk, moderator_id=moderator_with_email.pk, action="approve")
    url = f"/commentaires/{comment.pk}/decision/{token}/"

    first = client.post(url)
    again = client.post(url)

    assert first.status_code == 200
    assert "Commentaire approuvé." in page_text(first)
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (CommentStatus.APPROVED, moderator_with_email)
    assert AuditEntry.objects.get().action == AuditAction.COMMENT_APPROVE
    assert AuditEntry.objects.get().actor == moderator_with_email
    assert again.status_code == 409
    assert page_text(again).count("Déjà traité par Camille le ") == 1


def test_reused_link_after_another_decision_says_already_handled(client, moderator_with_email, editor):
    comment = make_comment()
    services.reject_comment(comment.pk, moderator=editor)
    token = decision_token(comment_id=comment.pk, moderator_id=moderator_with_email.pk, action="approve")

    response = client.get(f"/commentaires/{comment.pk}/decision/{token}/")

    assert "Déjà traité par editrice le " in page_text(response)
    assert "Approuver ce commentaire" not in page_text(response)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.REJECTED


def test_expired_link_is_refused_in_french(client, moderator_with_email, monkeypatch):
    comment = make_comment()
    token = decision_token(comment_id=comment.pk, moderator_id=moderator_with_email.pk, action="reject")
    later = timezone.now() + timedelta(hours=72, seconds=1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())

    response = client.post(f"/commentaires/{comment.pk}/decision/{token}/")

    assert response.status_code == 400
    assert "Ce lien a expiré (il est valable 72 heures)." in page_text(response)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING


def test_tampered_link_is_refused_in_french(client, moderator_with_email):
    comment = make_comment()
    token = decision_token(comment_id=comment.pk, moderator_id=moderator_with_email.pk, action="reject")
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.post(f"/commentaires/{comment.pk}/decision/{forged}/")

    assert response.status_code == 400
    assert "Ce lien n'est pas valide : il a peut-être été coupé ou modifié." in page_text(response)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING


def test_link_of_another_comment_is_refused(client, moderator_with_email):
    article = make_article()
    signed_for, other = make_comment(article=article), make_comment(article=article)
    token = decision_token(comment_id=signed_for.pk, moderator_id=moderator_with_email.pk, action="approve")

    response = client.post(f"/commentaires/{other.pk}/decision/{token}/")

    assert response.status_code == 400
    assert "Ce lien ne correspond pas à ce commentaire." in page_text(response)
    assert Comment.objects.get(pk=other.pk).status == CommentStatus.PENDING


def test_link_of_a_moderator_who_lost_the_permission_is_refused(client, moderator_with_email):
    comment = make_comment()
    token = decision_token(comment_id=comment.pk, moderator_id=moderator_with_email.pk, action="approve")
    moderator_with_email.groups.clear()

    response = client.post(f"/commentaires/{comment.pk}/decision/{token}/")

    assert response.status_code == 400
    assert "ne peut plus modérer" in page_text(response)


def test_link_to_a_deleted_comment_says_so(client, moderator_with_email):
    comment = make_comment()
    token = decision_token(comment_id=comment.pk, moderator_id=moderator_with_email.pk, action="approve")
    pk = comment.pk
    comment.delete()

    response = client.get(f"/commentaires/{pk}/decision/{token}/")

    assert response.status_code == 410
    assert "Ce commentaire a été supprimé." in page_text(response)


def test_links_from_the_mail_work_end_to_end(client, settings, mailoutbox, moderator_with_email):
    settings.COMMENTS_MODERATOR_EMAILS = []
    comment = make_comment()
    notify_moderators.call(comment_id=comment.pk)

    response = client.post(link(mailoutbox[0], "Rejeter"))

    assert "Commentaire rejeté." in page_text(response)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.REJECTED


def test_the_notification_goes_to_every_active_staff_account_that_may_moderate_and_has_an_e_mail(
    settings, django_user_model
):
    """Through the « Modération » group, a permission of their own, or as a
    superuser; never an inactive, non-staff, address-less or editorial
    account; each once, whatever the number of ways they hold it."""
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org", "Groupe@Example.org"]
    moderate = Permission.objects.get(codename="moderate_comment")
    by_group = make_staff(django_user_model, "groupe", "Modération")
    direct = make_staff(django_user_model, "directe")
    direct.user_permissions.add(moderate)
    both = make_staff(django_user_model, "les-deux", "Modération")
    both.user_permissions.add(moderate)
    django_user_model.objects.create_superuser("chef", "chef@example.org", "motdepasse-chef")
    inactive = make_staff(django_user_model, "partie", "Modération")
    inactive.is_active = False
    not_staff = make_staff(django_user_model, "lectrice", "Modération")
    not_staff.is_staff = False
    make_staff(django_user_model, "sans-adresse", "Modération")
    editorial = make_staff(django_user_model, "redaction", "Rédaction en chef")
    for user, address in [
        (by_group, "groupe@example.org"),
        (direct, "directe@example.org"),
        (both, "les-deux@example.org"),
        (inactive, "partie@example.org"),
        (not_staff, "lectrice@example.org"),
        (editorial, "redaction@example.org"),
    ]:
        user.email = address
        user.save()

    assert [(address, account.username if account else None) for address, account in recipients()] == [
        ("groupe@example.org", "groupe"),
        ("directe@example.org", "directe"),
        ("les-deux@example.org", "les-deux"),
        ("chef@example.org", "chef"),
        ("moderation@example.org", None),
    ]
