"""Site-wide answers that browsers ask for on their own."""

import io

import pytest
from PIL import Image


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


@pytest.mark.django_db
def test_sitemap_lists_public_meetings_and_member_pages_but_nothing_private(client):
    from meetings.models import Meeting
    from members.models import Municipality
    from tests.factories import MunicipalityFactory
    from tests.meetings.factories import MeetingFactory
    from tests.news.factories import PublishedPostFactory

    public = MeetingFactory(title="Öffentliches Treffen", is_public=True)
    internal = MeetingFactory(title="Internes Treffen", is_public=False)
    draft = MeetingFactory(title="Entwurf", is_public=True, status=Meeting.Status.DRAFT)
    member = MunicipalityFactory(name="Ingelheim", slug="ingelheim")
    former = MunicipalityFactory(
        name="Ausgetreten", slug="ausgetreten", status=Municipality.Status.LEFT
    )
    post = PublishedPostFactory()

    response = client.get("/sitemap.xml")
    sitemap = response.content.decode()

    assert response.status_code == 200
    for url in (
        public.get_absolute_url(),
        member.get_absolute_url(),
        post.get_absolute_url(),
        "/treffen/",
        "/treffen/archiv/",
        "/mitglied-werden/",
        "/impressum/",
    ):
        assert f"http://testserver{url}</loc>" in sitemap, url
    for url in (
        internal.get_absolute_url(),
        draft.get_absolute_url(),
        former.get_absolute_url(),
    ):
        assert url not in sitemap, url


@pytest.mark.django_db
def test_the_homepage_shows_the_next_public_stammtisch_with_its_topics(client):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting
    from members.models import Topic
    from tests.meetings.factories import MeetingFactory

    topic = Topic.objects.create(name="Laternen im Test", slug="smart-city-test", position=1)
    MeetingFactory(
        title="Internes Treffen", is_public=False, start=timezone.now() + timedelta(days=2)
    )
    meeting = MeetingFactory(
        title="4. Digitaler Stammtisch 2026",
        kind=Meeting.Kind.STAMMTISCH,
        is_public=True,
        start=timezone.now() + timedelta(days=5),
    )
    MeetingFactory(title="Später", is_public=True, start=timezone.now() + timedelta(days=50))
    item = AgendaItem.objects.create(meeting=meeting, title="Smarte Laternen", position=1)
    item.topics.add(topic)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    section = page[page.index('id="next-meeting-heading"') :]
    section = section[: section.index("</section>")]

    assert "Der nächste Stammtisch" in section
    assert meeting.get_absolute_url() in section
    assert "Smarte Laternen" in section
    assert '/neuigkeiten/?topic=smart-city-test">Laternen im Test</a>' in section
    assert "Internes Treffen" not in page and "Später" not in section
