"""factory_boy factories for meetings."""

from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, MeetingSeries, Registration, Workshop


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    name = "Digitaler Stammtisch"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Netzwerktreffen {n}")
    slug = factory.Sequence(lambda n: f"netzwerktreffen-{n}")
    kind = Meeting.Kind.NETWORK_MEETING
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    status = Meeting.Status.ANNOUNCED
    online_link = "https://konferenz.example/ikone-stammtisch"
    location = ""


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Programmpunkt {n}")
    position = factory.Sequence(lambda n: n)
    speaker = "Frank Huber"
    speaker_organisation = "KL.digital GmbH"


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    round = 1
    capacity = 10


class GuestRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    guest_name = "Gast"
    guest_email = factory.Sequence(lambda n: f"gast{n}@example.org")
