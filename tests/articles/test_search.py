from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article, ArticleStatus
from tests.conftest import make_article, make_author, make_section, plain

pytestmark = pytest.mark.django_db


def test_search_finds_an_article_by_a_word_of_its_title(client):
    make_article(title="Les métropoles et le numérique")
    make_article(title="Le port de Marseille")

    html = plain(client.get("/recherche/", {"q": "numérique"}))

    assert "Les métropoles et le numérique" in html
    assert "Le port de Marseille" not in html
    assert "1 article trouvé pour « numérique »" in html


def test_search_finds_words_of_the_body(client):
    make_article(title="Énergie", body="<p>Les smart grids arrivent.</p>")

    html = plain(client.get("/recherche/", {"q": "grids"}))

    assert "Énergie" in html


def test_search_without_results_says_so_and_keeps_the_query(client):
    make_article(title="Le port")

    html = plain(client.get("/recherche/", {"q": "zeppelin"}))

    assert "Aucun article ne correspond à votre recherche." in html
    assert 'value="zeppelin"' in html


def test_search_page_is_not_indexed(client):
    html = plain(client.get("/recherche/", {"q": "port"}))

    assert '<meta name="robots" content="noindex, follow">' in html


def test_empty_search_invites_to_type(client):
    html = plain(client.get("/recherche/"))

    assert "Saisissez un ou plusieurs mots" in html


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "port\x00marseille",
        "\x00",
        "🚢 port 🚀",
        "'; DROP TABLE articles_article; --",
        '<script>alert("x")</script>',
        "port & | ! ( ) : * <-> \\",
        '"unterminated',
        "%",
        "   ",
    ],
)
def test_odd_search_input_never_fails(client, query):
    make_article(title="Le port de Marseille")

    response = client.get("/recherche/", {"q": query})

    assert response.status_code == 200
    html = plain(response)
    assert "<script>alert" not in html
    assert "Rechercher un article" in html


def test_huge_query_is_cut_to_200_characters(client):
    response = client.get("/recherche/", {"q": "b" * 5000})

    assert response.context["query"] == "b" * 200


def test_search_pagination_keeps_the_query(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Port un")
    make_article(title="Port deux")

    html = plain(client.get("/recherche/", {"q": "port"}))

    assert 'href="?q=port&amp;page=2"' in html


def test_search_bad_page_is_a_404_not_a_500(client):
    make_article(title="Port")

    response = client.get("/recherche/", {"q": "port", "page": "zzz"})

    assert response.status_code == 404


# Accents and case (issue 12): readers type « metropoles » or « MÉTROPOLES ».

SMART_CITY = "Quelle place pour le numérique dans le développement des métropoles ?"


@pytest.mark.parametrize("query", ["metropoles", "MÉTROPOLES", "Métropole", "métropole", "METROPOLE"])
def test_search_ignores_accents_and_case(client, query):
    make_article(title=SMART_CITY)
    make_article(title="Le port de Marseille")

    html = plain(client.get("/recherche/", {"q": query}))

    assert "1 article trouvé pour" in html
    assert SMART_CITY.replace("'", "&#x27;") in html
    assert "Le port de Marseille" not in html


@pytest.mark.parametrize("query", ["l'hydrogène", "l’hydrogène", "hydrogene", "HYDROGÈNE"])
def test_search_finds_a_word_after_an_elided_article_without_its_accent(client, query):
    make_article(title="Fos mise sur l’hydrogène vert", body="<p>Un électrolyseur géant.</p>")
    make_article(title="Le tramway d'Aubagne", body="<p>L'hydrologie du bassin.</p>")

    html = plain(client.get("/recherche/", {"q": query}))

    assert "Fos mise sur l'hydrogène vert" in html
    assert "Le tramway d&#x27;Aubagne" not in html


def test_search_finds_accented_words_of_the_body_typed_without_accents(client):
    make_article(title="Énergie", body="<p>Les <strong>réseaux électriques</strong> se numérisent.</p>")

    html = plain(client.get("/recherche/", {"q": "reseaux electriques"}))

    assert "1 article trouvé pour « reseaux electriques »" in html


def test_search_ranks_a_title_match_above_a_body_match(client, db):
    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's; SQLite lists the newest first")
    in_body = make_article(title="Chronique", body="<p>La métropole investit.</p>")
    in_title = make_article(
        title="La métropole investit",
        body="<p>Un plan.</p>",
        published_at=in_body.published_at - timedelta(days=1),
    )

    articles = list(client.get("/recherche/", {"q": "métropole"}).context["articles"])

    assert articles == [in_title, in_body]


# The stored search text follows every way an article is written.


def test_search_follows_a_title_changed_by_save(client):
    article = make_article(title="Le port")
    article.title = "La gare Saint-Charles"
    article.save()

    assert "La gare Saint-Charles" in plain(client.get("/recherche/", {"q": "gare"}))
    assert "1 article" not in plain(client.get("/recherche/", {"q": "port"}))


def test_search_follows_a_queryset_update(client):
    article = make_article(title="Le port")

    Article.objects.filter(pk=article.pk).update(title="Le téléphérique")

    assert "Le téléphérique" in plain(client.get("/recherche/", {"q": "telepherique"}))
    assert "Aucun article ne correspond" in plain(client.get("/recherche/", {"q": "port"}))


def test_search_follows_bulk_create_and_bulk_update(client):
    section, author = make_section(), make_author()
    [article] = Article.objects.bulk_create(
        [
            Article(
                title="Les calanques",
                slug="calanques",
                standfirst="Un parc.",
                body="<p>Randonnée.</p>",
                section=section,
                status=ArticleStatus.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=1),
            )
        ]
    )
    article.authors.set([author])
    found_after_create = "Les calanques" in plain(client.get("/recherche/", {"q": "randonnee"}))
    article = Article.objects.get(slug="calanques")
    article.body = "<p>Plongée.</p>"
    Article.objects.bulk_update([article], ["body"])

    assert found_after_create
    assert "Les calanques" in plain(client.get("/recherche/", {"q": "plongee"}))
    assert "Aucun article ne correspond" in plain(client.get("/recherche/", {"q": "randonnee"}))


# Bounded results: the count never reads more than MAX_RESULTS rows.


def test_search_with_too_many_matches_offers_the_newest_and_says_so(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    section, author = make_section(), make_author()
    articles = [make_article(title=f"Métropole {n}", section=section, authors=[author]) for n in range(5)]

    response = client.get("/recherche/", {"q": "metropole"})
    html = plain(response)

    assert (
        "Plus de 3 articles correspondent à « metropole » : seuls les 3 plus récents sont proposés." in html
    )
    assert {article.pk for article in response.context["articles"]} == {a.pk for a in articles[2:]}


def test_search_at_the_limit_gives_the_exact_count(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    for n in range(3):
        make_article(title=f"Métropole {n}")

    html = plain(client.get("/recherche/", {"q": "metropole"}))

    assert "3 articles trouvés pour « metropole »" in html


def test_sqlite_search_words_are_folded_and_singular():
    assert search.sqlite_query_words("L’Hydrogène des MÉTROPOLES, d'Aix") == [
        "hydrogene",
        "des",
        "metropole",
        "aix",
    ]
    assert search.fold("<p>Réseaux&nbsp;<b>électriques</b></p>") == "reseaux electriques"
