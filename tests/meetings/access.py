"""Access expectations of the meeting pages and calendar feeds (see tests/security/access.py).

Meetings are the network's: every member municipality's contact persons may read the
minutes and register, so member B is not "the other side" here except for member A's own
registration, online link and calendar address.
"""

from datetime import timedelta

from tests.security.access import LOGIN, REDIRECT, Expect, public

MEMBERS = {"member_a", "member_b", "coordinator"}


def setup(world):
    from django.utils import timezone

    from meetings.models import (
        ActionItem,
        CalendarToken,
        Meeting,
        MinutesAddendum,
        MinutesCorrection,
        Registration,
    )
    from meetings.services import registration as registration_services
    from tests.factories import ContactFactory

    from .factories import (
        AgendaItemFactory,
        GuestRegistrationFactory,
        MeetingFactory,
        WorkshopFactory,
    )

    contact_a = world.contact_a
    now = timezone.now().replace(second=0, microsecond=0)

    # An announced public meeting with workshops; member A holds a place in one of them.
    announced = MeetingFactory(
        title="Stammtisch Glasfaserausbau",
        slug="stammtisch-glasfaserausbau",
        online_link="https://konferenz.example/raum-a-7d3f",
        start=now + timedelta(days=14),
        end=now + timedelta(days=14, hours=2),
    )
    AgendaItemFactory(meeting=announced, title="Breitband im Landkreis")
    workshop = WorkshopFactory(meeting=announced, title="Workshop Förderanträge")
    WorkshopFactory(meeting=announced, title="Workshop Open Data", round=2)
    registration_services.register(contact=contact_a, meeting=announced, workshops=[workshop])
    guest = GuestRegistrationFactory(
        meeting=announced,
        guest_name="Gudrun Gästeliste",
        guest_email="gudrun.gast@kl-digital.example",
        guest_organisation="KL.digital GmbH",
    )

    # A congress whose workshop seats are allocated by preference; member A has registered.
    from meetings.models import WorkshopAllocation

    congress = MeetingFactory(
        title="Kommunalkongress digital",
        slug="kommunalkongress-digital",
        start=now + timedelta(days=30),
        end=now + timedelta(days=30, hours=6),
    )
    WorkshopFactory(meeting=congress, title="Workshop Digitale Dörfer")
    WorkshopAllocation.objects.create(meeting=congress)
    registration_services.register(contact=contact_a, meeting=congress)

    # A meeting only for members (not on the public pages or in the public feed).
    members_only = MeetingFactory(
        title="Mitgliederversammlung intern",
        slug="mitgliederversammlung-intern",
        is_public=False,
        online_link="https://konferenz.example/intern-51c0",
        start=now + timedelta(days=21),
        end=now + timedelta(days=21, hours=2),
    )
    # Its slides are in the private storage like every PDF: members and coordinators only.
    from django.core.files.base import ContentFile

    from tests.pdfs import tiny_pdf

    internal_item = AgendaItemFactory(meeting=members_only, title="Haushalt 2027")
    internal_item.slides.save("haushalt.pdf", ContentFile(tiny_pdf()), save=True)

    # A draft: only the coordination team knows it exists.
    draft = MeetingFactory(
        title="Entwurf Fachtagung Verwaltungscloud",
        slug="entwurf-fachtagung-verwaltungscloud",
        status=Meeting.Status.DRAFT,
        online_link="https://konferenz.example/entwurf-9e21",
        start=now + timedelta(days=40),
        end=now + timedelta(days=40, hours=6),
    )

    # A held meeting with members-only minutes, action items and a public summary.
    held = MeetingFactory(
        title="Stammtisch Bürgerportal",
        slug="stammtisch-buergerportal",
        status=Meeting.Status.HELD,
        online_link="https://konferenz.example/vergangen-2b8e",
        start=now - timedelta(days=30),
        end=now - timedelta(days=30) + timedelta(hours=2),
        minutes="Vertraulich: Haushaltssperre bis Herbst, Ausschreibung verschoben.",
        public_summary="Öffentlich: Wir haben das Bürgerportal vorgestellt.",
        minutes_status=Meeting.MinutesStatus.APPROVED,
        minutes_approved_at=now - timedelta(days=10),
    )
    Registration.objects.create(
        meeting=held, contact=contact_a, attended=True, created_at=held.start - timedelta(days=3)
    )
    MinutesAddendum.objects.create(meeting=held, text="Nachtrag: Ausschreibung erst 2028.")

    # Minutes sent round for corrections; member A took part and left a correction.
    circulated = MeetingFactory(
        title="Stammtisch Glasfaser-Förderung",
        slug="stammtisch-glasfaser-foerderung",
        status=Meeting.Status.HELD,
        start=now - timedelta(days=5),
        end=now - timedelta(days=5) + timedelta(hours=2),
        minutes="Entwurf: Förderaufruf Glasfaser, Frist Ende Januar.",
        minutes_status=Meeting.MinutesStatus.CIRCULATED,
        minutes_deadline=now + timedelta(days=9),
    )
    Registration.objects.create(meeting=circulated, contact=contact_a, attended=True)
    correction = MinutesCorrection.objects.create(
        meeting=circulated, contact=contact_a, text="Die Frist ist Ende Februar, nicht Januar."
    )
    # Minutes still being written: only the coordination team reads them.
    draft_minutes = MeetingFactory(
        title="Stammtisch Open Data",
        slug="stammtisch-open-data",
        status=Meeting.Status.HELD,
        start=now - timedelta(days=2),
        end=now - timedelta(days=2) + timedelta(hours=2),
        minutes="Rohfassung: Datenportal startet im Frühjahr.",
        public_summary="Noch nicht öffentlich: Zusammenfassung Open Data.",
    )
    action = ActionItem.objects.create(
        meeting=held, what="Vergabeunterlagen Bürgerportal teilen", who="Kaiserslautern"
    )
    own_action = ActionItem.objects.create(
        meeting=held, what="Leistungsverzeichnis Bürgerportal nachreichen", owner=contact_a
    )

    # Member A's personal calendar address, and one of a contact person who has left.
    token_a = CalendarToken.objects.create(contact=contact_a)
    former = ContactFactory(municipality=world.municipality_a, is_active=False)
    former_token = CalendarToken.objects.create(contact=former)

    world.objects.update(
        {
            "meetings.announced": announced,
            "meetings.workshop": workshop,
            "meetings.guest_registration": guest,
            "meetings.members_only": members_only,
            "meetings.members_only_item": internal_item,
            "meetings.draft": draft,
            "meetings.held": held,
            "meetings.own_action": own_action,
            "meetings.circulated": circulated,
            "meetings.draft_minutes": draft_minutes,
            "meetings.congress": congress,
            "meetings.calendar_token_a": token_a,
            "meetings.former_calendar_token": former_token,
        }
    )
    # The online link: registered members and the coordination team only.
    world.secrets[announced.online_link] = {"member_a", "coordinator"}
    world.secrets[held.online_link] = {"member_a", "coordinator"}
    world.secrets[members_only.online_link] = {"coordinator"}
    # Minutes and action items: members of the network (any municipality) and coordinators.
    world.secrets[held.minutes] = MEMBERS
    world.secrets["Nachtrag: Ausschreibung erst 2028."] = MEMBERS
    world.secrets[circulated.minutes] = MEMBERS
    # A correction is between its author and the coordination team.
    world.secrets[correction.text] = {"member_a", "coordinator"}
    # Draft minutes and a summary of unapproved minutes: coordinators only.
    world.secrets[draft_minutes.minutes] = {"coordinator"}
    world.secrets[draft_minutes.public_summary] = {"coordinator"}
    world.secrets[action.what] = MEMBERS
    world.secrets[own_action.what] = MEMBERS
    world.secrets[members_only.title] = MEMBERS
    # Drafts: coordinators only.
    world.secrets[draft.title] = {"coordinator"}
    world.secrets[draft.online_link] = {"coordinator"}
    # Who else takes part is not shown on any page.
    world.secrets[guest.guest_name] = {"coordinator"}
    world.secrets[guest.guest_email] = {"coordinator"}
    # The calendar address is a password: only its owner sees it.
    world.secrets[token_a.token] = {"member_a"}
    world.secrets[former_token.token] = set()


