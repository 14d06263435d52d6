"""Read replicas (newsroom/db_router.py): anonymous readers' GETs read from a
replica, everything else from the primary.

The replica here is a second alias on the very same database, as the
settings make it for tests (`TEST: {"MIRROR": "default"}`): which alias ran
a query is what is checked.
"""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom import db_router
from tests.conftest import make_article

REPLICA = "replica_1"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup):
    """A second alias on the test database, as the settings make one for each
    DATABASE_REPLICA_URLS entry; added before the tests' database access is set up."""
    connections.settings[REPLICA] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica(settings):
    """The router and its middleware on, with `replica_1` as the one replica."""
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "newsroom.db_router.replica_reads_middleware",
        *settings.MIDDLEWARE[1:],
    ]
    return REPLICA


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def test_an_anonymous_readers_page_is_read_from_the_replica(client, replica):
    article = make_article(title="Lu sur la réplique")

    with queries_on("default") as primary, queries_on(replica) as copy:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Lu sur la réplique" in response.text
    assert len(copy) > 0
    assert len(primary) == 0


def test_the_staff_read_from_the_primary(client, replica, django_user_model):
    article = make_article()
    client.force_login(django_user_model.objects.create_user("redac", is_staff=True))

    with queries_on("default") as primary, queries_on(replica) as copy:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert len(primary) > 0
    assert len(copy) == 0


def test_a_reader_with_a_pending_comment_reads_from_the_primary(client, replica):
    article = make_article()
    client.cookies["nr_commentaires"] = "1:abc"

    with queries_on("default") as primary, queries_on(replica) as copy:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert len(primary) > 0
    assert len(copy) == 0


def test_a_readers_post_reads_and_writes_on_the_primary(client, replica):
    with queries_on("default") as primary, queries_on(replica) as copy:
        client.post("/admin/login/", {"username": "personne", "password": "faux"})

    assert len(primary) > 0
    assert len(copy) == 0


def test_outside_a_request_every_read_uses_the_primary(replica):
    article = make_article()

    with queries_on(replica) as copy:
        assert Article.objects.get(pk=article.pk) == article

    assert len(copy) == 0


def test_a_read_inside_a_transaction_uses_the_primary_even_for_a_reader(replica):
    article = make_article()
    token = db_router._replica.set(replica)
    try:
        with queries_on(replica) as copy:
            outside = Article.objects.get(pk=article.pk)
            with transaction.atomic():
                inside = Article.objects.get(pk=article.pk)
    finally:
        db_router._replica.reset(token)

    assert outside == inside == article
    assert len(copy) == 1


def test_writes_and_migrations_go_to_the_primary_only():
    router = db_router.ReplicaRouter()

    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica_1", "articles") is False
