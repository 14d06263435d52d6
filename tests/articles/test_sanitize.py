import pytest

from articles.sanitize import sanitize_html
from tests.conftest import make_article


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Avant</p><script>alert(1)</script><p>Après</p>", "<p>Avant</p><p>Après</p>"),
        ('<p><img src="x" onerror="alert(1)">Texte</p>', "<p>Texte</p>"),
        ('<p onclick="alert(1)">Texte</p>', "<p>Texte</p>"),
        ('<p style="color: red">Texte</p>', "<p>Texte</p>"),
        ('<p><a href="javascript:alert(1)">lien</a></p>', '<p><a rel="noopener noreferrer">lien</a></p>'),
        ('<iframe src="https://example.org"></iframe><p>Texte</p>', "<p>Texte</p>"),
        ("<style>body { display: none }</style><p>Texte</p>", "<p>Texte</p>"),
    ],
)
def test_sanitize_removes_what_could_run_or_restyle_the_page(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_sanitize_keeps_what_editors_write():
    html = (
        "<h2>Omniprésence</h2><h3>Les réseaux</h3><p><strong>Gras</strong> et <em>italique</em>.</p>"
        "<ul><li>Un</li></ul><ol><li>Deux</li></ol><blockquote><p>Citation</p></blockquote>"
    )

    assert sanitize_html(html) == html


def test_sanitize_keeps_links_and_makes_them_safe():
    html = '<p><a href="https://www.example.org/page">Source</a></p>'

    assert sanitize_html(html) == (
        '<p><a href="https://www.example.org/page" rel="noopener noreferrer">Source</a></p>'
    )


@pytest.mark.django_db
def test_article_body_is_sanitised_whatever_path_saves_it():
    article = make_article(body='<p>Texte</p><script>alert("x")</script><img src=x onerror=alert(1)>')

    article.refresh_from_db()
    assert article.body == "<p>Texte</p>"
