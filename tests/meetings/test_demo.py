import pytest

from meetings import demo
from meetings.models import Meeting, Registration, Workshop
from members import demo as members_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_topics(network_topics):
    """The demo tags with the seeded topics, which a transactional test may have flushed."""


def test_demo_data_is_realistic_and_idempotent():
    base = members_demo.load()
    demo.load(base=base)
    counts = (Meeting.objects.count(), Workshop.objects.count(), Registration.objects.count())

    demo.load(base=base)

    assert (
        Meeting.objects.count(),
        Workshop.objects.count(),
        Registration.objects.count(),
    ) == counts
    third = Meeting.objects.get(slug="3-digitaler-stammtisch-2023")
    assert str(third) == "3. Digitaler Stammtisch 2023"
    assert "Smarte Laternen – innovative Warnmittel" in [i.title for i in third.agenda_items.all()]
    crisis = Meeting.objects.get(title__startswith="Krisenmanagement – voneinander lernen")
    assert sorted({w.round for w in crisis.workshops.all()}) == [1, 2]
    assert Meeting.objects.get(slug="kommunalkongress-2020").workshops.count() == 12
    assert Meeting.objects.upcoming().filter(status=Meeting.Status.ANNOUNCED).count() >= 3


def test_demo_shows_the_cycle_minutes_in_every_state_and_action_items():
    from meetings import agenda_proposal
    from meetings.models import ActionItem, MinutesCorrection, MinutesStatus

    base = members_demo.load()
    demo.load(base=base)
    demo.load(base=base)

    states = set(Meeting.objects.values_list("minutes_status", flat=True))
    assert states == set(MinutesStatus.values)
    assert MinutesCorrection.objects.count() == 1
    overdue = ActionItem.objects.overdue()
    assert overdue.filter(owner_municipality__isnull=False).exists()
    assert ActionItem.objects.filter(owner_team=True, status=ActionItem.Status.OPEN).exists()
    assert ActionItem.objects.filter(status=ActionItem.Status.DONE).exclude(closed_note="").exists()
    from surveys import demo as surveys_demo

    surveys_demo.load(base=base)
    second_upcoming = Meeting.objects.upcoming().filter(series__isnull=False)[1]
    proposal = agenda_proposal.propose(meeting=second_upcoming)
    assert proposal.topics
    assert proposal.open_items
    assert proposal.previous is not None


def test_demo_names_two_agreeing_speakers_as_oparl_persons(client):
    from meetings.models import AgendaItem
    from members.models import Contact

    base = members_demo.load()
    demo.load(base=base)
    positions = sorted(AgendaItem.objects.values_list("position", flat=True))
    demo.load(base=base)
    assert sorted(AgendaItem.objects.values_list("position", flat=True)) == positions

    response = client.get("/oparl/v1/persons/")
    names = [person["name"] for person in response.json()["data"]]
    agreed = Contact.objects.filter(public_speaker=True)
    assert len(names) == 2
    assert sorted(names) == sorted(contact.full_name for contact in agreed)
    assert base["member"].contact.public_speaker is False  # the member may agree themselves
