"""The coordinator's admin: actions and pages call the services."""

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from meetings.models import AgendaItem, Meeting, MeetingSeries
from tests.factories import ContactFactory, CoordinatorFactory, MunicipalityFactory

from .factories import GuestRegistrationFactory, MeetingFactory, MeetingSeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(CoordinatorFactory())
    return client


def _meeting_form(meeting=None, **overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=14)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    data = {
        "series": "",
        "kind": "conference",
        "title": "Fachtagung Krisenmanagement",
        "slug": "",
        "start_0": start.strftime("%d.%m.%Y"),
        "start_1": "10:00:00",
        "end_0": start.strftime("%d.%m.%Y"),
        "end_1": "16:00:00",
        "format": "on_site",
        "location": "Kaiserslautern",
        "online_link": "",
        "description": "",
        "status": "draft",
        "is_public": "on",
        "capacity": "",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "workshop_limit": "2",
        "public_summary": "",
        "minutes": "",
    }
    for prefix in ("agenda_items", "workshops", "action_items", "registrations"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def test_coordinator_creates_a_meeting_and_gets_a_slug(admin_client):
    response = admin_client.post(reverse("admin:meetings_meeting_add"), _meeting_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert meeting.slug.startswith("fachtagung-krisenmanagement")


def test_end_before_start_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:meetings_meeting_add"), _meeting_form(end_1="09:00:00")
    )

    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert Meeting.objects.count() == 0


def test_slides_that_are_not_a_pdf_are_refused(admin_client):
    data = _meeting_form(
        **{
            "agenda_items-TOTAL_FORMS": "1",
            "agenda_items-0-position": "1",
            "agenda_items-0-title": "Smarte Laternen",
            "agenda_items-0-slides": SimpleUploadedFile(
                "folien.pdf", b"MZ not a pdf", content_type="application/pdf"
            ),
        }
    )

    response = admin_client.post(reverse("admin:meetings_meeting_add"), data)

    assert response.status_code == 200
    (inline,) = [
        f
        for f in response.context_data["inline_admin_formsets"]
        if f.formset.prefix == "agenda_items"
    ]
    assert "slides" in inline.formset.errors[0]
    assert "PDF" in str(inline.formset.errors[0]["slides"])
    assert Meeting.objects.count() == 0
    assert AgendaItem.objects.count() == 0


def test_moving_a_meeting_in_the_admin_sends_the_update(admin_client):
    meeting = MeetingFactory()
    ContactFactory()
    from meetings.services import invitations

    invitations.send_invitations(meeting=meeting)
    start = timezone.localtime(meeting.start).replace(hour=9) + timedelta(days=1)
    data = _meeting_form(
        title=meeting.title,
        slug=meeting.slug,
        kind=meeting.kind,
        format=meeting.format,
        start_0=start.strftime("%d.%m.%Y"),
        start_1=start.strftime("%H:%M:%S"),
        end_0=start.strftime("%d.%m.%Y"),
        end_1=(start + timedelta(hours=2)).strftime("%H:%M:%S"),
    )
    data.pop("status")

    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 1
    assert OutboundEmail.objects.filter(subject__contains="Neuer Termin").count() == 1


def test_invite_action_queues_mail_to_the_chosen_municipality(admin_client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    ingelheim = MunicipalityFactory(name="Ingelheim")
    chosen = ContactFactory(municipality=ingelheim)
    ContactFactory()
    url = reverse("admin:meetings_meeting_changelist")

    confirm = admin_client.post(url, {"action": "invite", "_selected_action": [meeting.pk]})
    assert "Einladungen verschicken" in confirm.content.decode()
    admin_client.post(
        url,
        {
            "action": "invite",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "municipalities": [ingelheim.pk],
        },
    )

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [chosen.email]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED


def test_cancel_action_asks_first_and_says_how_many_will_be_told(admin_client):
    meeting = MeetingFactory()
    GuestRegistrationFactory(meeting=meeting, guest_email="gast@example.org")
    GuestRegistrationFactory(meeting=meeting, guest_email="zweiter@example.org")

    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "cancel", "_selected_action": [meeting.pk]},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 Personen werden benachrichtigt" in page
    assert "Absagen und 2 Personen benachrichtigen" in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED
    assert not OutboundEmail.objects.exists()


def test_cancel_action_cancels_and_informs_once_confirmed(admin_client):
    meeting = MeetingFactory()
    GuestRegistrationFactory(meeting=meeting, guest_email="gast@example.org")

    admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "cancel", "_selected_action": [meeting.pk], "apply": "1"},
    )

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert OutboundEmail.objects.get().to == "gast@example.org"


