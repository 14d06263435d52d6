"""manage.py generate_scale_data: a realistic archive, quickly, never on production by accident."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article, ArticleDailyView
from comments.models import Comment, CommentStatus
from events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    """Django runs tests with DEBUG off; the command is for development databases."""
    settings.DEBUG = True


def generate(*args):
    out = StringIO()
    call_command("generate_scale_data", "--articles=50", "--comments=500", *args, stdout=out)
    return out.getvalue()


def test_generates_the_requested_archive():
    generate()

    articles = Article.objects.filter(slug__startswith="scale-")
    assert articles.count() == 50
    assert articles.exclude(status="published").exists()  # a few drafts
    assert Comment.objects.filter(is_newsroom_reply=False).count() in range(450, 551)
    assert ArticleDailyView.objects.values("article").distinct().count() == 10  # a fifth read
    assert Event.objects.filter(slug__startswith="scale-").count() == 3


def test_generated_counts_and_states_are_consistent():
    generate()
    now = timezone.now()

    approved = Count("comments", filter=Q(comments__status=CommentStatus.APPROVED))
    for article in Article.objects.annotate(approved=approved):
        assert article.approved_comment_count == article.approved
    pending = Comment.objects.filter(status=CommentStatus.PENDING)
    assert pending.exists()
    assert not pending.filter(created_at__lt=now - timedelta(days=7)).exists()
    # What a daily purge_comment_data leaves.
    assert not Comment.objects.filter(
        created_at__lt=now - timedelta(days=366), ip_address__isnull=False
    ).exists()
    assert not Comment.objects.filter(
        status__in=[CommentStatus.REJECTED, CommentStatus.SPAM], created_at__lt=now - timedelta(days=91)
    ).exists()
    assert not Comment.objects.filter(author_email_normalised="").exclude(is_newsroom_reply=True).exists()


def test_generated_articles_are_searchable(client):
    generate()

    html = client.get("/recherche/", {"q": "entreprises"}).content.decode()

    assert "Aucun article ne correspond" not in html


def test_second_run_does_nothing_and_reset_generates_again():
    generate()
    comments = Comment.objects.count()

    again = generate()
    after_again = Comment.objects.count()
    reset = generate("--reset")

    assert "rien à faire" in again
    assert after_again == comments
    assert "Suppression des données générées" in reset
    assert "Données générées" in reset
    assert Article.objects.filter(slug__startswith="scale-").count() == 50
    assert Comment.objects.count() == comments


def test_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG est désactivé"):
        generate()
    generate("--force")

    assert Article.objects.count() == 50
