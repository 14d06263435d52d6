import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.context import PENDING_COOKIE
from comments.models import Comment, CommentStatus
from tests.comments.factories import make_approved_comment, post_data
from tests.conftest import make_article, plain

pytestmark = pytest.mark.django_db

POST_URL = "/commentaires/envoyer/"


def text_of(response):
    return html.unescape(plain(response))


THANKS = "Merci pour votre commentaire. Il sera visible prochainement sous réserve de validation."


def post(client, data, **headers):
    return client.post(POST_URL, data, REMOTE_ADDR=headers.pop("ip", "198.51.100.7"), **headers)


def test_valid_post_redirects_to_article_and_stores_a_pending_comment(client):
    article = make_article()

    response = post(client, post_data(article, name="Anne", email="anne@example.org", text="Très juste."))

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?commentaire=merci#commentaire-merci"
    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email, comment.text, comment.status) == (
        "Anne",
        "anne@example.org",
        "Très juste.",
        CommentStatus.PENDING,
    )
    assert comment.ip_address == "198.51.100.7"


def test_author_browser_sees_thanks_and_own_pending_comment_privately(client):
    article = make_article()
    response = post(client, post_data(article, text="Mon avis en attente."))

    page = client.get(response["Location"])

    html = text_of(page)
    assert THANKS in html
    assert "Mon avis en attente." in html
    assert "En attente de validation" in html
    assert page["Cache-Control"] == "private, no-store"


def test_pending_comment_is_invisible_to_other_readers(client, django_user_model):
    from django.test import Client

    article = make_article()
    post(client, post_data(article, text="Mon avis en attente."))

    other = Client().get(article.get_absolute_url())

    html = text_of(other)
    assert "Mon avis en attente." not in html
    assert "Commentaire 0" in html
    assert "public" in other["Cache-Control"]


def test_pending_cookie_holds_only_signed_comment_ids(client):
    article = make_article()

    response = post(client, post_data(article, name="Zoé Marqueur", email="zoe-cookie@example.org"))

    comment = Comment.objects.get()
    raw = response.cookies[PENDING_COOKIE].value
    assert raw.startswith(f"{comment.pk}:")
    assert "zoe" not in raw.lower() and "@" not in raw
    assert response.cookies[PENDING_COOKIE]["httponly"]


def test_forged_pending_cookie_shows_nothing(client):
    article = make_article()
    post(client, post_data(article, text="Le texte d'un autre."))
    other_id = Comment.objects.get().pk
    from django.test import Client

    forger = Client()
    forger.cookies[PENDING_COOKIE] = f"{other_id}"

    html = text_of(forger.get(article.get_absolute_url()))

    assert "Le texte d'un autre." not in html


def test_plain_article_page_has_no_cookie_no_csrf_token_and_is_public(client):
    article = make_article()

    page = client.get(article.get_absolute_url())

    assert page.cookies == {} or not page.cookies
    assert "csrfmiddlewaretoken" not in text_of(page)
    assert page["Cache-Control"].startswith("public")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Indiquez votre nom."),
        ("name", "N" * 81, "Votre nom ne doit pas dépasser 80 caractères (il en a 81)."),
        ("email", "", "Indiquez votre adresse e-mail."),
        ("email", "pas-une-adresse", "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
        ("email", "a" * 250 + "@example.org", "Votre adresse e-mail ne doit pas dépasser 254 caractères."),
        ("text", "", "Écrivez votre commentaire."),
        ("text", "   \n  ", "Écrivez votre commentaire."),
        ("text", "x" * 3001, "Votre commentaire ne doit pas dépasser 3000 caractères (il en a 3001)."),
    ],
)
def test_invalid_field_gets_a_french_message_and_keeps_what_was_typed(client, field, value, message):
    article = make_article()
    data = post_data(article, name="Gardé Dupont", email="garde@example.org", text="Texte gardé")
    data[field] = value

    response = post(client, data)

    html = text_of(response)
    assert response.status_code == 400
    assert message in html
    for kept in {"name": "Gardé Dupont", "email": "garde@example.org", "text": "Texte gardé"}.items():
        if kept[0] != field:
            assert kept[1] in html
    assert f'aria-invalid="true" aria-describedby="id_{field}_error comment-notice"' in html or (
        f'id="id_{field}_error"' in html
    )
    assert f'<a href="#id_{field}">' in html
    assert Comment.objects.count() == 0
    assert response["Cache-Control"] == "private, no-store"


