"""OParl 1.1 deleted objects (2.8) and persons: what was published and went stays visible to
a client asking with modified_since, as ``deleted: true``; persons only by consent."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, OParlTombstone
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory

from .factories import AgendaItemFactory, MeetingFactory
from .test_oparl import PDF, get, validate, walk

pytestmark = pytest.mark.django_db


def since(moment) -> dict:
    return {"modified_since": moment.isoformat()}


def ids(objects) -> dict[str, dict]:
    return {obj["id"]: obj for obj in objects}


def url(name, pk) -> str:
    return "http://testserver" + reverse(f"meetings:{name}", kwargs={"pk": pk})


@pytest.fixture
def published():
    kept = MeetingFactory(title="Stammtisch Bürgerportal", location="Rathaus Kaiserslautern")
    talk = AgendaItemFactory(meeting=kept, title="Das Bürgerportal", position=1)
    removed_talk = AgendaItemFactory(meeting=kept, title="Wird gestrichen", position=2)
    removed_talk.slides.save("x.pdf", ContentFile(PDF), save=True)
    doomed = MeetingFactory(title="Stammtisch Glasfaser", location="Rathaus Worms")
    AgendaItemFactory(meeting=doomed, title="Glasfaser im Kreis", position=1)
    return {"kept": kept, "talk": talk, "removed_talk": removed_talk, "doomed": doomed}


def test_deleted_meeting_and_agenda_item_appear_deleted_with_modified_since(client, published):
    before = timezone.now() - timedelta(seconds=1)
    doomed, removed = published["doomed"], published["removed_talk"]
    doomed_items = list(doomed.agenda_items.values_list("pk", flat=True))
    removed_pk, doomed_pk = removed.pk, doomed.pk
    removed.delete()
    doomed.delete()

    meetings = ids(walk(client, reverse("meetings:oparl_meetings"), **since(before)))
    gone = meetings[url("oparl_meeting", doomed_pk)]
    assert gone["deleted"] is True
    assert set(gone) == {"id", "type", "created", "modified", "deleted"}
    assert gone["modified"] >= before.isoformat(timespec="seconds")[:19]
    validate(gone)
    # the meeting the agenda item was embedded in counts as modified (OParl 1.1, 2.8)
    kept = meetings[url("oparl_meeting", published["kept"].pk)]
    assert "deleted" not in kept
    assert [item["name"] for item in kept["agendaItem"]] == ["Das Bürgerportal"]

    items = ids(walk(client, reverse("meetings:oparl_agenda_items"), **since(before)))
    for pk in [removed_pk, *doomed_items]:
        item = items[url("oparl_agenda_item", pk)]
        assert item["deleted"] is True
        validate(item)  # the schema still wants its order
    files = ids(walk(client, reverse("meetings:oparl_files"), **since(before)))
    slides = files[url("oparl_slides", removed_pk)]
    assert slides["deleted"] is True
    validate(slides)
    locations = ids(walk(client, reverse("meetings:oparl_locations"), **since(before)))
    assert locations[url("oparl_location", doomed_pk)]["deleted"] is True

    # without the filter: only what exists
    plain = ids(walk(client, reverse("meetings:oparl_meetings")))
    assert url("oparl_meeting", doomed_pk) not in plain
    assert all("deleted" not in obj for obj in plain.values())
    plain_items = ids(walk(client, reverse("meetings:oparl_agenda_items")))
    assert url("oparl_agenda_item", removed_pk) not in plain_items
    # a modified_since after the deletion does not show it either
    later = walk(client, reverse("meetings:oparl_meetings"), **since(timezone.now()))
    assert url("oparl_meeting", doomed_pk) not in ids(later)

    # the deleted object's own URL: 200 with the deleted object, as the spec says
    for name, pk in (("oparl_meeting", doomed_pk), ("oparl_agenda_item", removed_pk)):
        obj = get(client, url(name, pk))
        assert obj["deleted"] is True
        validate(obj)


def test_depublished_meeting_is_deleted_for_oparl_and_comes_back_when_public_again(
    client, published, django_capture_on_commit_callbacks
):
    before = timezone.now() - timedelta(seconds=1)
    meeting = published["doomed"]
    meeting.is_public = False
    meeting.save()

    gone = get(client, url("oparl_meeting", meeting.pk))
    assert gone["deleted"] is True
    assert "name" not in gone  # nothing members-only leaks through the tombstone
    validate(gone)
    listed = ids(walk(client, reverse("meetings:oparl_meetings"), **since(before)))
    assert listed[url("oparl_meeting", meeting.pk)]["deleted"] is True

    with django_capture_on_commit_callbacks(execute=True):  # empties the page cache
        meeting.is_public = True
        meeting.save()
    back = get(client, url("oparl_meeting", meeting.pk))
    assert "deleted" not in back
    assert back["name"] == "Stammtisch Glasfaser"
    assert not OParlTombstone.objects.filter(object_pk=meeting.pk, kind="meeting").exists()


def test_a_draft_or_members_only_meeting_deleted_leaves_no_trace(client):
    secret = MeetingFactory(title="Intern", is_public=False)
    draft = MeetingFactory(title="Entwurf", status=Meeting.Status.DRAFT)
    secret_pk, draft_pk = secret.pk, draft.pk
    secret.delete()
    draft.delete()
    assert not OParlTombstone.objects.exists()
    for pk in (secret_pk, draft_pk):
        assert client.get(url("oparl_meeting", pk)).status_code == 404


def test_the_admin_delete_counts(client, published):
    before = timezone.now() - timedelta(seconds=1)
    client.force_login(CoordinatorFactory())
    meeting = published["doomed"]
    response = client.post(
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    client.logout()
    listed = ids(walk(client, reverse("meetings:oparl_meetings"), **since(before)))
    assert listed[url("oparl_meeting", meeting.pk)]["deleted"] is True


def test_removed_slides_and_summary_are_deleted_files(client, published):
    before = timezone.now() - timedelta(seconds=1)
    item = published["removed_talk"]
    item.slides.delete(save=True)
    files = ids(walk(client, reverse("meetings:oparl_files"), **since(before)))
    slides = files[url("oparl_slides", item.pk)]
    assert slides["deleted"] is True
    assert slides["accessUrl"].startswith("http://testserver/")
    validate(slides)
    assert get(client, url("oparl_agenda_item", item.pk)).get("deleted") is None


# --- persons ----------------------------------------------------------------------------------


@pytest.fixture
def speakers():
    kl = MunicipalityFactory(name="Kaiserslautern")
    agreed = MemberContactFactory(
        municipality=kl, first_name="Anna", last_name="Becker", public_speaker=True
    )
    shy = MemberContactFactory(municipality=kl, first_name="Bernd", last_name="Schmitt")
    only_internal = MemberContactFactory(
        municipality=kl, first_name="Clara", last_name="Wolf", public_speaker=True
    )
    meeting = MeetingFactory(title="Stammtisch KI")
    for position, contact in enumerate((agreed, shy), start=1):
        AgendaItemFactory(
            meeting=meeting,
            position=position,
            speaker=f"  {contact.first_name.upper()}  {contact.last_name} ",
            speaker_municipality=kl,
            speaker_organisation="",
        )
    internal = MeetingFactory(title="Intern", is_public=False)
    AgendaItemFactory(meeting=internal, speaker="Clara Wolf", speaker_municipality=kl)
    # the same name from another municipality is somebody else
    AgendaItemFactory(
        meeting=meeting, speaker="Clara Wolf", speaker_municipality=MunicipalityFactory()
    )
    return {"agreed": agreed, "shy": shy, "only_internal": only_internal, "meeting": meeting}


def test_persons_are_only_speakers_at_public_meetings_who_agreed(client, speakers):
    persons = walk(client, reverse("meetings:oparl_persons"))
    assert [p["name"] for p in persons] == ["Anna Becker"]
    (person,) = persons
    validate(person)
    assert person == get(client, person["id"])
    assert set(person) <= {
        "id",
        "type",
        "body",
        "name",
        "givenName",
        "familyName",
        "created",
        "modified",
    }
    meeting = get(client, url("oparl_meeting", speakers["meeting"].pk))
    validate(meeting)
    assert meeting["participant"] == [person["id"]]
    for contact in (speakers["shy"], speakers["only_internal"]):
        assert client.get(url("oparl_person", contact.pk)).status_code == 404


def test_withdrawn_consent_takes_the_person_out_and_leaves_a_tombstone(
    client, speakers, django_capture_on_commit_callbacks
):
    before = timezone.now() - timedelta(seconds=1)
    agreed = speakers["agreed"]
    client.force_login(agreed.user)
    response = client.post(
        reverse("members:profile"),
        {
            "first_name": agreed.first_name,
            "last_name": agreed.last_name,
            "position": agreed.position,
            "phone": "",
            "language": "de",
        },
    )
    assert response.status_code == 302
    agreed.refresh_from_db()
    assert agreed.public_speaker is False
    client.logout()

    assert walk(client, reverse("meetings:oparl_persons")) == []
    (gone,) = walk(client, reverse("meetings:oparl_persons"), **since(before))
    assert gone == {
        "id": url("oparl_person", agreed.pk),
        "type": "https://schema.oparl.org/1.1/Person",
        "created": gone["created"],
        "modified": gone["modified"],
        "deleted": True,
    }
    validate(gone)
    assert get(client, gone["id"])["deleted"] is True
    assert "participant" not in get(client, url("oparl_meeting", speakers["meeting"].pk))

    # agreeing again brings the person back, without the tombstone
    with django_capture_on_commit_callbacks(execute=True):  # empties the page cache
        agreed.public_speaker = True
        agreed.save()
    assert [p["name"] for p in walk(client, reverse("meetings:oparl_persons"))] == ["Anna Becker"]
    assert walk(client, reverse("meetings:oparl_persons"), **since(timezone.now())) == []


def test_a_member_agrees_in_the_profile_and_a_coordinator_in_the_admin(client, speakers):
    shy = speakers["shy"]
    client.force_login(shy.user)
    page = client.get(reverse("members:profile")).content.decode()
    assert 'name="public_speaker"' in page
    client.post(
        reverse("members:profile"),
        {
            "first_name": shy.first_name,
            "last_name": shy.last_name,
            "position": shy.position,
            "phone": "",
            "language": "de",
            "public_speaker": "on",
        },
    )
    shy.refresh_from_db()
    assert shy.public_speaker is True
    client.logout()
    names = [p["name"] for p in walk(client, reverse("meetings:oparl_persons"))]
    assert names == ["Anna Becker", "Bernd Schmitt"]

    client.force_login(CoordinatorFactory())
    page = client.get(reverse("admin:members_contact_change", args=[shy.pk])).content.decode()
    assert 'name="public_speaker"' in page


def test_an_agenda_item_deleted_takes_its_speaker_out(client, speakers):
    before = timezone.now() - timedelta(seconds=1)
    agreed = speakers["agreed"]
    speakers["meeting"].agenda_items.filter(speaker__icontains="anna").delete()
    assert walk(client, reverse("meetings:oparl_persons")) == []
    (gone,) = walk(client, reverse("meetings:oparl_persons"), **since(before))
    assert gone["id"] == url("oparl_person", agreed.pk)
    assert gone["deleted"] is True


def test_the_consent_is_in_the_data_export_and_anonymisation_ends_it(client, speakers):
    from ikone.privacy import Subject, anonymise_subject, export_subject

    agreed = speakers["agreed"]
    data = export_subject(Subject.for_contact(agreed))
    assert data["members"]["contact"]["may_be_named_publicly_as_speaker"] is True
    assert (
        export_subject(Subject.for_contact(speakers["shy"]))["members"]["contact"][
            "may_be_named_publicly_as_speaker"
        ]
        is False
    )

    before = timezone.now() - timedelta(seconds=1)
    anonymise_subject(Subject.for_contact(agreed), by=CoordinatorFactory())
    agreed.refresh_from_db()
    assert agreed.public_speaker is False
    assert walk(client, reverse("meetings:oparl_persons")) == []
    (gone,) = walk(client, reverse("meetings:oparl_persons"), **since(before))
    assert gone["deleted"] is True
    assert "name" not in gone


def test_queries_per_page_stay_the_same_with_more_persons_and_deleted_objects(
    client, speakers, django_assert_max_num_queries
):
    from members.models import Contact

    kl = speakers["agreed"].municipality

    def more(count):
        for _n in range(count):
            contact = Contact.objects.create(
                municipality=kl,
                first_name="Rednerin",
                last_name=f"Nr {Contact.objects.count()}",
                email=f"r{Contact.objects.count()}@example.org",
                public_speaker=True,
            )
            AgendaItemFactory(
                meeting=speakers["meeting"],
                speaker=contact.full_name,
                speaker_municipality=kl,
            )
            MeetingFactory().delete()

    lists = [
        (reverse("meetings:oparl_persons"), {}),
        (reverse("meetings:oparl_meetings"), {"modified_since": "2000-01-01"}),
    ]
    for path, params in lists:
        with django_assert_max_num_queries(6):
            client.get(path, {**params, "limit": 1})
        more(5)
        with django_assert_max_num_queries(6):
            response = client.get(path, {**params, "limit": 100})
        assert len(response.json()["data"]) > 5
