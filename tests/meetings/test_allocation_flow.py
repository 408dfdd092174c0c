"""Workshop seats by preference in the portal: wishes, preview, confirm, mails, waiting lists."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ikone.outbox.models import OutboundEmail
from meetings import allocation_services as flow
from meetings.allocation import AllocationError
from meetings.models import Registration, WorkshopAllocation, WorkshopSeat
from meetings.services import registration as registration_services
from tests.factories import CoordinatorFactory, MemberContactFactory

from .factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """A congress with two rounds: one popular small workshop per round, one big one."""
    meeting = MeetingFactory(title="Kommunalkongress", slug="kommunalkongress")
    workshops = {
        "stadt": WorkshopFactory(meeting=meeting, title="Digitale Stadt", round=1, capacity=1),
        "homeoffice": WorkshopFactory(meeting=meeting, title="Homeoffice", round=1, capacity=5),
        "doerfer": WorkshopFactory(meeting=meeting, title="Digitale Dörfer", round=2, capacity=1),
        "daten": WorkshopFactory(meeting=meeting, title="Open Data", round=2, capacity=5),
    }
    setting = WorkshopAllocation.objects.create(
        meeting=meeting, preference_deadline=timezone.now() + timedelta(days=1)
    )
    return meeting, workshops, setting


def participant(meeting, name):
    contact = MemberContactFactory(first_name=name, email=f"{name.lower()}@example.org")
    return registration_services.register(contact=contact, meeting=meeting)


def close(setting):
    setting.preference_deadline = timezone.now() - timedelta(minutes=1)
    setting.save()


# --- wishes ---------------------------------------------------------------------------------


def test_a_participant_ranks_workshops_and_says_how_many(event):
    meeting, w, _setting = event
    registration = participant(meeting, "Anna")
    wish = flow.save_wish(registration=registration, ranking=[w["stadt"], w["doerfer"]], wanted=2)
    assert [(p.rank, p.workshop.title) for p in wish.ranking.all()] == [
        (1, "Digitale Stadt"),
        (2, "Digitale Dörfer"),
    ]
    # saving again replaces the ranking
    flow.save_wish(registration=registration, ranking=[w["daten"]], wanted=1)
    wish.refresh_from_db()
    assert [p.workshop.title for p in wish.ranking.all()] == ["Open Data"]
    assert wish.wanted == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("twice", "only once"),
        ("other_event", "workshops of this event"),
        ("too_many", "1 to 2 workshops"),
        ("same_time", "same time"),
        ("empty", "at least one workshop"),
    ],
)
def test_bad_wishes_are_refused_with_a_message(event, case, message):
    meeting, w, _setting = event
    registration = participant(meeting, "Anna")
    ranking, wanted = [w["stadt"], w["doerfer"]], 2
    if case == "twice":
        ranking = [w["stadt"], w["stadt"]]
    elif case == "other_event":
        ranking = [WorkshopFactory(title="Fremd")]
    elif case == "too_many":
        wanted = 3
    elif case == "same_time":
        ranking = [w["stadt"], w["homeoffice"]]
    elif case == "empty":
        ranking = []
    with translation.override("en"), pytest.raises(AllocationError, match=message):
        flow.save_wish(registration=registration, ranking=ranking, wanted=wanted)
    assert not hasattr(Registration.objects.get(pk=registration.pk), "workshop_wish")


def test_no_wishes_after_the_deadline_or_in_first_come_mode(event):
    meeting, w, setting = event
    registration = participant(meeting, "Anna")
    close(setting)
    with translation.override("en"), pytest.raises(AllocationError, match="deadline"):
        flow.save_wish(registration=registration, ranking=[w["stadt"]], wanted=1)
    setting.mode = WorkshopAllocation.Mode.FIRST_COME
    setting.save()
    with translation.override("en"), pytest.raises(AllocationError, match="by preference"):
        flow.save_wish(registration=registration, ranking=[w["stadt"]], wanted=1)


# --- preview and confirmation ---------------------------------------------------------------


@pytest.fixture
def ranked(event):
    """Anna, Ben and Cem all want Digitale Stadt first and Digitale Dörfer second."""
    meeting, w, setting = event
    people = {}
    for name in ("Anna", "Ben", "Cem"):
        people[name] = participant(meeting, name)
        flow.save_wish(
            registration=people[name],
            ranking=[w["stadt"], w["doerfer"], w["homeoffice"], w["daten"]],
            wanted=2,
        )
    return meeting, w, setting, people


def test_preview_shows_the_result_and_writes_nothing(ranked, django_assert_max_num_queries):
    meeting, w, _setting, people = ranked
    with django_assert_max_num_queries(6):
        preview = flow.preview_allocation(meeting=meeting, seed=5)
    statistics = preview.allocation.statistics
    assert statistics.seats_assigned == 6
    assert statistics.by_rank[1] + statistics.by_rank.get(2, 0) == 2  # one seat each
    assert statistics.without_seat == ()
    assert statistics.workshops[w["stadt"].pk].assigned == 1
    assert WorkshopSeat.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_another_seed_may_give_the_small_workshops_to_others(ranked):
    meeting, w, _setting, _people = ranked
    winners = set()
    for seed in range(10):
        allocation = flow.preview_allocation(meeting=meeting, seed=seed).allocation
        winners.add(next(p for p, got in allocation.assignments.items() if w["stadt"].pk in got))
    assert len(winners) > 1


def test_adjusted_capacities_are_previewed(ranked):
    meeting, w, _setting, _people = ranked
    preview = flow.preview_allocation(meeting=meeting, seed=5, capacities={w["stadt"].pk: 3})
    assert preview.allocation.statistics.workshops[w["stadt"].pk].assigned == 3
    w["stadt"].refresh_from_db()
    assert w["stadt"].capacity == 1


def test_confirming_before_the_deadline_is_refused(ranked):
    meeting, _w, _setting, _people = ranked
    with translation.override("en"), pytest.raises(AllocationError, match="until the preference"):
        flow.confirm_allocation(meeting=meeting, seed=1, by=CoordinatorFactory())


def test_confirm_writes_the_seats_mails_everybody_and_queues_the_rest(ranked):
    meeting, w, setting, people = ranked
    close(setting)
    coordinator = CoordinatorFactory()
    preview = flow.preview_allocation(meeting=meeting, seed=5)
    flow.confirm_allocation(meeting=meeting, seed=5, by=coordinator)

    confirmed = WorkshopSeat.objects.filter(status=WorkshopSeat.Status.CONFIRMED)
    assert confirmed.count() == 6
    assert {(s.registration_id, s.workshop_id) for s in confirmed} == {
        (r, wid) for r, got in preview.allocation.assignments.items() for wid in got
    }
    setting.refresh_from_db()
    assert setting.is_confirmed and setting.seed == 5 and setting.confirmed_by == coordinator

    mails = {m.to: m for m in OutboundEmail.objects.all()}
    assert set(mails) == {"anna@example.org", "ben@example.org", "cem@example.org"}
    for mail in mails.values():
        assert mail.attachments[0]["filename"] == "einladung.ics"
        assert "BEGIN:VCALENDAR" in mail.attachments[0]["text"]
    stadt_holder = WorkshopSeat.objects.get(workshop=w["stadt"], status="confirmed").registration
    assert "Digitale Stadt" in mails[stadt_holder.email].body_text
    assert "Wunsch Nr. 1" in mails[stadt_holder.email].body_text  # German by default


def test_who_got_as_many_as_they_wanted_does_not_wait(event):
    meeting, w, setting = event
    people = {name: participant(meeting, name) for name in ("Anna", "Ben", "Cem", "Dana")}
    # everybody wants one workshop; Digitale Stadt (1 seat) is Anna's, Ben's and Cem's first
    # choice; Cem ranks it second; Dana ranks it third. Open Data has room for all.
    rankings = {
        "Anna": [w["stadt"], w["daten"]],
        "Ben": [w["stadt"], w["daten"]],
        "Cem": [w["daten"], w["stadt"]],
        "Dana": [w["doerfer"], w["daten"], w["stadt"]],
    }
    for name, ranking in rankings.items():
        flow.save_wish(registration=people[name], ranking=ranking, wanted=1)
    close(setting)
    flow.confirm_allocation(meeting=meeting, seed=3, by=CoordinatorFactory())
    holder = WorkshopSeat.objects.get(workshop=w["stadt"], status="confirmed").registration
    assert holder in (people["Anna"], people["Ben"])
    # those who wanted one and got one do not wait: nobody with a seat waits here
    assert not WorkshopSeat.objects.filter(status="waiting").exists()


def test_the_waiting_list_moves_up_by_preference_when_a_seat_is_given_up(event):
    meeting, w, setting = event
    people = {name: participant(meeting, name) for name in ("Anna", "Ben", "Cem")}
    # Digitale Dörfer has one seat; all three want two workshops, one per round, but only
    # Digitale Dörfer and Digitale Stadt (one seat each) are ranked in their rounds.
    flow.save_wish(registration=people["Anna"], ranking=[w["doerfer"], w["homeoffice"]], wanted=2)
    flow.save_wish(registration=people["Ben"], ranking=[w["homeoffice"], w["doerfer"]], wanted=2)
    flow.save_wish(registration=people["Cem"], ranking=[w["doerfer"], w["stadt"]], wanted=2)
    close(setting)
    flow.confirm_allocation(meeting=meeting, seed=11, by=CoordinatorFactory())
    holder = WorkshopSeat.objects.get(workshop=w["doerfer"], status="confirmed").registration
    waiting = list(
        WorkshopSeat.objects.filter(workshop=w["doerfer"], status="waiting").order_by(
            "created_at", "id"
        )
    )
    ranks = {people["Anna"].pk: 1, people["Ben"].pk: 2, people["Cem"].pk: 1}
    assert [ranks[s.registration_id] for s in waiting] == sorted(
        ranks[s.registration_id] for s in waiting
    )
    assert holder.pk not in [s.registration_id for s in waiting]
    assert len(waiting) == 2
    first = waiting[0].registration
    registration_services.cancel_registration(registration=holder)
    assert WorkshopSeat.objects.get(workshop=w["doerfer"], registration=first).status == (
        WorkshopSeat.Status.CONFIRMED
    )


def test_a_second_confirmation_is_refused(ranked):
    meeting, _w, setting, _people = ranked
    close(setting)
    flow.confirm_allocation(meeting=meeting, seed=5, by=CoordinatorFactory())
    with translation.override("en"), pytest.raises(AllocationError, match="already confirmed"):
        flow.confirm_allocation(meeting=meeting, seed=6, by=CoordinatorFactory())
    assert WorkshopSeat.objects.filter(status="confirmed").count() == 6


def test_confirm_applies_adjusted_capacities(ranked):
    meeting, w, setting, _people = ranked
    close(setting)
    flow.confirm_allocation(
        meeting=meeting, seed=5, capacities={w["stadt"].pk: 2}, by=CoordinatorFactory()
    )
    w["stadt"].refresh_from_db()
    assert w["stadt"].capacity == 2
    assert WorkshopSeat.objects.filter(workshop=w["stadt"], status="confirmed").count() == 2


def test_the_participant_is_told_why(ranked):
    meeting, w, setting, people = ranked
    close(setting)
    flow.confirm_allocation(meeting=meeting, seed=5, by=CoordinatorFactory())
    for registration in people.values():
        registration.refresh_from_db()
        wish = registration.workshop_wish
        with translation.override("en"):
            lines = flow.explanation(wish.outcome)
        assert any(line.startswith("You got your choice no.") for line in lines)
        if wish.outcome["got"][0][0] != 1:
            assert any("Digitale Stadt" in line and "was full" in line for line in lines)


# --- privacy --------------------------------------------------------------------------------


def test_a_wish_is_exported_and_deleted_on_anonymisation(ranked):
    from ikone.privacy import Subject, anonymise_subject, export_subject
    from meetings.models import WorkshopWish

    _meeting, _w, _setting, people = ranked
    contact = people["Anna"].contact
    data = export_subject(Subject.for_contact(contact))["meetings"]["workshop_wishes"]
    assert data[0]["wanted"] == 2
    assert [r["workshop"] for r in data[0]["ranking"]][:2] == ["Digitale Stadt", "Digitale Dörfer"]
    anonymise_subject(Subject.for_contact(contact), by=CoordinatorFactory())
    assert not WorkshopWish.objects.filter(registration=people["Anna"]).exists()
    assert WorkshopWish.objects.filter(registration=people["Ben"]).exists()


# --- demo data ------------------------------------------------------------------------------


def test_the_demo_congress_has_wishes_to_allocate():
    from meetings import demo
    from members import demo as members_demo

    base = members_demo.load()
    demo.load(base=base)
    demo.load(base=base)  # idempotent
    setting = WorkshopAllocation.objects.get(meeting__slug__startswith="kommunalkongress-")
    assert setting.meeting.workshops.count() == 12
    preview = flow.preview_allocation(meeting=setting.meeting, seed=2020)
    statistics = preview.allocation.statistics
    assert statistics.participants >= 20
    assert statistics.seats_wanted > statistics.seats_assigned  # seats are scarce
    assert statistics.without_seat == ()


def test_seats_given_before_count_and_the_ranks_stay_as_given(event):
    meeting, w, setting = event
    early = participant(meeting, "Frueh")
    WorkshopSeat.objects.create(registration=early, workshop=w["stadt"])  # by a coordinator
    anna = participant(meeting, "Anna")
    flow.save_wish(registration=anna, ranking=[w["stadt"], w["homeoffice"]], wanted=1)
    close(setting)
    flow.confirm_allocation(meeting=meeting, seed=1, by=CoordinatorFactory())
    assert WorkshopSeat.objects.filter(workshop=w["stadt"], status="confirmed").count() == 1
    anna.refresh_from_db()
    outcome = anna.workshop_wish.outcome
    assert outcome["got"] == [[2, "Homeoffice"]]
    assert outcome["missed"] == [[1, "Digitale Stadt", "full"]]


def test_who_ranked_only_workshops_full_before_is_told_too(event):
    meeting, w, setting = event
    early = participant(meeting, "Frueh")
    WorkshopSeat.objects.create(registration=early, workshop=w["stadt"])
    anna, ben = participant(meeting, "Anna"), participant(meeting, "Ben")
    flow.save_wish(registration=anna, ranking=[w["stadt"]], wanted=1)
    flow.save_wish(registration=ben, ranking=[w["homeoffice"]], wanted=1)
    close(setting)
    flow.confirm_allocation(meeting=meeting, seed=1, by=CoordinatorFactory())
    anna.refresh_from_db()
    assert anna.workshop_wish.outcome["got"] == []
    assert OutboundEmail.objects.filter(to="anna@example.org").exists()
