from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from meetings.models import BlackoutPeriod, Meeting
from meetings.services import common, scheduling

from .factories import MeetingFactory, MeetingSeriesFactory

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_next_date_is_six_weeks_after_the_last_meeting():
    series = MeetingSeriesFactory()
    last = timezone.localdate() + timedelta(days=3)
    MeetingFactory(series=series, start=_at(last), end=_at(last, 12))

    assert scheduling.propose_next_date(series=series) == last + timedelta(weeks=6)


def test_cadence_can_be_changed_per_series():
    series = MeetingSeriesFactory(cadence_weeks=4)
    last = timezone.localdate() + timedelta(days=3)
    MeetingFactory(series=series, start=_at(last), end=_at(last, 12))

    assert scheduling.propose_next_date(series=series) == last + timedelta(weeks=4)


def test_next_date_skips_the_summer_holidays_on_the_same_weekday():
    series = MeetingSeriesFactory()
    last = timezone.localdate() + timedelta(days=3)
    MeetingFactory(series=series, start=_at(last), end=_at(last, 12))
    proposed = last + timedelta(weeks=6)
    BlackoutPeriod.objects.create(
        series=series,
        name="Sommerferien",
        start=proposed - timedelta(days=10),
        end=proposed + timedelta(days=20),
    )

    day = scheduling.propose_next_date(series=series)

    assert day > proposed + timedelta(days=20)
    assert day.weekday() == last.weekday()
    assert day - (proposed + timedelta(days=20)) <= timedelta(days=7)


def test_cancelled_meetings_do_not_count_as_the_last_one():
    series = MeetingSeriesFactory()
    held = timezone.localdate() + timedelta(days=3)
    MeetingFactory(series=series, start=_at(held), end=_at(held, 12))
    later = held + timedelta(weeks=6)
    MeetingFactory(
        series=series, start=_at(later), end=_at(later, 12), status=Meeting.Status.CANCELLED
    )

    assert scheduling.propose_next_date(series=series) == held + timedelta(weeks=6)


def test_scheduled_meetings_are_numbered_within_their_year():
    series = MeetingSeriesFactory(name="Digitaler Stammtisch")
    year = timezone.localdate().year + 1
    first = scheduling.schedule_meeting(series=series, day=date(year, 3, 14))
    second = scheduling.schedule_meeting(series=series, day=date(year, 5, 9))
    third = scheduling.schedule_meeting(series=series)

    assert [first.number, second.number] == [1, 2]
    assert third.number == 3
    assert str(third) == f"3. Digitaler Stammtisch {year}"
    assert timezone.localtime(third.start).date() == date(year, 5, 9) + timedelta(weeks=6)
    assert third.status == Meeting.Status.DRAFT


def test_numbering_starts_again_in_a_new_year():
    series = MeetingSeriesFactory()
    year = timezone.localdate().year + 1
    scheduling.schedule_meeting(series=series, day=date(year, 12, 1))
    january = scheduling.schedule_meeting(series=series, day=date(year + 1, 1, 12))

    assert january.display_title == f"1. Digitaler Stammtisch {year + 1}"


def test_a_meeting_scheduled_in_between_renumbers_the_later_ones():
    series = MeetingSeriesFactory()
    year = timezone.localdate().year + 1
    scheduling.schedule_meeting(series=series, day=date(year, 3, 1))
    may = scheduling.schedule_meeting(series=series, day=date(year, 5, 1))
    scheduling.schedule_meeting(series=series, day=date(year, 4, 1))

    may.refresh_from_db()
    assert may.number == 3


def test_scheduled_meeting_takes_the_series_defaults():
    series = MeetingSeriesFactory(
        default_start_time=time(14, 0),
        default_duration_minutes=90,
        online_link="https://konferenz.example/stammtisch",
    )
    meeting = scheduling.schedule_meeting(
        series=series, day=timezone.localdate() + timedelta(days=9)
    )

    assert timezone.localtime(meeting.start).time() == time(14, 0)
    assert meeting.duration == timedelta(minutes=90)
    assert meeting.online_link == "https://konferenz.example/stammtisch"
    assert meeting.slug.startswith("1-digitaler-stammtisch")


def test_rescheduling_to_end_before_start_is_refused():
    meeting = MeetingFactory()

    with pytest.raises(common.MeetingError):
        scheduling.reschedule_meeting(
            meeting=meeting, start=meeting.start, end=meeting.start - timedelta(hours=1)
        )


@pytest.mark.parametrize("weeks", [53, 32_767])
def test_no_date_is_proposed_for_a_cadence_beyond_a_year(weeks):
    series = MeetingSeriesFactory.build(cadence_weeks=weeks)

    with pytest.raises(common.MeetingError, match="52"):
        scheduling.propose_next_date(series=series, after=date(2026, 1, 1))
