"""No English left in the admin for the newsroom's staff."""

import html
import re

import pytest
from django.contrib import admin
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.admin_labels import NOUNS
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    return client


def text_of(response):
    page = re.sub(r"<script.*?</script>|<head>.*?</head>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_every_model_of_the_admin_has_its_french_noun():
    assert sorted(model._meta.label_lower for model in admin.site._registry) == sorted(NOUNS)


def test_add_button_title_and_breadcrumbs_say_ajouter_un_article(client, editor):
    client.force_login(editor)

    changelist = text_of(client.get("/admin/articles/article/"))
    add_form = client.get("/admin/articles/article/add/").content.decode()

    assert "Choisir un article à modifier" in changelist
    assert "Ajouter un article" in changelist
    assert "<title>Ajouter un article | Newsroom</title>" in add_form
    assert "<h1>Ajouter un article</h1>" in add_form
    assert '<li aria-current="page">Ajouter un article</li>' in add_form


@pytest.mark.parametrize(
    ("address", "title"),
    [
        ("/admin/events/event/add/", "Ajouter un événement"),
        ("/admin/articles/section/add/", "Ajouter une rubrique"),
        ("/admin/events/organisation/add/", "Ajouter une organisation"),
        ("/admin/events/venue/add/", "Ajouter un lieu"),
    ],
)
def test_add_titles_agree_with_the_gender_of_each_name(client, editor, address, title):
    client.force_login(editor)

    assert f"<h1>{title}</h1>" in client.get(address).content.decode()


def test_change_form_is_titled_modifier_l_article(client, editor):
    article = make_article()
    client.force_login(editor)

    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "<h1>Modifier l’article</h1>" in page


def test_slug_fields_are_labelled_in_french(client, editor):
    client.force_login(editor)

    page = client.get("/admin/articles/article/add/").content.decode()

    assert '<label class="required" for="id_slug">Fin de l&#x27;adresse\u00a0:</label>' in page
    assert "Slug" not in text_of(client.get("/admin/articles/tag/add/"))


def test_inline_rows_are_added_with_a_french_label(client, editor):
    client.force_login(editor)

    page = client.get("/admin/events/event/add/").content.decode()

    assert "addText&quot;: &quot;Ajouter une ligne : Organisateur&quot;" in page


def test_task_queue_is_named_in_french(superuser_client):
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="comments.tasks.notify_moderators",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    home = text_of(superuser_client.get("/admin/"))
    results = text_of(superuser_client.get("/admin/django_tasks_database/dbtaskresult/"))

    assert "File de tâches" in home
    assert "Tasks Database Backend" not in home
    assert "Choisir un résultat de tâche à consulter" in results
    for heading in ["Tâche", "État", "Mise en file le", "Commencée le", "Terminée le", "Priorité", "File"]:
        assert f" {heading} " in results


def test_permissions_read_in_french_in_the_group_form(superuser_client):
    page = text_of(superuser_client.get("/admin/auth/group/add/"))

    assert "Articles | article | ajouter" in page
    assert "Commentaires | commentaire | Modérer les commentaires et voir l'e-mail" in page
    assert "Can add" not in page


def test_app_pages_are_titled_in_french(client, editor):
    client.force_login(editor)

    assert "<h1>Administration — Articles</h1>" in client.get("/admin/articles/").content.decode()


def test_rich_text_editor_dialogs_speak_french(client, editor):
    client.force_login(editor)

    catalog = client.get("/admin/jsi18n/").content.decode()

    assert '"Edit Link": "Modifier le lien"' in catalog
    assert '"Open in new window": "Ouvrir dans une nouvelle fen\\u00eatre"' in catalog or (
        "Ouvrir dans une nouvelle fenêtre" in catalog
    )