def announced(world):
    return {"slug": world.objects["meetings.announced"].slug}


def congress(world):
    return {"slug": world.objects["meetings.congress"].slug}


def held(world):
    return {"slug": world.objects["meetings.held"].slug}


def circulated(world):
    return {"slug": world.objects["meetings.circulated"].slug}


def draft_minutes(world):
    return {"slug": world.objects["meetings.draft_minutes"].slug}


def own_action(world):
    return {"pk": world.objects["meetings.own_action"].pk}


def draft(world):
    return {"slug": world.objects["meetings.draft"].slug}


def members_only(world):
    return {"slug": world.objects["meetings.members_only"].slug}


def members_only_slides(world):
    item = world.objects["meetings.members_only_item"]
    return {"slug": item.meeting.slug, "item_pk": item.pk}


def held_pk(world):
    return {"pk": world.objects["meetings.held"].pk}


def members_only_pk(world):
    return {"pk": world.objects["meetings.members_only"].pk}


def members_only_item_pk(world):
    return {"pk": world.objects["meetings.members_only_item"].pk}


def series_pk(world):
    from .factories import MeetingSeriesFactory

    return {"pk": MeetingSeriesFactory().pk}


def public_speaker_pk(world):
    """A contact who agreed to be named and speaks at the public held meeting."""
    from tests.factories import ContactFactory

    from .factories import AgendaItemFactory

    speaker = ContactFactory(
        municipality=world.municipality_a, first_name="Ada", last_name="Redner", public_speaker=True
    )
    AgendaItemFactory(
        meeting=world.objects["meetings.held"],
        speaker="Ada Redner",
        speaker_municipality=world.municipality_a,
    )
    return {"pk": speaker.pk}


