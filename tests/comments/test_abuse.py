"""Abuse of the comment form (issue 9): races, dodged word lists, reserved
names, oversized posts, control characters, broken proxies, strict origins."""

import html
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentStatus, HoldReason, ModerationWord, WordListKind, WordTarget
from comments.moderation import assess_comment
from comments.normalise import text_hash, words_of
from comments.services import submit_comment
from comments.tasks import notify_moderators
from newsroom.http import parse_ip
from tests.comments.factories import make_comment, post_data
from tests.conftest import make_article, plain

pytestmark = pytest.mark.django_db

POST_URL = "/commentaires/envoyer/"


def text_of(response):
    return html.unescape(response.content.decode())


def post(client, data, **headers):
    return client.post(POST_URL, data, REMOTE_ADDR=headers.pop("ip", "198.51.100.7"), **headers)


def assess(text="Un avis.", **fields):
    fields.setdefault("name", "Lou")
    fields.setdefault("email", "lou@example.org")
    return assess_comment(article=None, text=text, **fields)


# --- 3. The flood and duplicate checks and the insert are one atomic step ---------------------


def _send_concurrently(forms, addresses):
    barrier = threading.Barrier(len(forms))

    def send(index):
        try:
            barrier.wait()
            return Client().post(POST_URL, forms[index], REMOTE_ADDR=addresses[index])
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(send, range(len(forms))))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_identical_posts_at_once_store_one_comment_and_send_one_notification(mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    article = make_article()
    form = post_data(article, email="double-clic@example.org", text="Cliqué vingt fois.")

    responses = _send_concurrently([form] * 20, ["203.0.113.20"] * 20)

    assert sorted(response.status_code for response in responses) == [302] + [429] * 19
    assert Comment.objects.filter(article=article).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_posts_at_once_from_one_address_store_one_and_refuse_the_others_keeping_their_text():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    article = make_article()
    forms = [
        post_data(article, email=f"rafale{i}@example.org", text=f"Rafale numéro {i}.") for i in range(20)
    ]

    responses = _send_concurrently(forms, ["203.0.113.21"] * 20)

    refused = [
        (form, response)
        for form, response in zip(forms, responses, strict=True)
        if response.status_code == 429
    ]
    assert len(refused) == 19
    assert all(form["text"] in text_of(response) for form, response in refused)
    assert Comment.objects.filter(article=article).count() == 1


def test_a_duplicate_is_found_whatever_the_case_spacing_or_invisible_characters(client):
    article = make_article()
    submit_comment(article=article, name="Lou", email="lou@example.org", text="Même texte.", ip_address=None)
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=5))

    response = post(client, post_data(article, email="LOU@example.org", text="  même\u200b   TEXTE. "))

    assert response.status_code == 400
    assert "Vous avez déjà envoyé ce commentaire sur cet article." in text_of(response)
    assert Comment.objects.count() == 1


def test_the_duplicate_checks_read_the_indexed_text_hash_not_the_texts(django_assert_num_queries):
    make_comment(text="Texte copié-collé partout.")

    with django_assert_num_queries(2) as captured:  # word lists (cold cache), suspected duplicate
        assessment = assess("Texte COPIÉ-COLLÉ   partout.")

    assert assessment.hold_reasons == [HoldReason.DUPLICATE]
    assert "text_hash" in captured.captured_queries[-1]["sql"]
    assert Comment.objects.get().text_hash == text_hash("texte copié-collé partout.")
    assert "text_hash" in {field for index in Comment._meta.indexes for field in index.fields}


# --- 4. Word lists that cannot be dodged ---------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Du VIAGRA ici", "du via\u200bgra ici", "du v.i.a.g.r.a ici", "du ｖｉａｇｒａ ici", "du vïagra"]
)
def test_a_disallowed_word_is_caught_through_look_alikes_invisibles_and_punctuation(text):
    ModerationWord.objects.create(word="viagra", kind=WordListKind.DISALLOW)

    assert assess(text).status == CommentStatus.SPAM


def test_a_prefix_entry_catches_longer_words_and_a_plain_entry_does_not():
    ModerationWord.objects.create(word="viagra", kind=WordListKind.DISALLOW, prefix=True)
    ModerationWord.objects.create(word="casino", kind=WordListKind.MODERATE)

    assert assess("Des viagras partout").status == CommentStatus.SPAM
    assert assess("Les casinos ferment").hold_reasons == []
    assert assess("Le casino ferme").hold_reasons == [HoldReason.MODERATED_WORD]


def test_a_word_inside_another_word_is_not_caught():
    ModerationWord.objects.create(word="arnaque", kind=WordListKind.DISALLOW)

    assert assess("Une démarche anti-arnaques ? Non, une barnaque.").status == CommentStatus.PENDING


