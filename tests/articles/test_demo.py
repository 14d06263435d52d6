import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.demo import SMART_CITY_SLUG
from articles.models import Article, ArticleDailyView, Author, Section, Tag
from tests.conftest import committed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    # load_demo refuses to run with DEBUG off (pytest-django turns it off).
    settings.DEBUG = True


def load_demo():
    # Its photos go through the image pipeline when load_demo's transaction commits.
    with committed():
        call_command("load_demo")


def _counts(media_root):
    return {
        "articles": Article.objects.count(),
        "sections": Section.objects.count(),
        "authors": Author.objects.count(),
        "tags": Tag.objects.count(),
        "tagged": Article.tags.through.objects.count(),
        "reads": list(ArticleDailyView.objects.order_by("pk").values_list("article_id", "day", "count")),
        "users": get_user_model().objects.count(),
        "files": sum(1 for path in media_root.rglob("*") if path.is_file()),
    }


def test_load_demo_twice_changes_nothing(settings):
    load_demo()
    first = _counts(settings.MEDIA_ROOT)

    load_demo()

    assert _counts(settings.MEDIA_ROOT) == first
    assert first["articles"] == 13


def test_demo_smart_city_feature_has_a_photo_with_credit_and_renditions():
    load_demo()

    feature = Article.objects.get(slug=SMART_CITY_SLUG)

    assert feature.image_credit == "Schneider Electric"
    assert feature.image_alt
    assert (feature.image_width, feature.image_height) == (1600, 900)
    assert sorted((r["format"], r["width"]) for r in feature.image_renditions) == [
        ("jpeg", 480),
        ("jpeg", 800),
        ("jpeg", 1200),
        ("jpeg", 1600),
        ("webp", 480),
        ("webp", 800),
        ("webp", 1200),
        ("webp", 1600),
    ]


def test_demo_tags_have_several_articles():
    load_demo()

    assert Tag.objects.get(slug="marseille").articles.count() == 4
    assert Tag.objects.get(slug="start-up").articles.count() == 3


def test_demo_gives_photos_to_several_articles():
    load_demo()

    with_photo = Article.objects.exclude(image="")

    assert with_photo.count() == 6
    assert all(article.image_credit and article.image_renditions for article in with_photo)


def test_demo_home_has_most_read_articles_the_feature_first(client):
    load_demo()

    most_read = list(Article.objects.most_read())

    assert len(most_read) == 5
    assert most_read[0].slug == SMART_CITY_SLUG


def test_a_fresh_demo_says_mis_a_jour_nowhere(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    html = client.get(f"/articles/{SMART_CITY_SLUG}/").content.decode()

    assert "publié le" in html
    assert "mis à jour" not in html


def test_demo_prints_one_account_of_each_kind():
    from io import StringIO

    out = StringIO()
    call_command("load_demo", stdout=out)

    User = get_user_model()
    groups = {user.username: [g.name for g in user.groups.all()] for user in User.objects.all()}
    assert groups == {
        "redacteur": ["Rédacteur"],
        "editeur": ["Rédaction en chef"],
        "moderateur": ["Modération"],
    }
    for username in groups:
        assert f"identifiant « {username} »" in out.getvalue()