def test_error_summary_links_fields_and_marks_them_invalid(client):
    article = make_article()

    response = post(client, post_data(article, name=""))

    html = text_of(response)
    assert 'id="comment-error-summary"' in html and "data-comment-focus" in html
    field = re.search(r"<input [^>]*name=\"name\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_name_error comment-notice"' in field
    assert '<p id="id_name_error"' in html


def test_form_sent_too_fast_is_refused_and_text_kept(client):
    article = make_article()

    response = post(client, post_data(article, age=1, text="Écrit très vite"))

    html = text_of(response)
    assert response.status_code == 400
    assert "Vous avez envoyé le formulaire trop vite." in html
    assert "Écrit très vite" in html
    assert Comment.objects.count() == 0


def test_expired_form_asks_to_resubmit_keeps_text_and_gives_a_fresh_token(client):
    article = make_article()
    old = post_data(article, age=3 * 60 * 60, text="Écrit il y a longtemps")

    response = post(client, old)

    html = text_of(response)
    assert response.status_code == 400
    assert "Le formulaire a expiré." in html
    assert "Écrit il y a longtemps" in html
    fresh = re.search(r'name="timestamp" value="(\d+)"', html).group(1)
    assert int(fresh) > int(old["timestamp"])
    assert Comment.objects.count() == 0


def test_tampered_target_article_is_refused(client):
    article, other = make_article(), make_article()
    data = post_data(article)
    data["article"] = str(other.pk)

    response = post(client, data)

    assert response.status_code == 400
    assert "Le formulaire a été modifié" in text_of(response)
    assert Comment.objects.count() == 0


def test_tampered_timestamp_is_refused(client):
    article = make_article()
    data = post_data(article)
    data["timestamp"] = str(int(data["timestamp"]) - 100)

    response = post(client, data)

    assert response.status_code == 400
    assert "Le formulaire a été modifié" in text_of(response)
    assert Comment.objects.count() == 0


def test_tampered_security_hash_is_refused(client):
    article = make_article()
    data = post_data(article)
    data["security_hash"] = "0" * 40

    response = post(client, data)

    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_filled_honeypot_stores_nothing_and_gives_the_form_back_with_the_text(client):
    article = make_article()

    response = post(
        client, post_data(article, website="http://spam.example", text="Rempli par l'autocomplétion")
    )

    html = text_of(response)
    assert response.status_code == 400
    assert "Un champ caché du formulaire a été rempli" in html
    assert "Rempli par l'autocomplétion" in html
    assert "http://spam.example" not in html
    assert Comment.objects.count() == 0


def test_post_from_another_origin_is_refused(client):
    article = make_article()

    response = post(client, post_data(article), HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert "Ce formulaire doit être envoyé depuis notre site." in text_of(response)
    assert Comment.objects.count() == 0


def test_post_from_our_origin_is_accepted(client):
    article = make_article()

    response = post(client, post_data(article), HTTP_ORIGIN="http://testserver")

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_second_comment_from_same_ip_within_15_seconds_is_refused_with_429(client):
    article = make_article()
    post(client, post_data(article), ip="203.0.113.5")

    response = post(client, post_data(article, text="Deuxième avis, trop tôt"), ip="203.0.113.5")

    html = text_of(response)
    assert response.status_code == 429
    assert "Vous venez déjà d'envoyer un commentaire." in html
    assert "Deuxième avis, trop tôt" in html
    assert Comment.objects.count() == 1


def test_second_comment_from_same_email_within_15_seconds_is_refused(client):
    article = make_article()
    post(client, post_data(article, email="rapide@example.org"), ip="203.0.113.5")

    response = post(client, post_data(article, email="rapide@example.org"), ip="203.0.113.6")

    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_comment_after_the_flood_interval_is_accepted(client):
    article = make_article()
    post(client, post_data(article, email="patient@example.org"))
    Comment.objects.update(created_at=timezone.now() - timedelta(seconds=16))

    response = post(client, post_data(article, email="patient@example.org"))

    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_exact_duplicate_is_refused_with_a_french_message(client):
    article = make_article()
    post(client, post_data(article, email="double@example.org", text="Même texte"))
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=5))

    response = post(client, post_data(article, email="double@example.org", text="Même texte"))

    assert response.status_code == 400
    assert "Vous avez déjà envoyé ce commentaire sur cet article." in text_of(response)
    assert Comment.objects.count() == 1


def test_comments_closed_by_the_editor_replace_the_form_and_refuse_posts(client):
    article = make_article(comments_enabled=False)

    page = client.get(article.get_absolute_url())
    response = post(client, post_data(article))

    assert "Les commentaires sont fermés pour cet article." in text_of(page)
    assert 'id="comment-form"' not in text_of(page)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_comments_close_automatically_after_the_configured_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = make_article(published_at=timezone.now() - timedelta(days=31))
    recent = make_article(published_at=timezone.now() - timedelta(days=29))

    assert "Les commentaires sont fermés" in text_of(client.get(old.get_absolute_url()))
    assert 'id="comment-form"' in text_of(client.get(recent.get_absolute_url()))
    assert post(client, post_data(old)).status_code == 403


def test_post_on_unpublished_article_is_not_found(client):
    article = make_article(published_at=timezone.now() + timedelta(days=1))

    assert post(client, post_data(article)).status_code == 404


def test_get_on_post_url_is_not_allowed(client):
    assert client.get(POST_URL).status_code == 405


def test_approved_comment_shows_once_after_the_author_posted_it(client, moderator):
    from comments.services import approve_comment

    article = make_article()
    post(client, post_data(article, text="Unique avis"))

    approve_comment(Comment.objects.get().pk, moderator=moderator)

    html = text_of(client.get(article.get_absolute_url()))
    assert html.count("Unique avis") == 1
    assert "1 commentaire" in html
    assert "En attente de validation" not in html


def test_reader_sees_published_comment_of_another_article_only_there(client):
    article, other = make_article(), make_article()
    make_approved_comment(article=other, text="Ailleurs")

    assert "Ailleurs" not in text_of(client.get(article.get_absolute_url()))
