import pytest

from tests.conftest import make_article, plain

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

    html = client.get("/recherche/", {"q": "grids"}).content.decode()

    assert "Énergie" in html


def test_search_without_results_says_so_and_keeps_the_query(client):
    make_article(title="Le port")

    html = client.get("/recherche/", {"q": "zeppelin"}).content.decode()

    assert "Aucun article ne correspond à votre recherche." in html
    assert 'value="zeppelin"' in html


def test_search_page_is_not_indexed(client):
    html = client.get("/recherche/", {"q": "port"}).content.decode()

    assert '<meta name="robots" content="noindex, follow">' in html


def test_empty_search_invites_to_type(client):
    html = client.get("/recherche/").content.decode()

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
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "Rechercher un article" in html


def test_huge_query_is_cut_to_200_characters(client):
    response = client.get("/recherche/", {"q": "b" * 5000})

    assert response.context["query"] == "b" * 200


def test_search_pagination_keeps_the_query(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Port un")
    make_article(title="Port deux")

    html = client.get("/recherche/", {"q": "port"}).content.decode()

    assert 'href="?q=port&amp;page=2"' in html


def test_search_bad_page_is_a_404_not_a_500(client):
    make_article(title="Port")

    response = client.get("/recherche/", {"q": "port", "page": "zzz"})

    assert response.status_code == 404
