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
