"""Every save is a revision; editors compare any two and restore one."""

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleStatus
from articles.services import publish_articles, save_article
from audit.models import AuditAction, AuditEntry
from newsroom.revisions import history, html_to_text, word_diff
from tests.articles.factories import make_tag
from tests.conftest import make_article, make_author

pytestmark = pytest.mark.django_db


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("revision_id"))


def edit(article, *, by, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    save_article(article=article, by=by)
    return article


def test_admin_save_records_a_revision_with_the_user_tags_and_authors(client, chief):
    article = make_article()
    tag, author = make_tag(name="Énergie"), make_author(name="Claire Martin")
    client.force_login(chief)
    data = {
        "title": "Nouveau titre",
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": article.section_id,
        "tags": [tag.pk],
        "authors": [author.pk],
        "status": ArticleStatus.PUBLISHED,
        "published_at_0": timezone.localtime(article.published_at).strftime("%d/%m/%Y"),
        "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S"),
        "comments_enabled": "on",
    }

    client.post(f"/admin/articles/article/{article.pk}/change/", data)

    latest = versions_of(article)[-1]
    assert latest.revision.user == chief
    assert latest.field_dict["title"] == "Nouveau titre"
    assert latest.field_dict["tags"] == [tag.pk]
    assert latest.field_dict["authors"] == [author.pk]
    assert latest.field_dict["published_at"] == article.published_at.replace(microsecond=0)


def test_a_bulk_publish_records_a_revision_by_its_author(chief):
    draft = make_article(status=ArticleStatus.REVIEW)

    publish_articles(articles=Article.objects.filter(pk=draft.pk), by=chief)

    latest = versions_of(draft)[-1]
    assert (latest.revision.user, latest.field_dict["status"]) == (chief, ArticleStatus.PUBLISHED)


def test_a_save_outside_any_service_still_records_a_revision():
    article = make_article()
    before = len(versions_of(article))

    article.title = "Modifié dans le shell"
    article.save()

    latest = versions_of(article)[-1]
    assert len(versions_of(article)) == before + 1
    assert (latest.revision.user, latest.field_dict["title"]) == (None, "Modifié dans le shell")


def test_an_event_save_records_a_revision():
    from tests.events.factories import make_event

    event = make_event(title="Rencontres")
    event.title = "Rencontres du Forum"
    event.save()

    assert [v.field_dict["title"] for v in versions_of(event)][-2:] == ["Rencontres", "Rencontres du Forum"]


@pytest.mark.parametrize("tags", [1, 5])
def test_saving_costs_the_same_whatever_the_history_and_tags(chief, django_assert_num_queries, tags):
    article = make_article(tags=[make_tag() for _ in range(tags)])
    for n in range(3 if tags == 1 else 20):
        edit(article, by=chief, title=f"Version {n}")

    # previous state, save, revision: existing check, revision, versions, tags and authors of the version,
    # the save's own queries (update) and the savepoints
    with django_assert_num_queries(11):
        edit(article, by=chief, title="Encore")


# --- History and comparison ----------------------------------------------------


@pytest.mark.parametrize("count", [3, 60])
def test_history_lists_a_page_of_versions_in_a_fixed_number_of_queries(
    client, chief, django_assert_num_queries, count
):
    article = make_article()
    for n in range(count):
        edit(article, by=chief, title=f"Version {n}")
    client.force_login(chief)
    client.get(f"/admin/articles/article/{article.pk}/history/")

    # session, user, permissions (user, groups), object, content type, count, page
    with django_assert_num_queries(7):
        response = client.get(f"/admin/articles/article/{article.pk}/history/")

    html = response.content.decode()
    total = len(versions_of(article))
    assert f"<caption>{total} versions</caption>" in html
    assert html.count('name="de"') == min(total, 50)


def test_history_does_not_load_the_versions_content(chief):
    article = make_article()
    edit(article, by=chief, title="Deux")

    version = history(article)[0]

    assert {"serialized_data", "object_repr"} <= version.get_deferred_fields()


def test_compare_shows_words_removed_and_added_in_the_body(client, chief):
    article = make_article(body="<p>Le Forum se tient au Pharo en octobre.</p>")
    edit(article, by=chief, body="<p>Le Forum se tient au Pharo en septembre.</p>")
    old, new = versions_of(article)[-2:]
    client.force_login(chief)

    html = client.get(f"/admin/articles/article/{article.pk}/historique/comparer/?de={old.pk}&a={new.pk}")

    page = html.content.decode()
    assert '<del class="diff-del">octobre.</del><ins class="diff-ins">septembre.</ins>' in page
    assert "&lt;p&gt;" not in page  # the text is compared, not the HTML
    assert "Restaurer cette version" in page
    assert 'style="' not in page.split('id="content"')[1]


def test_compare_names_tags_and_section_instead_of_numbers(client, chief):
    energie = make_tag(name="Énergie")
    article = make_article(tags=[energie])
    article.tags.set([make_tag(name="Transports")])
    old = next(v for v in versions_of(article) if v.field_dict["tags"] == [energie.pk])
    new = versions_of(article)[-1]
    client.force_login(chief)

    page = client.get(
        f"/admin/articles/article/{article.pk}/historique/comparer/?de={old.pk}&a={new.pk}"
    ).content.decode()

    assert '<del class="diff-del">Énergie</del><ins class="diff-ins">Transports</ins>' in page