def test_coordinator_adds_a_guest_and_sees_the_error_without_email(admin_client):
    meeting = MeetingFactory()
    url = reverse("admin:meetings_meeting_guest", args=[meeting.pk])

    response = admin_client.post(url, {"guest_name": "Frank Huber", "guest_email": ""})
    assert response.status_code == 200
    assert 'value="Frank Huber"' in response.content.decode()
    admin_client.post(
        url,
        {
            "guest_name": "Frank Huber",
            "guest_email": "huber@kl-digital.example",
            "guest_organisation": "KL.digital GmbH",
        },
    )

    assert meeting.registrations.get().guest_organisation == "KL.digital GmbH"


def test_attendance_page_records_who_was_there(admin_client):
    start = timezone.now() - timedelta(days=1)
    meeting = MeetingFactory(start=start, end=start + timedelta(hours=2))
    present = GuestRegistrationFactory(meeting=meeting)
    GuestRegistrationFactory(meeting=meeting)

    admin_client.post(
        reverse("admin:meetings_meeting_attendance", args=[meeting.pk]),
        {"present": [str(present.pk)]},
    )

    assert list(meeting.registrations.filter(attended=True)) == [present]


def test_participation_per_municipality_over_the_year(admin_client):
    start = timezone.now() - timedelta(days=1)
    meeting = MeetingFactory(start=start, end=start + timedelta(hours=2))
    contact = ContactFactory(municipality=MunicipalityFactory(name="Bad Dürkheim"))
    meeting.registrations.create(contact=contact, attended=True)

    response = admin_client.get(
        reverse("admin:meetings_meeting_participation") + f"?year={timezone.localdate().year}"
    )

    content = response.content.decode()
    assert "Bad Dürkheim" in content
    assert "<td>Bad Dürkheim</td><td>1</td><td>1</td>" in content


def test_participation_opens_on_the_latest_year_with_held_meetings(admin_client):
    start = timezone.make_aware(datetime(2023, 9, 14, 10, 0))
    meeting = MeetingFactory(
        start=start, end=start + timedelta(hours=2), status=Meeting.Status.HELD
    )
    contact = ContactFactory(municipality=MunicipalityFactory(name="Ingelheim"))
    meeting.registrations.create(contact=contact, attended=True)

    response = admin_client.get(reverse("admin:meetings_meeting_participation"))

    assert response.context["year"] == 2023
    assert response.context["held"] == 1
    assert "<td>Ingelheim</td><td>1</td><td>1</td>" in response.content.decode()
    assert 2023 in response.context["years"]
    assert timezone.localdate().year in response.context["years"]


