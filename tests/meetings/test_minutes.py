"""The minutes' lifecycle: draft → sent round for corrections → approved → locked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from ikone.privacy import Subject, anonymise_subject, export_subject
from meetings import minutes
from meetings.models import Meeting, MinutesCorrection, MinutesStatus, Registration
from meetings.tasks import approve_due_minutes
from tests.factories import CoordinatorFactory, MemberContactFactory

from .factories import MeetingFactory
from .test_admin import _meeting_form

pytestmark = pytest.mark.django_db

TEXT = "## Smarte Laternen\n\nFrank Huber stellte das Projekt vor.\n\nDas Projekt ruht."


def held_meeting(**kwargs):
    start = timezone.now() - timedelta(days=3)
    return MeetingFactory(
        title="3. Digitaler Stammtisch",
        start=start,
        end=start + timedelta(hours=2),
        status=Meeting.Status.HELD,
        minutes=TEXT,
        **kwargs,
    )


def participant(meeting, **kwargs):
    contact = MemberContactFactory(**kwargs)
    Registration.objects.create(meeting=meeting, contact=contact, attended=True)
    return contact


def in_state(state: str) -> Meeting:
    """A held meeting whose minutes are in ``state``, reached through the services."""
    meeting = held_meeting()
    by = CoordinatorFactory()
    if state == MinutesStatus.DRAFT:
        return meeting
    minutes.circulate_minutes(meeting=meeting, deadline=timezone.now() + timedelta(days=7), by=by)
    if state != MinutesStatus.CIRCULATED:
        minutes.approve_minutes(meeting=meeting, by=by)
    if state == MinutesStatus.LOCKED:
        minutes.lock_minutes(meeting=meeting, by=by)
    meeting.refresh_from_db()
    assert meeting.minutes_status == state
    return meeting


def _circulate(meeting, by):
    return minutes.circulate_minutes(
        meeting=meeting, deadline=timezone.now() + timedelta(days=7), by=by
    )


TRANSITIONS = {
    "circulate": _circulate,
    "approve": lambda meeting, by: minutes.approve_minutes(meeting=meeting, by=by),
    "lock": lambda meeting, by: minutes.lock_minutes(meeting=meeting, by=by),
}
ALLOWED = {
    (MinutesStatus.DRAFT, "circulate"),
    (MinutesStatus.CIRCULATED, "approve"),
    (MinutesStatus.APPROVED, "lock"),
}


@pytest.mark.parametrize("state", list(MinutesStatus.values))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_forbidden_transition_is_refused_with_a_message(state, action):
    meeting = in_state(state)
    if (state, action) in ALLOWED:
        TRANSITIONS[action](meeting, CoordinatorFactory())
        return

    with pytest.raises(minutes.MinutesError) as refused:
        TRANSITIONS[action](meeting, CoordinatorFactory())

    assert str(refused.value)
    meeting.refresh_from_db()
    assert meeting.minutes_status == state


def test_sending_round_mails_the_participants_with_the_deadline_not_the_absent():
    meeting = held_meeting()
    present = participant(meeting, email="claudia.kling@bad-duerkheim.example")
    absent = MemberContactFactory(email="fehlt@ingelheim.example")
    Registration.objects.create(meeting=meeting, contact=absent, attended=False)
    deadline = timezone.now() + timedelta(days=14)

    sent = minutes.circulate_minutes(meeting=meeting, deadline=deadline, by=CoordinatorFactory())

    assert sent == 1
    mail = OutboundEmail.objects.get()
    assert mail.to == present.email
    assert meeting.get_absolute_url() in mail.body_text
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.CIRCULATED
    assert meeting.minutes_deadline == deadline


@pytest.mark.parametrize(
    "change, message",
    [
        ({"minutes": ""}, "Bitte schreiben Sie das Protokoll"),
        ({"start": timezone.now() + timedelta(days=1)}, "noch nicht stattgefunden"),
    ],
)
def test_sending_round_is_refused_without_text_or_before_the_meeting(change, message):
    meeting = held_meeting()
    for name, value in change.items():
        setattr(meeting, name, value)
    meeting.end = meeting.start + timedelta(hours=2)
    meeting.save()

    with pytest.raises(minutes.MinutesError, match=message):
        minutes.circulate_minutes(meeting=meeting, deadline=timezone.now() + timedelta(days=7))


def test_a_deadline_in_the_past_is_refused():
    with pytest.raises(minutes.MinutesError, match="in der Zukunft"):
        minutes.circulate_minutes(
            meeting=held_meeting(), deadline=timezone.now() - timedelta(hours=1)
        )


def test_participant_corrects_on_the_minutes_page_and_sees_the_own_correction(client):
    meeting = in_state(MinutesStatus.CIRCULATED)
    contact = participant(meeting)
    client.force_login(contact.user)
    url = reverse("meetings:correct_minutes", args=[meeting.slug])

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="correction-form"' in page
    response = client.post(url, {"text": "Das Projekt ruht nur in Kaiserslautern."}, follow=True)

    correction = MinutesCorrection.objects.get()
    assert correction.contact == contact
    assert correction.status == MinutesCorrection.Status.OPEN
    assert "Das Projekt ruht nur in Kaiserslautern." in response.content.decode()


def test_an_empty_correction_is_refused_on_the_form(client):
    meeting = in_state(MinutesStatus.CIRCULATED)
    client.force_login(participant(meeting).user)

    response = client.post(
        reverse("meetings:correct_minutes", args=[meeting.slug]),
        {"text": "   "},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not MinutesCorrection.objects.exists()


def test_a_correction_after_the_deadline_is_refused(client):
    meeting = in_state(MinutesStatus.CIRCULATED)
    contact = participant(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_deadline=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(minutes.MinutesError, match="Frist"):
        minutes.add_correction(meeting=meeting, contact=contact, text="Zu spät")
    client.force_login(contact.user)
    response = client.post(
        reverse("meetings:correct_minutes", args=[meeting.slug]),
        {"text": "Zu spät"},
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    assert "nicht für Korrekturen offen" in response.content.decode()
    assert not MinutesCorrection.objects.exists()


def test_only_participants_correct_the_minutes():
    meeting = in_state(MinutesStatus.CIRCULATED)

    with pytest.raises(minutes.MinutesError, match="Nur Teilnehmende"):
        minutes.add_correction(meeting=meeting, contact=MemberContactFactory(), text="Falsch")


def test_approval_waits_until_open_corrections_are_dealt_with():
    meeting = in_state(MinutesStatus.CIRCULATED)
    correction = minutes.add_correction(
        meeting=meeting, contact=participant(meeting), text="Ergänzung zur Lichtsteuerung"
    )
    coordinator = CoordinatorFactory()

    with pytest.raises(minutes.MinutesError, match="offenen Korrekturen"):
        minutes.approve_minutes(meeting=meeting, by=coordinator)
    minutes.resolve_correction(
        correction=correction, accepted=True, reply="Ist ergänzt.", by=coordinator
    )
    minutes.approve_minutes(meeting=meeting, by=coordinator)

    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_by == coordinator


def test_the_beat_task_approves_at_the_deadline_without_objection_only():
    quiet = in_state(MinutesStatus.CIRCULATED)
    objected = in_state(MinutesStatus.CIRCULATED)
    minutes.add_correction(meeting=objected, contact=participant(objected), text="Einspruch")
    not_yet = in_state(MinutesStatus.CIRCULATED)
    Meeting.objects.filter(pk__in=[quiet.pk, objected.pk]).update(
        minutes_deadline=timezone.now() - timedelta(minutes=5)
    )

    assert approve_due_minutes.apply().get() == 1

    states = dict(Meeting.objects.values_list("pk", "minutes_status"))
    assert states[quiet.pk] == MinutesStatus.APPROVED
    assert states[objected.pk] == MinutesStatus.CIRCULATED
    assert states[not_yet.pk] == MinutesStatus.CIRCULATED
    quiet.refresh_from_db()
    assert quiet.minutes_approved_by is None
    assert approve_due_minutes.apply().get() == 0


def test_the_beat_schedule_runs_the_automatic_approval(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert approve_due_minutes.name in tasks


@pytest.mark.parametrize("state", [MinutesStatus.APPROVED, MinutesStatus.LOCKED])
def test_final_minutes_cannot_be_edited_through_the_service(state):
    meeting = in_state(state)

    with pytest.raises(minutes.MinutesError):
        minutes.save_minutes(meeting=meeting, minutes="Neu geschrieben")

    meeting.refresh_from_db()
    assert meeting.minutes == TEXT


def test_locked_minutes_freeze_the_public_summary_approved_ones_do_not():
    approved = in_state(MinutesStatus.APPROVED)
    minutes.save_minutes(meeting=approved, public_summary="Smarte Laternen in KL")
    locked = in_state(MinutesStatus.LOCKED)

    with pytest.raises(minutes.MinutesError, match="abgeschlossen"):
        minutes.save_minutes(meeting=locked, public_summary="Neu")


def _change_form(meeting, **overrides):
    data = _meeting_form(
        title=meeting.title,
        slug=meeting.slug,
        kind=meeting.kind,
        start_0=timezone.localtime(meeting.start).strftime("%d.%m.%Y"),
        start_1=timezone.localtime(meeting.start).strftime("%H:%M:%S"),
        end_0=timezone.localtime(meeting.end).strftime("%d.%m.%Y"),
        end_1=timezone.localtime(meeting.end).strftime("%H:%M:%S"),
        format=meeting.format,
        location="",
        online_link=meeting.online_link,
        status=meeting.status,
        minutes=meeting.minutes,
        public_summary=meeting.public_summary,
    )
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(CoordinatorFactory())
    return client


def test_locked_minutes_are_shown_not_editable_and_other_fields_still_save(admin_client):
    meeting = in_state(MinutesStatus.LOCKED)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    page = admin_client.get(url).content.decode()
    assert 'name="minutes"' not in page
    assert 'name="public_summary"' not in page
    form = _change_form(meeting, title="Stammtisch, neuer Titel")
    del form["minutes"], form["public_summary"]  # what a browser posts: no read-only fields
    response = admin_client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.title == "Stammtisch, neuer Titel"
    assert meeting.minutes == TEXT


def test_locked_minutes_posted_changed_through_the_admin_are_refused_keeping_the_text(
    admin_client,
):
    meeting = in_state(MinutesStatus.LOCKED)
    versions = meeting.minutes_versions.count()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    response = admin_client.post(
        url,
        _change_form(
            meeting, title="Neuer Titel", minutes="Heimlich geändert", public_summary="Auch"
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ein genehmigtes Protokoll kann nicht mehr bearbeitet werden" in page
    assert "Das Protokoll ist abgeschlossen: Die öffentliche Zusammenfassung ist endgültig." in page
    assert "Heimlich geändert" in page  # what was typed is still there
    meeting.refresh_from_db()
    assert meeting.minutes == TEXT
    assert meeting.public_summary == ""
    assert meeting.title != "Neuer Titel"  # nothing of the refused form is stored
    assert meeting.minutes_versions.count() == versions


def test_approved_minutes_refuse_a_text_change_but_the_summary_may_change(admin_client):
    meeting = in_state(MinutesStatus.APPROVED)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    refused = admin_client.post(url, _change_form(meeting, minutes=TEXT + "\nNachtrag"))
    assert refused.status_code == 200
    assert "Ein genehmigtes Protokoll kann nicht mehr bearbeitet werden" in refused.content.decode()

    same = TEXT.replace("\n", "\r\n")  # the unchanged text as a browser sends it
    saved = admin_client.post(url, _change_form(meeting, minutes=same, public_summary="Kurz."))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.minutes == TEXT
    assert meeting.public_summary == "Kurz."


def test_every_admin_save_is_a_version_and_two_can_be_compared(admin_client):
    meeting = held_meeting()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    admin_client.post(url, _change_form(meeting, minutes=TEXT + "\n\nNeu: Ingelheim lädt ein."))
    meeting.refresh_from_db()
    admin_client.post(url, _change_form(meeting, minutes=TEXT.replace("ruht", "endet")))

    numbers = list(meeting.minutes_versions.values_list("number", flat=True))
    assert numbers == [2, 1]
    page = admin_client.get(
        reverse("admin:meetings_meeting_minutes_versions", args=[meeting.pk]), {"a": 1, "b": 2}
    ).content.decode()
    diff = page[page.index('data-testid="diff-minutes"') :]
    assert '<li class="removed">− Das Projekt ruht.' in diff
    assert '<li class="added">+ Das Projekt endet.' in diff
    assert '<li class="removed">− Neu: Ingelheim lädt ein.' in diff


def test_coordinator_runs_the_cycle_on_the_minutes_page(admin_client):
    meeting = held_meeting(public_summary="Öffentlich: Smarte Laternen")
    contact = participant(meeting)
    url = reverse("admin:meetings_meeting_minutes", args=[meeting.pk])
    day = (timezone.localdate() + timedelta(days=10)).isoformat()

    assert admin_client.post(url, {"action": "circulate", "deadline": day}).status_code == 302
    correction = minutes.add_correction(meeting=meeting, contact=contact, text="Tippfehler")
    page = admin_client.get(url).content.decode()
    assert "Tippfehler" in page
    admin_client.post(url, {"action": "resolve", "correction": correction.pk, "accepted": "0"})
    admin_client.post(url, {"action": "approve"})
    admin_client.post(url, {"action": "lock"})
    admin_client.post(url, {"action": "addendum", "text": "Nachtrag: Termin verschoben."})

    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.LOCKED
    assert meeting.minutes_addenda.get().text == "Nachtrag: Termin verschoben."
    public = type(admin_client)().get(meeting.get_absolute_url()).content.decode()
    assert "Öffentlich: Smarte Laternen" in public


def test_a_refused_step_on_the_minutes_page_is_a_message_not_an_error(admin_client):
    meeting = held_meeting()
    url = reverse("admin:meetings_meeting_minutes", args=[meeting.pk])

    response = admin_client.post(url, {"action": "approve"}, follow=True, HTTP_ACCEPT_LANGUAGE="de")
    past = admin_client.post(
        url,
        {"action": "circulate", "deadline": timezone.localdate().isoformat()},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 200
    assert "Korrektur" in response.content.decode()
    assert past.status_code == 200
    assert "in der Zukunft" in past.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT


@pytest.mark.parametrize("name", ["minutes", "minutes_versions"])
def test_minutes_pages_are_for_coordinators_only(client, name):
    meeting = held_meeting()
    client.force_login(participant(meeting).user)

    response = client.get(reverse(f"admin:meetings_meeting_{name}", args=[meeting.pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_members_see_the_state_and_draft_minutes_stay_with_the_team(client):
    meeting = held_meeting(public_summary="Zusammenfassung Laternen")
    client.force_login(MemberContactFactory().user)

    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "in Vorbereitung" in page
    assert "Frank Huber stellte" not in page
    assert "Zusammenfassung Laternen" not in page

    minutes.circulate_minutes(meeting=meeting, deadline=timezone.now() + timedelta(days=7))
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "zur Korrektur" in page
    assert "Frank Huber stellte" in page
    assert "Zusammenfassung Laternen" not in page


def test_the_public_summary_appears_once_the_minutes_are_approved(client):
    meeting = in_state(MinutesStatus.CIRCULATED)
    minutes.save_minutes(meeting=meeting, public_summary="Laternen warnen mehrsprachig")
    assert "Laternen warnen" not in client.get(meeting.get_absolute_url()).content.decode()

    minutes.approve_minutes(meeting=meeting, by=CoordinatorFactory())

    assert "Laternen warnen" in client.get(meeting.get_absolute_url()).content.decode()


def test_corrections_are_exported_and_anonymised():
    meeting = in_state(MinutesStatus.CIRCULATED)
    contact = participant(meeting, first_name="Greta", last_name="Geheimnisvoll")
    minutes.add_correction(
        meeting=meeting, contact=contact, text="Greta Geheimnisvoll war anwesend."
    )

    exported = export_subject(Subject.for_contact(contact))["meetings"]["minutes_corrections"]
    assert exported[0]["text"] == "Greta Geheimnisvoll war anwesend."
    anonymise_subject(Subject.for_contact(contact), by=CoordinatorFactory())

    assert "Geheimnisvoll" not in MinutesCorrection.objects.get().text