@pytest.mark.parametrize("count", [2, 40])
def test_compare_costs_a_fixed_number_of_queries(client, chief, django_assert_num_queries, count):
    article = make_article(tags=[make_tag()])
    for n in range(count):
        edit(article, by=chief, body=f"<p>Paragraphe {n} " + "mot " * 200 + "</p>")
    first, last = versions_of(article)[0], versions_of(article)[-1]
    url = f"/admin/articles/article/{article.pk}/historique/comparer/?de={first.pk}&a={last.pk}"
    client.force_login(chief)
    client.get(url)

    # session, user, permissions (user, groups), object, the two versions,
    # then one query per related model for the names: section, tags, authors
    with django_assert_num_queries(9):
        client.get(url)


def test_word_diff_escapes_what_it_shows():
    assert (
        word_diff("a <b>", "a <script>")
        == 'a <del class="diff-del">&lt;b&gt;</del><ins class="diff-ins">&lt;script&gt;</ins>'
    )


def test_html_to_text_keeps_one_line_per_paragraph():
    assert html_to_text("<h2>Omniprésence</h2><p>Les réseaux &amp; la donnée.</p>") == (
        "Omniprésence\nLes réseaux & la donnée."
    )


# --- Restore ----------------------------------------------------------------------


def test_restore_writes_the_old_content_back_as_a_new_revision_and_is_recorded(client, chief):
    old_tag, new_tag = make_tag(name="Énergie"), make_tag(name="Transports")
    article = make_article(title="Premier titre", tags=[old_tag])
    first = versions_of(article)[-1]
    edit(article, by=chief, title="Second titre")
    article.tags.set([new_tag])
    client.force_login(chief)

    response = client.post(f"/admin/articles/article/{article.pk}/historique/{first.pk}/restaurer/")

    article.refresh_from_db()
    assert response.status_code == 302
    assert (article.title, list(article.tags.all()), article.status) == (
        "Premier titre",
        [old_tag],
        ArticleStatus.PUBLISHED,
    )
    latest = versions_of(article)[-1]
    assert latest.revision.comment.startswith("Restauration de la version du ")
    assert latest.revision.user == chief
    entry = AuditEntry.objects.filter(action=AuditAction.RESTORE).get()
    assert (entry.actor, entry.object_id) == (chief, str(article.pk))


def test_restoring_an_old_draft_does_not_unpublish(chief):
    article = make_article(status=ArticleStatus.DRAFT, title="Brouillon")
    draft_version = versions_of(article)[-1]
    publish_articles(articles=Article.objects.filter(pk=article.pk), by=chief)

    from newsroom.revisions import restore_version

    restore_version(version=draft_version, by=chief, can_publish=True)

    article.refresh_from_db()
    assert article.is_published


def test_writer_cannot_restore_a_published_article(client, writer, chief):
    article = make_article(title="Premier titre")
    first = versions_of(article)[-1]
    edit(article, by=chief, title="Second titre")
    client.force_login(writer)

    response = client.post(f"/admin/articles/article/{article.pk}/historique/{first.pk}/restaurer/")

    article.refresh_from_db()
    assert (response.status_code, article.title) == (403, "Second titre")


def test_restore_needs_a_post(client, chief):
    article = make_article()
    client.force_login(chief)

    response = client.get(
        f"/admin/articles/article/{article.pk}/historique/{versions_of(article)[0].pk}/restaurer/"
    )

    assert response.status_code == 405


def test_demo_content_has_a_revision():
    from django.core.management import call_command

    call_command("load_demo", allow_production=True, stdout=open("/dev/null", "w"))  # noqa: SIM115

    feature = Article.objects.get(slug__startswith="quelle-place")
    assert versions_of(feature)[0].revision.comment == "Contenu de démonstration"


def test_event_history_compare_and_restore(client, chief):
    from events.services import save_event
    from tests.events.factories import make_event

    event = make_event(title="Rencontres", standfirst="Une matinée de débats.")
    event.standfirst = "Une journée de débats."
    save_event(event=event, by=chief)
    old, new = versions_of(event)[0], versions_of(event)[-1]
    client.force_login(chief)

    history = client.get(f"/admin/events/event/{event.pk}/history/").content.decode()
    compare = client.get(f"/admin/events/event/{event.pk}/historique/comparer/?de={old.pk}&a={new.pk}")
    client.post(f"/admin/events/event/{event.pk}/historique/{old.pk}/restaurer/")

    assert f"<caption>{len(versions_of(event)) - 1} versions</caption>" in history
    assert (
        '<del class="diff-del">matinée</del><ins class="diff-ins">journée</ins>' in compare.content.decode()
    )
    event.refresh_from_db()
    assert event.standfirst == "Une matinée de débats."


def test_restoring_an_old_slug_makes_the_redirect_and_records_who(chief):
    article = make_article(slug="premier")
    first = versions_of(article)[-1]
    edit(article, by=chief, slug="second")

    from newsroom.revisions import restore_version
    from redirects.models import Redirect

    restore_version(version=first, by=chief, can_publish=True)

    article.refresh_from_db()
    assert article.slug == "premier"
    assert list(Redirect.objects.values_list("old_path", "new_path", "created_by")) == [
        ("/articles/second/", "/articles/premier/", chief.pk)
    ]


def test_an_old_slug_taken_since_by_another_article_is_not_restored(chief):
    article = make_article(slug="premier")
    first = versions_of(article)[-1]
    edit(article, by=chief, slug="second")
    make_article(slug="premier")

    from newsroom.revisions import restore_version

    restore_version(version=first, by=chief, can_publish=True)

    article.refresh_from_db()
    assert article.slug == "second"
