"""The evidence of *Wen fragen?* kept in one table: current after every kind of write, the
same as a rebuild, and rebuilt by the command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting
from members.models import Topic
from projects import expertise_index
from projects.expertise import rank, understand
from projects.models import AskConsent, ExpertiseItem, ProjectProfile, Reuse
from tests.factories import ContactFactory, MemberContactFactory, MunicipalityFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.news.factories import PublishedPostFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def snapshot() -> set[tuple]:
    return {
        (
            item.source,
            item.kind,
            item.object_id,
            item.contact_id,
            item.project_id,
            round(item.weight, 6),
            item.when,
            tuple(sorted(topic.pk for topic in item.topics.all())),
        )
        for item in ExpertiseItem.objects.prefetch_related("topics")
    }


def kinds_of(contact) -> list[str]:
    return sorted(ExpertiseItem.objects.filter(contact=contact).values_list("kind", flat=True))


@pytest.fixture
def world(network_topics):
    sensors = Topic.objects.get(slug="sensornetzwerke")
    koblenz = MunicipalityFactory(name="Koblenz")
    landau = MunicipalityFactory(name="Landau")
    anna = MemberContactFactory(municipality=koblenz, first_name="Anna", last_name="Alt")
    ben = ContactFactory(municipality=landau, first_name="Ben", last_name="Bauer")
    for person in (anna, ben):
        AskConsent.objects.create(contact=person).topics.set([sensors])
    gauges = ProjectFactory(municipality=koblenz, title="Pegel mit LoRaWAN", topics=[sensors])
    gauges.partner_municipalities.add(landau)
    gauges.contacts.add(anna, ben)
    reuse = Reuse.objects.create(
        project=gauges, municipality=landau, contact=ben, stage="adopted", confirmation="confirmed"
    )
    meeting = MeetingFactory(
        is_public=True, status=Meeting.Status.HELD, start=timezone.now() - timedelta(days=9)
    )
    talk = AgendaItemFactory(
        meeting=meeting, title="Sensoren", speaker="Ben Bauer", speaker_municipality=landau
    )
    talk.topics.add(sensors)
    post = PublishedPostFactory(author=anna.user, title="Unser Netz")
    post.topics.add(sensors)
    return {
        "sensors": sensors,
        "anna": anna,
        "ben": ben,
        "gauges": gauges,
        "reuse": reuse,
        "meeting": meeting,
        "talk": talk,
        "post": post,
    }


def test_writes_keep_the_index_as_a_rebuild_makes_it(world):
    assert kinds_of(world["anna"]) == ["lead", "post"]
    assert kinds_of(world["ben"]) == ["partner", "reuse", "talk"]
    kept = snapshot()

    assert expertise_index.rebuild() == len(kept)
    assert snapshot() == kept


def test_a_withdrawn_profile_is_no_evidence_any_more(world):
    world["gauges"].status = ProjectProfile.Status.ARCHIVED
    world["gauges"].save()

    assert kinds_of(world["anna"]) == ["post"]
    assert kinds_of(world["ben"]) == ["talk"]  # the reuse of a withdrawn profile is gone too


def test_topics_and_people_named_on_a_profile_follow_their_changes(world):
    gauges, ben = world["gauges"], world["ben"]
    gauges.contacts.remove(ben)
    assert kinds_of(ben) == ["reuse", "talk"]
    gauges.partner_municipalities.clear()
    gauges.contacts.add(ben)
    assert kinds_of(ben) == ["reuse", "talk"]  # named, but Landau is no partner any more

    gauges.topics.clear()

    assert not ExpertiseItem.objects.filter(topics=world["sensors"], project=gauges).exists()
    assert [e.contact.first_name for e in rank(understand(topic=world["sensors"]))] == [
        "Ben",
        "Anna",
    ]  # the talk (2.0) and the post (1.5) are left


def test_a_renamed_speaker_loses_the_talk_and_regains_it(world):
    ben = world["ben"]
    ben.first_name = "Benedikt"
    ben.save()
    assert "talk" not in kinds_of(ben)

    ben.first_name = "Ben"
    ben.save(update_fields=["first_name"])
    assert "talk" in kinds_of(ben)


def test_a_depublished_meeting_and_an_unpublished_post_count_no_more(world):
    world["meeting"].is_public = False
    world["meeting"].save()
    world["post"].status = world["post"].Status.DRAFT
    world["post"].save()

    assert kinds_of(world["ben"]) == ["partner", "reuse"]
    assert kinds_of(world["anna"]) == ["lead"]


def test_a_talk_counts_once_its_meeting_is_over(world):
    sensors = world["sensors"]
    meeting = world["meeting"]
    meeting.start = timezone.now() + timedelta(days=5)
    meeting.end = meeting.start + timedelta(hours=2)
    meeting.save()

    reasons = {e.contact.first_name: e.reasons for e in rank(understand(topic=sensors))}
    assert not any(reason.startswith("spoke") for reason in reasons["Ben"])
    later = meeting.end + timedelta(minutes=1)
    reasons = {e.contact.first_name: e.reasons for e in rank(understand(topic=sensors), now=later)}
    assert any(reason.startswith("spoke on “Sensoren”") for reason in reasons["Ben"])


def test_deleting_records_removes_their_evidence(world):
    world["talk"].delete()
    world["reuse"].delete()
    world["post"].delete()

    assert kinds_of(world["ben"]) == ["partner"]
    assert kinds_of(world["anna"]) == ["lead"]


def test_an_update_bypassing_signals_is_caught_by_the_rebuild_command(world):
    ProjectProfile.objects.filter(pk=world["gauges"].pk).update(
        status=ProjectProfile.Status.ARCHIVED
    )
    assert "lead" in kinds_of(world["anna"])  # stale until the nightly rebuild
    out = StringIO()

    call_command("rebuild_expertise_index", stdout=out)

    assert kinds_of(world["anna"]) == ["post"]
    assert "2 items" in out.getvalue()  # Anna's post and Ben's talk: the lead, partner and
    # reuse of the withdrawn profile are gone


def test_the_words_of_a_profile_follow_its_texts(world):
    gauges = world["gauges"]
    gauges.summary = "Ein Netz für HOCHWASSER"
    gauges.save(update_fields=["summary"])

    gauges.refresh_from_db()
    assert "hochwasser" in gauges.words and "pegel mit lorawan" in gauges.words
    reasons = {e.contact.first_name: e.reasons for e in rank(understand(text="Hochwasser"))}
    assert "leads “Pegel mit LoRaWAN” (in operation)" in reasons["Anna"]


def test_saving_only_fields_no_source_reads_leaves_the_rows_alone(world):
    ben = world["ben"]
    ExpertiseItem.objects.filter(contact=ben).delete()  # as if stale

    ben.only_essential_mail = True
    ben.save(update_fields=["only_essential_mail"])
    assert kinds_of(ben) == []  # nothing rebuilt for a mail preference

    ben.save(update_fields=["last_name"])
    assert kinds_of(ben) == ["partner", "reuse", "talk"]