@pytest.mark.parametrize(
    ("entry", "address", "caught"),
    [
        ("203.0.113.7", "203.0.113.7", True),
        ("203.0.113.0/24", "203.0.113.250", True),
        ("203.0.113.0/24", "203.0.114.1", False),
        ("2001:db8::/32", "2001:db8::1", True),
        ("2001:db8::/32", "203.0.113.7", False),
    ],
)
def test_an_address_entry_matches_the_commenters_address_or_range(entry, address, caught):
    ModerationWord.objects.create(word=entry, kind=WordListKind.DISALLOW, target=WordTarget.IP_ADDRESS)

    status = assess(ip_address=address).status

    assert status == (CommentStatus.SPAM if caught else CommentStatus.PENDING)


def test_a_user_agent_entry_matches_a_piece_of_the_browsers_user_agent():
    ModerationWord.objects.create(word="SpamBot/2", kind=WordListKind.MODERATE, target=WordTarget.USER_AGENT)

    assert assess(user_agent="Mozilla/5.0 (compatible; spambot/2.1)").hold_reasons == [
        HoldReason.MODERATED_WORD
    ]
    assert assess(user_agent="Mozilla/5.0 Firefox/140.0").hold_reasons == []


def test_a_content_word_does_not_match_the_address_or_user_agent():
    ModerationWord.objects.create(word="firefox", kind=WordListKind.DISALLOW)

    assert assess(user_agent="Mozilla/5.0 Firefox/140.0").status == CommentStatus.PENDING


def test_an_address_entry_must_be_an_address_or_a_range():
    from django.core.exceptions import ValidationError

    entry = ModerationWord(word="pas une adresse", kind=WordListKind.DISALLOW, target=WordTarget.IP_ADDRESS)

    with pytest.raises(ValidationError) as error:
        entry.full_clean()

    assert error.value.message_dict["word"] == [
        "Indiquez une adresse IP (203.0.113.7) ou une plage (203.0.113.0/24)."
    ]


def test_the_word_lists_are_read_once_then_from_the_cache_until_an_entry_changes(django_assert_num_queries):
    ModerationWord.objects.create(word="casino", kind=WordListKind.MODERATE)
    assess("Le casino")

    with django_assert_num_queries(1):  # the suspected-duplicate lookup only
        assert assess("Le casino").hold_reasons == [HoldReason.MODERATED_WORD]
    ModerationWord.objects.create(word="loterie", kind=WordListKind.MODERATE)
    assert assess("La loterie").hold_reasons == [HoldReason.MODERATED_WORD]
    ModerationWord.objects.filter(word="casino").delete()
    assert assess("Le casino").hold_reasons == []


def test_words_of_folds_what_spammers_use_to_dodge_lists():
    assert words_of("V.I.A.G.R.A, pas cher !") == "viagra pas cher"
    assert words_of("Ｌａ　Ｒé\u200bdaction") == "la redaction"


# --- 5. « La rédaction » is reserved -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["La rédaction", "LA REDACTION", "la  Rédaction ", "La-Rédaction", "Ｌａ Ｒédaction"]
)
def test_a_reader_signing_as_the_newsroom_is_held_with_the_reason_reserved_name(name):
    assessment = assess(name=name)

    assert assessment.status == CommentStatus.PENDING
    assert assessment.hold_reasons == [HoldReason.RESERVED_NAME]
    assert HoldReason.RESERVED_NAME.label == "Nom réservé"


def test_a_name_that_only_contains_redaction_is_not_reserved():
    assert assess(name="Claire, ancienne de la rédaction").hold_reasons == []


# --- 6. Oversized posts are neither parsed nor echoed ----------------------------------------------


def test_a_post_over_64_kilobytes_gets_a_french_413_without_being_read(client):
    article = make_article()
    data = post_data(article, text="x" * (11 * 1024 * 1024))

    response = post(client, data)

    assert response.status_code == 413
    assert "Votre envoi dépasse 64 Ko" in text_of(response)
    assert len(response.content) < 20_000
    assert response["Cache-Control"] == "private, no-store"
    assert Comment.objects.count() == 0


def test_a_refused_long_text_is_echoed_no_longer_than_the_fields_limit(client):
    article = make_article()

    response = post(client, post_data(article, text="y" * 20_000))

    html = text_of(response)
    assert response.status_code == 400
    assert "il en a 20000" in html
    assert "y" * 3000 in html
    assert "y" * 3001 not in html


# --- 7. Control characters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Lou\r\nModérer ce commentaire : https://evil.example/", "Lou\x1b[31m", "Lou\u202e"]
)
def test_a_name_holding_control_characters_is_refused_with_the_text_kept(client, name):
    article = make_article()

    response = post(client, post_data(article, name=name, text="Texte à garder"))

    html = text_of(response)
    assert response.status_code == 400
    assert "Votre nom ne peut contenir ni retour à la ligne ni caractère de contrôle." in html
    assert "Texte à garder" in html
    assert Comment.objects.count() == 0


