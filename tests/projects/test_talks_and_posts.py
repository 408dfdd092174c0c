"""Talks and posts that name a project: the choosers, the service's check, and the pages that
list them (the project's page, the topic page, the municipality's page, the meeting's page)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.forms import AgendaItemAdminForm
from meetings.models import Meeting
from news import services as news_services
from news.admin import PostAdminForm
from news.forms import PostForm
from news.models import Post
from projects.models import ProjectProfile
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, MeetingSeriesFactory
from tests.news.factories import PostFactory, PublishedPostFactory
from tests.projects.factories import ProjectFactory, PublicProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return TopicFactory(name="Smart City", slug="smart-city")


@pytest.fixture
def kaiserslautern():
    return MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")


@pytest.fixture
def member(kaiserslautern):
    return MemberContactFactory(municipality=kaiserslautern).user


@pytest.fixture
def lamps(kaiserslautern, topic):
    return PublicProjectFactory(
        title="Smarte Laternen", municipality=kaiserslautern, topics=[topic]
    )


MONTHS_DE = {
    1: "Januar", 2: "Februar", 3: "März", 4: "April", 5: "Mai", 6: "Juni", 7: "Juli",
    8: "August", 9: "September", 10: "Oktober", 11: "November", 12: "Dezember",
}  # fmt: skip


def held(**fields):
    start = timezone.now() - timedelta(days=30)
    defaults = {"start": start, "end": start + timedelta(hours=2), "status": Meeting.Status.HELD}
    return MeetingFactory(**{**defaults, **fields})


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Choosing the project -----------------------------------------------------------------


def test_the_post_chooser_offers_a_member_published_and_members_only_profiles(member, lamps):
    draft = ProjectFactory(title="Interner Entwurf")
    withdrawn = ProjectFactory(title="Zurückgezogen", status=ProjectProfile.Status.ARCHIVED)

    offered = set(PostForm(user=member).fields["project"].queryset)

    assert {lamps, draft} <= offered
    assert withdrawn not in offered
    label = PostForm(user=member).fields["project"].label_from_instance(lamps)
    assert label == "Smarte Laternen (Kaiserslautern)"


def test_the_admin_choosers_offer_every_profile_but_the_withdrawn(lamps):
    withdrawn = ProjectFactory(status=ProjectProfile.Status.ARCHIVED)
    for form in (AgendaItemAdminForm(), PostAdminForm()):
        offered = set(form.fields["project"].queryset)
        assert lamps in offered and withdrawn not in offered


def test_choosing_a_withdrawn_profile_is_a_form_error_and_keeps_what_was_typed(client, member):
    withdrawn = ProjectFactory(status=ProjectProfile.Status.ARCHIVED)
    client.force_login(member)

    response = client.post(
        reverse("news:create"),
        {"kind": "news", "title": "Laternen", "teaser": "Kurz", "body": "Lang",
         "project": withdrawn.pk},
    )  # fmt: skip

    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert 'value="Laternen"' in response.content.decode()
    assert not Post.objects.exists()


def test_the_agenda_item_admin_form_refuses_a_withdrawn_profile():
    withdrawn = ProjectFactory(status=ProjectProfile.Status.ARCHIVED)
    meeting = MeetingFactory()
    form = AgendaItemAdminForm(
        data={"position": 1, "title": "Laternen", "project": withdrawn.pk},
        instance=AgendaItemFactory.build(meeting=meeting),
    )
    assert not form.is_valid()
    assert "project" in form.errors


def test_a_member_names_the_project_of_a_post(client, member, lamps):
    client.force_login(member)

    response = client.post(
        reverse("news:create"),
        {"kind": "news", "title": "Laternen", "teaser": "Kurz", "body": "Lang",
         "project": lamps.pk},
    )  # fmt: skip

    assert response.status_code == 302
    assert Post.objects.get().project == lamps


def test_the_service_refuses_a_project_the_writer_cannot_see(member):
    withdrawn = ProjectFactory(status=ProjectProfile.Status.ARCHIVED)

    with pytest.raises(news_services.PostError) as error:
        news_services.save_post(by=member, title="T", teaser="K", project=withdrawn)

    assert error.value.field == "project"
    assert not Post.objects.exists()


def test_a_post_keeps_its_project_when_the_profile_is_withdrawn_later(member, lamps):
    post = news_services.save_post(by=member, title="T", teaser="K", project=lamps)
    ProjectProfile.objects.filter(pk=lamps.pk).update(status=ProjectProfile.Status.ARCHIVED)
    lamps.refresh_from_db()

    saved = news_services.save_post(by=member, post=post, title="T2", teaser="K", project=lamps)

    assert saved.project == lamps


# --- The project's page -------------------------------------------------------------------


def test_the_project_page_lists_its_talks_and_posts_as_each_role_may_see_them(
    client, member, lamps
):
    AgendaItemFactory(title="Öffentlicher Vortrag", meeting=held(), project=lamps)
    AgendaItemFactory(title="Interner Vortrag", meeting=held(is_public=False), project=lamps)
    AgendaItemFactory(
        title="Entwurfsvortrag", meeting=held(status=Meeting.Status.DRAFT), project=lamps
    )
    AgendaItemFactory(title="Fremder Vortrag", meeting=held())
    PublishedPostFactory(title="Bericht über Laternen", project=lamps)
    PostFactory(title="Unveröffentlichter Bericht", project=lamps)

    visitor = page(client, lamps.get_absolute_url())
    client.force_login(member)
    members = page(client, lamps.get_absolute_url())
    client.force_login(CoordinatorFactory())
    coordinators = page(client, lamps.get_absolute_url())

    for html in (visitor, members, coordinators):
        assert "Öffentlicher Vortrag" in html and "Bericht über Laternen" in html
        assert "Entwurfsvortrag" not in html and "Unveröffentlichter Bericht" not in html
        assert "Fremder Vortrag" not in html
    assert "Interner Vortrag" not in visitor
    assert "Interner Vortrag" in members and "Interner Vortrag" in coordinators


def test_the_talks_show_their_slides_and_recording(client, lamps):
    item = AgendaItemFactory(
        title="Laternen", meeting=held(), project=lamps, recording_url="https://video.example/1"
    )
    item.slides.save("folien.pdf", ContentFile(b"%PDF-1.4 demo"))

    html = page(client, lamps.get_absolute_url())

    assert reverse("meetings:slides", args=[item.meeting.slug, item.pk]) in html
    assert "https://video.example/1" in html


def test_project_page_queries_do_not_grow_with_talks_and_posts(client, member, lamps):
    def count():
        with CaptureQueriesContext(connection) as queries:
            page(client, lamps.get_absolute_url())
        return len(queries)

    client.force_login(member)
    AgendaItemFactory(meeting=held(), project=lamps)
    PublishedPostFactory(project=lamps)
    one = count()
    for _ in range(5):
        AgendaItemFactory(meeting=held(), project=lamps, speaker_municipality=MunicipalityFactory())
        PublishedPostFactory(project=lamps)

    assert count() == one


# --- The topic page -----------------------------------------------------------------------


def test_the_topic_page_gathers_posts_and_talks_on_the_topic(client, topic, lamps):
    other = TopicFactory(name="Datenschutz", slug="datenschutz")
    talk = AgendaItemFactory(title="Laternen im Einsatz", meeting=held())
    talk.topics.set([topic])
    AgendaItemFactory(title="Vortrag zum Datenschutz", meeting=held()).topics.set([other])
    hidden = AgendaItemFactory(title="Interner Laternenvortrag", meeting=held(is_public=False))
    hidden.topics.set([topic])
    PublishedPostFactory(title="Beitrag mit Thema").topics.set([topic])
    PublishedPostFactory(title="Beitrag über das Projekt", project=lamps)
    PublishedPostFactory(title="Beitrag zum Datenschutz").topics.set([other])

    html = page(client, reverse("projects:topic", args=[topic.slug]))

    assert "Laternen im Einsatz" in html
    assert "Beitrag mit Thema" in html and "Beitrag über das Projekt" in html
    assert "Vortrag zum Datenschutz" not in html and "Beitrag zum Datenschutz" not in html
    assert "Interner Laternenvortrag" not in html


def test_a_visitor_sees_the_project_link_of_a_talk_only_for_a_public_profile(client, member, topic):
    internal = ProjectFactory(title="Interner Steckbrief")
    talk = AgendaItemFactory(title="Laternen", meeting=held(), project=internal)
    talk.topics.set([topic])
    topic_url = reverse("projects:topic", args=[topic.slug])

    assert internal.get_absolute_url() not in page(client, topic_url)
    assert internal.get_absolute_url() not in page(client, talk.meeting.get_absolute_url())
    client.force_login(member)
    assert internal.get_absolute_url() in page(client, topic_url)
    assert internal.get_absolute_url() in page(client, talk.meeting.get_absolute_url())


def test_the_post_page_links_to_its_public_project_only(client, lamps):
    internal = ProjectFactory(title="Interner Steckbrief")
    public_post = PublishedPostFactory(project=lamps)
    internal_post = PublishedPostFactory(project=internal)

    assert lamps.get_absolute_url() in page(client, public_post.get_absolute_url())
    assert internal.get_absolute_url() not in page(client, internal_post.get_absolute_url())


# --- The municipality's page --------------------------------------------------------------


def test_the_municipality_page_shows_its_talks_and_posts(client, kaiserslautern, lamps):
    AgendaItemFactory(title="Eigener Vortrag", meeting=held(), speaker_municipality=kaiserslautern)
    # an outside speaker (the city's IT company) presents the city's project
    AgendaItemFactory(title="Laternen bei KL.digital", meeting=held(), project=lamps)
    AgendaItemFactory(title="Vortrag aus Mainz", meeting=held(), speaker_municipality=None)
    PublishedPostFactory(title="Neues aus Kaiserslautern", municipality=kaiserslautern)
    PublishedPostFactory(title="Neues aus Mainz")

    html = page(client, kaiserslautern.get_absolute_url())

    assert "Eigener Vortrag" in html and "Laternen bei KL.digital" in html
    assert "Neues aus Kaiserslautern" in html
    assert "Vortrag aus Mainz" not in html and "Neues aus Mainz" not in html


def test_the_municipality_talks_are_read_along_indexes_not_by_scanning_every_talk(
    postgres, kaiserslautern, lamps
):
    """Its speakers' talks OR talks on its projects: under the OR, a plain ``IN (subquery)``
    left PostgreSQL no way but to test every talk of every meeting (a hashed subplan in a
    sequential scan, slower with each meeting held). With sequential scans priced out, the
    plan must find the talks through the two indexes."""
    from django.contrib.auth.models import AnonymousUser

    from meetings.talks import municipality_talks

    AgendaItemFactory(title="Eigener Vortrag", meeting=held(), speaker_municipality=kaiserslautern)
    AgendaItemFactory(title="Laternen bei KL.digital", meeting=held(), project=lamps)
    AgendaItemFactory(title="Vortrag aus Mainz", meeting=held(), speaker_municipality=None)
    request = type("Request", (), {"user": AnonymousUser()})()
    with CaptureQueriesContext(connection) as captured:
        section = municipality_talks(request, kaiserslautern)
    assert "Eigener Vortrag" in section.html and "Laternen bei KL.digital" in section.html
    assert "Vortrag aus Mainz" not in section.html
    (sql,) = [q["sql"] for q in captured if "meetings_agendaitem" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on meetings_agendaitem" not in plan, plan
    assert "speaker_municipality_id" in plan and "project_id = ANY" in plan, plan


def test_publishing_a_profile_shows_its_link_on_the_cached_post_page(
    client, django_capture_on_commit_callbacks
):
    project = ProjectFactory(title="Bald öffentlich")
    post = PublishedPostFactory(project=project)
    url = post.get_absolute_url()
    assert project.get_absolute_url() not in page(client, url)  # and now it is cached

    project.visibility = ProjectProfile.Visibility.PUBLIC
    project.status = ProjectProfile.Status.PUBLISHED
    project.published_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        project.save()

    assert project.get_absolute_url() in page(client, url)


def test_the_municipality_page_writes_its_lists_escaped_and_translated(
    client, kaiserslautern, lamps, member
):
    """The sections are written in Python (ikone.listing): names and titles are escaped, the
    words are the German ones, links are those reverse() gives."""
    series_meeting = held(title="", number=3, series=MeetingSeriesFactory(name="Stammtisch"))
    held(title="", slug="ohne-titel")  # no series: the kind's name
    AgendaItemFactory(meeting=Meeting.objects.get(slug="ohne-titel"), title="Ohne Reihe",
                      speaker_municipality=kaiserslautern)  # fmt: skip
    AgendaItemFactory(
        title="<b>Laternen</b> & Licht",
        meeting=series_meeting,
        speaker="Dr. <i>Ada</i>",
        speaker_municipality=kaiserslautern,
        project=lamps,
        recording_url="https://video.example/?a=1&b=2",
    )
    PublishedPostFactory(title="Neu: <script>x</script>", municipality=kaiserslautern)
    PublishedPostFactory(title="Aus der Koordination", municipality=None, project=lamps)
    other = MunicipalityFactory(name="Worms & Co")
    ProjectFactory(title="Gemeinsam", municipality=other).partner_municipalities.add(kaiserslautern)
    client.force_login(member)

    html = page(client, kaiserslautern.get_absolute_url())

    assert "&lt;b&gt;Laternen&lt;/b&gt; &amp; Licht" in html and "<b>Laternen" not in html
    assert "Dr. &lt;i&gt;Ada&lt;/i&gt;, Kaiserslautern" in html
    assert "Neu: &lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert 'href="https://video.example/?a=1&amp;b=2" rel="noopener"' in html
    assert "Aufzeichnung: &lt;b&gt;Laternen&lt;/b&gt; &amp; Licht" in html
    assert f'href="{series_meeting.get_absolute_url()}"' in html
    assert f"3. Stammtisch {timezone.localtime(series_meeting.start).year}, " in html
    assert "Netzwerktreffen, " in html  # the kind of the meeting without title and series
    assert f'Projekt: <a href="{lamps.get_absolute_url()}">Smarte Laternen</a>' in html
    assert "Partner von Worms &amp; Co" in html
    assert "Vorträge" in html and "Beiträge" in html and "Projekte" in html
    day = timezone.localtime(series_meeting.start)
    assert f"{day.day}. {MONTHS_DE[day.month]} {day.year}" in html
