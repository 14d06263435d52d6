"""The trust pages: legal notice, privacy policy, accessibility statement, contact."""

import pytest
from django.conf import settings
from django.core.management import call_command

import pages.demo
from pages.models import Page, PageKind
from tests.conftest import make_article, page_text

pytestmark = pytest.mark.django_db

ADDRESSES = {
    "Contact": "/contact/",
    "Mentions légales": "/mentions-legales/",
    "Politique de confidentialité": "/confidentialite/",
    "Accessibilité": "/accessibilite/",
}


def test_every_page_links_to_the_trust_pages_from_its_footer(client):
    html = client.get("/").content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    for label, address in ADDRESSES.items():
        assert f'<li><a href="{address}">{label}</a></li>' in footer


@pytest.mark.parametrize("address", ADDRESSES.values())
def test_each_trust_page_exists_on_a_fresh_site_and_asks_to_be_completed(client, address):
    page = client.get(address)

    assert page.status_code == 200
    assert "À compléter par la rédaction dans l'administration (Pages du site)." in page_text(page)


def test_privacy_policy_states_the_retention_periods_set_on_the_server(client, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 180
    settings.COMMENTS_REJECTED_RETENTION_DAYS = 30
    settings.PRIVACY_CONTACT_EMAIL = "dpo@news.example.org"

    page = client.get("/confidentialite/")

    text = page_text(page)
    assert "Votre adresse IP, gardée pour lutter contre les abus, est effacée au bout de 180 jours." in text
    assert "Un commentaire refusé ou indésirable est supprimé au bout de 30 jours." in text
    assert "votre navigateur garde 30 jours un cookie signé" in text
    assert '<a href="mailto:dpo@news.example.org">dpo@news.example.org</a>' in page.content.decode()


def test_privacy_contact_defaults_to_the_newsrooms_sending_address():
    assert settings.PRIVACY_CONTACT_EMAIL == "redaction@localhost"


def test_comment_form_notice_links_to_the_privacy_policy(client):
    html = client.get(make_article().get_absolute_url()).content.decode()

    assert '<a href="/confidentialite/#commentaires">notre politique de confidentialité</a>' in html
    assert 'id="commentaires"' in client.get("/confidentialite/").content.decode()


def test_only_the_privacy_policy_carries_the_retention_periods(client):
    assert "effacée au bout de" not in page_text(client.get("/mentions-legales/"))


def test_editors_change_a_trust_page_but_cannot_add_or_delete_one(client, editor):
    page = Page.objects.get(kind=PageKind.CONTACT)
    client.force_login(editor)

    response = client.post(
        f"/admin/pages/page/{page.pk}/change/",
        {
            "title": "Nous contacter",
            "body": '<p>Écrivez-nous.</p><script>alert(1)</script><p onclick="x">Merci</p>',
        },
    )

    page.refresh_from_db()
    assert response.status_code == 302
    assert (page.title, page.body) == ("Nous contacter", "<p>Écrivez-nous.</p><p>Merci</p>")
    assert client.get("/admin/pages/page/add/").status_code == 403
    assert client.get(f"/admin/pages/page/{page.pk}/delete/").status_code == 403


def test_moderators_cannot_change_the_trust_pages(client, moderator):
    client.force_login(moderator)

    assert client.get("/admin/pages/page/").status_code == 403


def test_demo_writes_the_pages_once_and_never_over_the_editors_text(client):
    Page.objects.filter(kind=PageKind.CONTACT).update(body="<p>Notre texte.</p>")

    pages.demo.load()
    pages.demo.load()

    legal = page_text(client.get("/mentions-legales/"))
    assert "Directeur de la publication Claire Martin, présidente de Newsroom SAS." in legal
    assert "partiellement conforme" in page_text(client.get("/accessibilite/"))
    assert Page.objects.get(kind=PageKind.CONTACT).body == "<p>Notre texte.</p>"


def test_load_demo_fills_the_trust_pages(settings):
    settings.DEBUG = True

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not Page.objects.filter(body__contains=pages.demo.TODO_MARK).exists()


def test_trust_page_query_count(client, django_assert_num_queries):
    # the page, nav sections
    with django_assert_num_queries(2):
        client.get("/mentions-legales/")


def test_demo_creates_a_trust_page_that_is_missing(client):
    Page.objects.filter(kind=PageKind.CONTACT).delete()

    pages.demo.load()

    assert "Écrire à la rédaction" in page_text(client.get("/contact/"))
