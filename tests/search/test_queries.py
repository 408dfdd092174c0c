"""The search asks a constant number of queries, whatever the size of the index."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import TopicFactory
from tests.meetings.factories import AgendaItemFactory
from tests.news.factories import PublishedPostFactory
from tests.projects.factories import PublicProjectFactory

from .conftest import search


def _data(n: int, topic) -> None:
    for i in range(n):
        PublishedPostFactory(title=f"Laternen {i}").topics.add(topic)
        PublicProjectFactory(title=f"Laternen Projekt {i}", topics=[topic])
        AgendaItemFactory(title=f"Laternen Vortrag {i}")


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = search(client, q="Laternen", **params)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_data(client, member):
    topic = TopicFactory(slug="licht")
    client.force_login(member.user)
    _data(2, topic)
    small = _queries(client), _queries(client, topic="licht"), _queries(client, page="2")
    _data(30, topic)
    large = _queries(client), _queries(client, topic="licht"), _queries(client, page="2")

    assert small == large