def test_participation_exports_as_csv(admin_client):
    import csv
    import io

    start = timezone.make_aware(datetime(2023, 9, 14, 10, 0))
    meeting = MeetingFactory(
        start=start, end=start + timedelta(hours=2), status=Meeting.Status.HELD
    )
    contact = ContactFactory(municipality=MunicipalityFactory(name="=Ingelheim"))
    meeting.registrations.create(contact=contact, attended=True)

    response = admin_client.get(
        reverse("admin:meetings_meeting_participation"),
        {"year": "2023", "export": "csv"},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response["Content-Disposition"] == 'attachment; filename="teilnahme-2023.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Treffen im Jahr 2023"
    assert ["'=Ingelheim", "1", "1", "1"] in rows


@pytest.mark.parametrize("year", ["abc", "99999999999", "-5", "0"])
def test_participation_with_a_nonsense_year_shows_the_latest_one(admin_client, year):
    response = admin_client.get(reverse("admin:meetings_meeting_participation"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_series_action_schedules_the_next_meeting(admin_client):
    series = MeetingSeries.objects.create(name="Digitaler Stammtisch")

    admin_client.post(
        reverse("admin:meetings_meetingseries_changelist"),
        {"action": "schedule_next", "_selected_action": [series.pk]},
    )

    meeting = Meeting.objects.get()
    assert meeting.display_title.startswith("1. Digitaler Stammtisch")


@pytest.mark.parametrize(
    "name",
    [
        "admin:meetings_meeting_changelist",
        "admin:meetings_meetingseries_changelist",
        "admin:meetings_agendaitem_changelist",
        "admin:meetings_registration_changelist",
        "admin:meetings_actionitem_changelist",
        "admin:meetings_meeting_add",
    ],
)
def test_admin_pages_open(admin_client, name):
    MeetingFactory()

    assert admin_client.get(reverse(name)).status_code == 200


def test_meeting_change_page_opens(admin_client):
    meeting = MeetingFactory()
    GuestRegistrationFactory(meeting=meeting)

    assert (
        admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    "term",
    ["2. Digitaler Stammtisch 2027", "2. digitaler stammtisch", "Stammtisch", "2. Digitaler"],
)
def test_search_finds_a_series_meeting_by_the_title_it_displays(admin_client, term):
    series = MeetingSeriesFactory()
    start = timezone.make_aware(datetime(2027, 3, 4, 10, 0))
    second = MeetingFactory(series=series, number=2, title="", slug="st-2-2027", start=start)
    first = MeetingFactory(
        series=series, number=1, title="", slug="st-1-2027", start=start - timedelta(days=42)
    )
    MeetingFactory(title="Fachtagung", slug="fachtagung")
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"q": term})
    found = list(response.context["cl"].result_list)
    assert second in found
    assert "Fachtagung" not in {m.display_title for m in found}
    if term.startswith("2."):
        assert first not in found


def test_search_for_another_year_finds_no_series_meeting(admin_client):
    start = timezone.make_aware(datetime(2027, 3, 4, 10, 0))
    MeetingFactory(series=MeetingSeriesFactory(), number=2, title="", slug="st", start=start)
    response = admin_client.get(
        reverse("admin:meetings_meeting_changelist"), {"q": "2. Digitaler Stammtisch 2026"}
    )
    assert list(response.context["cl"].result_list) == []


def _change_form(meeting, *, start, **overrides):
    data = _meeting_form(
        title=meeting.title,
        slug=meeting.slug,
        kind=meeting.kind,
        format=meeting.format,
        start_0=start.strftime("%d.%m.%Y"),
        start_1=start.strftime("%H:%M:%S"),
        end_0=start.strftime("%d.%m.%Y"),
        end_1=(start + timedelta(hours=2)).strftime("%H:%M:%S"),
        **overrides,
    )
    data.pop("status")
    return data


def test_moving_and_editing_a_meeting_in_the_admin_saves_both(admin_client):
    meeting = MeetingFactory(location="Rathaus")
    start = timezone.localtime(meeting.start).replace(hour=9) + timedelta(days=1)

    response = admin_client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        _change_form(meeting, start=start, location="Pfalzbibliothek"),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.location == "Pfalzbibliothek"
    assert meeting.start == start
    assert meeting.ical_sequence == 1


def test_moving_a_cancelled_meeting_in_the_admin_is_refused_in_the_form(admin_client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    start = timezone.localtime(meeting.start) + timedelta(days=1)

    response = admin_client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        _change_form(meeting, start=start),
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 200
    assert "Ein abgesagtes Treffen kann nicht verschoben werden." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 0


def test_an_action_reports_a_refusal_and_goes_on_with_the_other_meetings(admin_client):
    started = MeetingFactory(start=timezone.now() - timedelta(hours=1))
    future = MeetingFactory()

    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "mark_held", "_selected_action": [started.pk, future.pk]},
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )

    started.refresh_from_db()
    future.refresh_from_db()
    assert started.status == Meeting.Status.HELD
    assert future.status == Meeting.Status.ANNOUNCED
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith(f"{future}: ")
    assert "noch nicht begonnen" in message


@pytest.mark.parametrize("cadence", ["0", "53", "99999999999999999999"])
def test_a_cadence_outside_one_to_52_weeks_is_a_form_error_not_a_500(admin_client, cadence):
    """The proposed next date shown beside the form was computed from the rejected
    cadence (``timedelta(weeks=99999999999999999999)``: OverflowError)."""
    series = MeetingSeriesFactory(name="Digitaler Stammtisch", cadence_weeks=6)

    response = admin_client.post(
        reverse("admin:meetings_meetingseries_change", args=[series.pk]),
        {
            "name": "Umbenannt",
            "kind": series.kind,
            "cadence_weeks": cadence,
            "default_start_time": "10:00",
            "default_duration_minutes": "120",
            "is_active": "on",
            "blackouts-TOTAL_FORMS": "0",
            "blackouts-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    series.refresh_from_db()
    assert (series.name, series.cadence_weeks) == ("Digitaler Stammtisch", 6)


def test_an_agenda_item_added_on_the_list_of_all_items_names_its_meeting(admin_client):
    """The list's form had no meeting field: every new item was a 500 (NOT NULL)."""
    meeting = MeetingFactory(title="Workshoptag Hemmnisse")
    add = reverse("admin:meetings_agendaitem_add")
    item = {"title": "Datenschutz im Projekt", "position": "1", "duration_minutes": "20"}

    without = admin_client.post(add, item)
    assert without.status_code == 200
    assert "errorlist" in without.content.decode()
    assert not AgendaItem.objects.exists()

    response = admin_client.post(add, {**item, "meeting": str(meeting.pk)})

    assert response.status_code == 302
    assert AgendaItem.objects.get().meeting == meeting