def municipality_a_pk(world):
    return {"pk": world.municipality_a.pk}


def former_token(world):
    return {"token": world.objects["meetings.former_calendar_token"].token}


EXPECTATIONS = {
    # OParl 1.1: public data only, the same for everyone; members-only objects do not exist.
    "meetings:oparl_system": public(),
    "meetings:oparl_bodies": public(),
    "meetings:oparl_body": public(),
    "meetings:oparl_organizations": public(),
    "meetings:oparl_series": public(kwargs=series_pk),
    "meetings:oparl_municipality": public(kwargs=municipality_a_pk),
    "meetings:oparl_meetings": public(),
    "meetings:oparl_meeting": public(kwargs=held_pk),
    "meetings:oparl_agenda_items": public(),
    "meetings:oparl_agenda_item": Expect(404, 404, 404, 404, kwargs=members_only_item_pk),
    "meetings:oparl_files": public(),
    "meetings:oparl_summary": public(kwargs=held_pk),
    "meetings:oparl_slides": Expect(404, 404, 404, 404, kwargs=members_only_item_pk),
    "meetings:oparl_locations": public(),
    "meetings:oparl_location": Expect(404, 404, 404, 404, kwargs=members_only_pk),
    "meetings:oparl_persons": public(),
    "meetings:oparl_person": public(kwargs=public_speaker_pk),
    "meetings:oparl_papers": public(),
    "meetings:upcoming": public(),
    "meetings:past": public(),
    "meetings:public_feed": public(),
    # The feed address is the credential (calendar programs do not log in), so it answers
    # the same for every role; a contact person who left loses it (tests/meetings/test_feeds.py
    # covers a valid address, which would show member A's online links to anyone holding it).
    "meetings:personal_feed": Expect(404, 404, 404, 404, kwargs=former_token),
    # Minutes and action items for members, the online link for member A (registered).
    "meetings:detail": public(kwargs=held),
    # Member A's calendar entry has the online link, nobody else's (but the coordinator's).
    "meetings:ics": public(kwargs=announced),
    # Slides follow the meeting: those of a members-only meeting are not there for visitors
    # (public meetings' slides are public: tests/meetings/test_slides.py).
    "meetings:slides": Expect(404, 200, 200, 200, kwargs=members_only_slides),
    # Only contact persons register; nobody registers for a meeting that does not exist yet.
    "meetings:register": Expect(LOGIN, 404, 404, 403, kwargs=draft, method="POST"),
    # Member A gives up the own place; member B has none there and is only sent back.
    "meetings:unregister": Expect(LOGIN, REDIRECT, REDIRECT, 403, kwargs=announced, method="POST"),
    # Participants correct minutes sent round (an empty correction is refused: 400); member
    # B did not take part and is sent back; the coordination team has no contact record.
    "meetings:correct_minutes": Expect(LOGIN, 400, REDIRECT, 403, kwargs=circulated, method="POST"),
    "meetings:change_workshops": Expect(
        LOGIN, REDIRECT, REDIRECT, 403, kwargs=announced, method="POST"
    ),
    # Member A ranks the workshops of the congress; member B is not registered there.
    "meetings:preferences": Expect(LOGIN, 200, REDIRECT, 403, kwargs=congress),
    # Coordinators have no contact record (and so no registrations) of their own.
    "meetings:mine": Expect(LOGIN, 200, 200, 403),
    # Tasks of the member (or their municipality); member B does not learn A's task exists.
    "meetings:my_action_items": Expect(LOGIN, 200, 200, 403),
    "meetings:close_action_item": Expect(
        LOGIN, REDIRECT, 404, 403, kwargs=own_action, method="POST"
    ),
    "meetings:renew_feed": Expect(LOGIN, REDIRECT, REDIRECT, 403, method="POST"),
    "meetings:set_up_feed": Expect(LOGIN, REDIRECT, REDIRECT, 403, method="POST"),
}
