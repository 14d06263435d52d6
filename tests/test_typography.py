"""French typography at render time (newsroom/typography.py, `{% load french %}`)."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from newsroom.typography import NBSP, NNBSP, typeset_html, typeset_text


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ("Quelle place pour le numérique ?", f"Quelle place pour le numérique{NNBSP}?"),
        ("Bravo ! Enfin ; vraiment", f"Bravo{NNBSP}! Enfin{NNBSP}; vraiment"),
        ("Vraiment? Oui!", f"Vraiment{NNBSP}? Oui{NNBSP}!"),
        ("Crédits : Schneider Electric", f"Crédits{NBSP}: Schneider Electric"),
        ("« Quelle stratégie ? »", f"«{NBSP}Quelle stratégie{NNBSP}?{NBSP}»"),
        ("«Omniprésence»", f"«{NBSP}Omniprésence{NBSP}»"),
        ("à 10 h, puis à 11 h 30", f"à 10{NBSP}h, puis à 11{NBSP}h{NBSP}30"),
        ("100 000 lecteurs, 45 €, 3 km, 50 %", f"100{NNBSP}000 lecteurs, 45{NBSP}€, 3{NBSP}km, 50{NNBSP}%"),
        ("l'actualité d'aujourd'hui", "l’actualité d’aujourd’hui"),
    ],
)
def test_typeset_text_puts_french_spaces_and_apostrophes(typed, typeset):
    assert typeset_text(typed) == typeset


@pytest.mark.parametrize(
    "untouched",
    [
        "10:30",
        "https://example.org/?q=m%C3%A9tropoles&page=2",
        "Voir page.php?id=3",
        "'citation'",
        "13007 Marseille, 285 corniche Kennedy",
        "le 3e Forum",
    ],
)
def test_typeset_text_leaves_addresses_times_and_quotes_alone(untouched):
    assert typeset_text(untouched) == untouched


def test_typeset_text_is_idempotent():
    once = typeset_text("« Quoi ? » à 11 h 30 : l'été, 100 000 €")

    assert typeset_text(once) == once


def test_typeset_html_changes_the_text_never_a_tag_or_an_attribute():
    markup = (
        '<p title="Vraiment ? Oui : « non »" data-x="a>b ?">Vraiment ? '
        '<a href="/recherche/?q=a : b">Oui : « non »</a></p>'
    )

    assert typeset_html(markup) == (
        f'<p title="Vraiment ? Oui : « non »" data-x="a>b ?">Vraiment{NNBSP}? '
        f'<a href="/recherche/?q=a : b">Oui{NBSP}: «{NBSP}non{NBSP}»</a></p>'
    )


def test_typeset_html_leaves_scripts_code_and_what_a_reader_types_alone():
    markup = (
        '<script type="application/ld+json">{"a": "b ?"}</script><pre>x : y</pre>'
        "<code>a ?</code><textarea>Mon texte : tel quel !</textarea><!-- note : ici --><p>Fin !</p>"
    )

    assert typeset_html(markup) == (
        '<script type="application/ld+json">{"a": "b ?"}</script><pre>x : y</pre>'
        f"<code>a ?</code><textarea>Mon texte : tel quel !</textarea><!-- note : ici --><p>Fin{NNBSP}!</p>"
    )


def test_typeset_html_keeps_escaped_characters_escaped():
    assert typeset_html("<p>a &lt; b &amp; c ?</p>") == f"<p>a &lt; b &amp; c{NNBSP}?</p>"


def test_typo_filter_escapes_a_plain_string_and_typesets_it():
    rendered = Template("{% load french %}{{ title|typo }}").render(Context({"title": "<b>Quoi ?</b>"}))

    assert rendered == f"&lt;b&gt;Quoi{NNBSP}?&lt;/b&gt;"


def test_typo_filter_block_typesets_the_text_of_html():
    rendered = Template(
        '{% load french %}{% filter typo %}<a href="?a=1">Quoi ?</a>{{ body }}{% endfilter %}'
    ).render(Context({"body": mark_safe("<p>Oui : non</p>")}))

    assert rendered == f'<a href="?a=1">Quoi{NNBSP}?</a><p>Oui{NBSP}: non</p>'


def test_typo_text_filter_for_e_mails_does_not_escape():
    rendered = Template(
        "{% load french %}{% autoescape off %}{{ text|typo_text }}{% endautoescape %}"
    ).render(Context({"text": "R&D : « oui » <ok>"}))

    assert rendered == f"R&D{NBSP}: «{NBSP}oui{NBSP}» <ok>"


@pytest.mark.django_db
def test_moderators_e_mail_is_typeset_but_the_comment_is_quoted_as_typed(settings, mailoutbox):
    from comments.tasks import notify_moderators
    from tests.comments.factories import make_comment

    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    comment = make_comment(author_name="Lou", text="Bravo : enfin !")

    notify_moderators.call(comment_id=comment.pk)

    body = mailoutbox[0].body
    assert f"Nom{NBSP}: Lou" in body
    assert "\n> Bravo : enfin !\n" in body  # quoted as typed
    assert f"Un nouveau commentaire attend votre validation sur l’article «{NBSP}" in body


@pytest.mark.django_db
def test_article_page_text_is_typeset_but_its_attributes_are_not(client):
    from tests.conftest import make_article

    article = make_article(title="Quelle place pour le numérique ?", image_credit="")

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<h1 id="article-title" class="article-title">Quelle place pour le numérique{NNBSP}?</h1>' in html
    assert '<meta property="og:title" content="Quelle place pour le numérique ?">' in html
    assert f"<title>Quelle place pour le numérique{NNBSP}? — Newsroom</title>" in html