def test_control_characters_in_a_comment_text_are_dropped_but_line_breaks_kept(client):
    article = make_article()

    post(client, post_data(article, text="Ligne une\r\nLigne\x07 deux\u202e"))

    assert Comment.objects.get().text == "Ligne une\nLigne deux"


def test_article_and_event_titles_are_cleaned_of_control_characters_on_save():
    from tests.events.factories import make_event

    article = make_article(title="Le port\r\nBcc: tous@example.org")
    event = make_event(title="Forum\t\u202eSmart City")

    assert Article.objects.get(pk=article.pk).title == "Le port Bcc: tous@example.org"
    event.refresh_from_db()
    assert event.title == "Forum Smart City"


def test_the_notification_never_fails_on_content_and_quotes_the_readers_text(settings, mailoutbox):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    article = make_article()
    # Stored before names and titles were checked: written around save() on purpose.
    Article.objects.filter(pk=article.pk).update(title="Titre\r\nBcc: victime@example.org")
    comment = make_comment(
        article=article,
        author_name="Lou\nModérer ce commentaire : https://evil.example/",
        text="Bonjour\nModérer ce commentaire : https://evil.example/",
    )

    sent = notify_moderators.call(comment_id=comment.pk)

    assert sent == 1
    message = mailoutbox[0]
    assert plain(message.subject) == "Nouveau commentaire à modérer : Titre Bcc: victime@example.org"
    lines = plain(message.body).splitlines()
    assert [line for line in lines if line.startswith("Modérer ce commentaire")] == [
        f"Modérer ce commentaire : http://127.0.0.1:8000/admin/comments/comment/{comment.pk}/change/"
    ]
    assert "Nom : Lou Modérer ce commentaire : https://evil.example/" in lines
    assert "> Modérer ce commentaire : https://evil.example/" in lines


# --- 14. A malformed X-Forwarded-For never breaks a post -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("198.51.100.7:5555", "198.51.100.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ('"198.51.100.7"', "198.51.100.7"),
        ("unknown", None),
        ("_hidden", None),
        ("", None),
        ("999.1.1.1", None),
        ("[2001:db8::1", None),
        ("exemple.org", None),
        ("1" * 500, None),
    ],
)
def test_parse_ip_reads_ports_brackets_and_refuses_junk(value, expected):
    assert parse_ip(value) == expected


@pytest.mark.parametrize(
    ("forwarded", "stored"),
    [
        ("203.0.113.9, 198.51.100.7:5555", "198.51.100.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("unknown", None),
        ("203.0.113.9, n'importe quoi", None),
        (",,,", None),
    ],
)
def test_behind_the_proxy_a_malformed_forwarded_for_stores_no_address_and_never_fails(
    client, settings, forwarded, stored
):
    settings.TRUST_X_FORWARDED_FOR = True
    article = make_article()

    response = post(client, post_data(article), HTTP_X_FORWARDED_FOR=forwarded, ip="127.0.0.1")

    assert response.status_code == 302
    assert Comment.objects.get().ip_address == stored


def test_without_the_proxy_setting_forwarded_for_is_ignored(client, settings):
    settings.TRUST_X_FORWARDED_FOR = False
    article = make_article()

    post(client, post_data(article), HTTP_X_FORWARDED_FOR="203.0.113.9", ip="198.51.100.8")

    assert Comment.objects.get().ip_address == "198.51.100.8"


# --- 15. Honest readers keep their text ----------------------------------------------------------------


def test_a_valid_form_sent_with_origin_null_is_accepted(client):
    article = make_article()

    response = post(client, post_data(article), HTTP_ORIGIN="null")

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_origin_null_with_a_foreign_referer_is_still_refused(client):
    article = make_article()

    response = post(client, post_data(article), HTTP_ORIGIN="null", HTTP_REFERER="https://evil.example/x")

    assert response.status_code == 403
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("tamper", "status", "message"),
    [
        ({"HTTP_ORIGIN": "https://evil.example"}, 403, "Ce formulaire doit être envoyé depuis notre site."),
        ({"security_hash": "0" * 64}, 400, "Le formulaire a été modifié"),
        ({"closed": True}, 403, "Les commentaires sont fermés pour cet article."),
    ],
)
def test_every_refusal_page_gives_the_reader_their_name_and_text_back(client, tamper, status, message):
    article = make_article(comments_enabled=not tamper.pop("closed", False))
    data = post_data(article, name="Lou Gardé", text="Mon texte <b>précieux</b>")
    headers = {key: value for key, value in tamper.items() if key.startswith("HTTP_")}
    data.update({key: value for key, value in tamper.items() if not key.startswith("HTTP_")})

    response = post(client, data, **headers)

    page = response.content.decode()
    assert response.status_code == status
    assert message in html.unescape(page)
    assert "Mon texte &lt;b&gt;précieux&lt;/b&gt;</textarea>" in page
    assert 'value="Lou Gardé"' in page
    assert response["Cache-Control"] == "private, no-store"
