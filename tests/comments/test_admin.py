import json

import pytest
from django.contrib.auth.models import Permission

from comments.models import Comment, CommentStatus
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def editor_viewing_comments(editor):
    """An editor allowed to see the comment list, without the moderation permission."""
    editor.user_permissions.add(Permission.objects.get(codename="view_comment"))
    return editor


def test_moderator_sees_email_and_ip(client, moderator):
    comment = make_comment(author_email="visible-moderateur@example.org", ip_address="192.0.2.44")
    client.force_login(moderator)

    html = client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    assert "visible-moderateur@example.org" in html
    assert "192.0.2.44" in html


def test_editor_without_moderation_permission_never_sees_email_or_ip(client, editor_viewing_comments):
    comment = make_comment(author_email="cache-editeur@example.org", ip_address="192.0.2.45")
    client.force_login(editor_viewing_comments)

    detail = client.get(f"{CHANGELIST}{comment.pk}/change/")
    listing = client.get(f"{CHANGELIST}?q=cache-editeur")

    assert detail.status_code == 200
    for page in (detail, listing):
        assert "cache-editeur@example.org" not in page.content.decode()
        assert "192.0.2.45" not in page.content.decode()
    assert client.get(f"{CHANGELIST}donnees-personnelles/").status_code == 403


def test_redaction_group_has_no_comment_permission(client, editor):
    client.force_login(editor)

    assert client.get(CHANGELIST).status_code == 403


def test_changelist_lists_pending_comments_first(client, moderator):
    make_comment(status=CommentStatus.APPROVED, text="Déjà publié")
    make_comment(text="À traiter")
    client.force_login(moderator)

    html = client.get(CHANGELIST).content.decode()

    assert html.index("À traiter") < html.index("Déjà publié")


def test_bulk_approve_action_uses_the_service(client, moderator):
    comments = [make_comment(), make_comment()]
    client.force_login(moderator)

    client.post(CHANGELIST, {"action": "approve", "_selected_action": [c.pk for c in comments]})

    assert set(Comment.objects.values_list("status", "moderated_by")) == {("approved", moderator.pk)}
    assert comments[0].article.__class__.objects.get(pk=comments[0].article_id).approved_comment_count == 1


def test_bulk_spam_action_marks_pending_comments(client, moderator):
    comment = make_comment()
    client.force_login(moderator)

    client.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [comment.pk]})

    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM


def test_admin_home_shows_the_pending_count(client, moderator):
    make_comment()
    make_comment()
    make_comment(status=CommentStatus.APPROVED)
    client.force_login(moderator)

    html = client.get("/admin/").content.decode()

    assert "2 commentaires en attente de modération" in html


def test_admin_home_counts_no_pending_comment_in_french(client, moderator):
    """French puts 0 in the singular; the catalog in locale/fr gives the rule."""
    make_comment(status=CommentStatus.APPROVED)
    client.force_login(moderator)

    html = client.get("/admin/").content.decode()

    assert "0 commentaire en attente de modération" in html


def test_moderator_replies_as_la_redaction_from_the_admin(client, moderator):
    comment = make_comment(status=CommentStatus.APPROVED)
    client.force_login(moderator)

    client.post(f"{CHANGELIST}{comment.pk}/repondre/", {"text": "Merci de votre lecture."})

    reply = Comment.objects.get(parent=comment)
    assert (reply.display_name, reply.status, reply.author_email) == ("La rédaction", "approved", "")


def test_privacy_tool_exports_json_and_anonymises(client, moderator):
    make_comment(author_name="Paul", author_email="paul@example.org", text="Mon avis")
    client.force_login(moderator)

    export = client.post(f"{CHANGELIST}donnees-personnelles/", {"email": "paul@example.org", "export": "1"})
    client.post(f"{CHANGELIST}donnees-personnelles/", {"email": "paul@example.org", "anonymise": "1"})

    assert json.loads(export.content)[0]["text"] == "Mon avis"
    assert list(Comment.objects.values_list("author_name", "author_email", "text")) == [
        ("Anonyme", "", "Mon avis")
    ]


def test_pending_count_column_for_the_article_admin(django_assert_num_queries):
    from articles.models import Article
    from comments.admin_helpers import pending_count_column, with_pending_comment_count

    comment = make_comment()
    make_comment(article=comment.article)

    with django_assert_num_queries(1):
        article = with_pending_comment_count(Article.objects.all()).get(pk=comment.article_id)
    assert ">2</a>" in pending_count_column(article)
