"""The audit trail of the surveys: coordinator actions and admin edits are recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ikone.audit import AuditAction, acting
from ikone.models import AuditEntry
from surveys import services
from surveys.models import Question, Survey
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.field_history import field_changes
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def unopened():
    survey = SurveyFactory(title="Themenumfrage", opened_at=None)
    question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    return survey


def _actions(survey):
    """The typed domain actions recorded for ``survey`` (not its field history)."""
    field_history = ["create", "update", "delete", "bulk_update"]
    return AuditEntry.objects.filter(object_id=str(survey.pk)).exclude(action__in=field_history)


def test_opening_a_survey_records_the_number_of_invitations(coordinator, unopened):
    MemberContactFactory()
    MemberContactFactory()

    with acting(coordinator):
        services.open_survey(survey=unopened, by=coordinator)

    entry = _actions(unopened).get()
    assert entry.actor == coordinator
    assert (entry.action, entry.changes) == (AuditAction.SURVEY_OPENED, {"invited": 2})
    assert entry.object_repr == "Themenumfrage"


def test_opening_with_the_admin_action_is_recorded(client, coordinator, unopened):
    MemberContactFactory()
    client.force_login(coordinator)

    client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "open_surveys", "_selected_action": [unopened.pk]},
    )

    entry = _actions(unopened).get()
    assert (entry.actor, entry.action, entry.changes) == (
        coordinator,
        AuditAction.SURVEY_OPENED,
        {"invited": 1},
    )


def test_copying_a_survey_is_recorded_on_the_copy(coordinator, unopened):
    with acting(coordinator):
        copy = services.copy_survey(survey=unopened, by=coordinator)

    entry = _actions(copy).get()
    assert (entry.action, entry.changes) == (
        AuditAction.SURVEY_COPIED,
        {"copied_from": unopened.pk},
    )


def test_publishing_results_with_the_admin_action_is_recorded(client, coordinator):
    survey = SurveyFactory()
    client.force_login(coordinator)

    client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "publish_for_everybody", "_selected_action": [survey.pk]},
    )

    survey.refresh_from_db()
    assert survey.results_visibility == Survey.Visibility.PUBLIC
    entry = _actions(survey).get()
    assert (entry.action, entry.changes) == (
        AuditAction.SURVEY_RESULTS_SHOWN,
        {"results_visibility": ["coordinators", "public"]},
    )
    update = field_changes(survey).get()
    assert update.changes == {"results_visibility": ["coordinators", "public"]}


def test_reminders_a_coordinator_sends_are_recorded_but_not_those_of_the_beat(coordinator):
    survey = SurveyFactory()
    MemberContactFactory()

    services.send_due_reminders(now=survey.closes_at - timedelta(days=1))
    assert not AuditEntry.objects.exists()

    MemberContactFactory()
    with acting(coordinator):
        services.remind(survey=survey)
    entry = _actions(survey).get()
    assert (entry.action, entry.changes) == (AuditAction.SURVEY_REMINDED, {"municipalities": 1})


def test_answers_of_members_are_not_coordinator_actions():
    survey = SurveyFactory()
    question = question_with_options(survey, Question.Kind.TEXT, [])
    contact = MemberContactFactory()

    with acting(contact.user):
        services.save_response(
            survey=survey, contact=contact, answers={question.pk: "Hallo"}, version=0, submit=True
        )

    assert not AuditEntry.objects.exists()


def test_an_edit_in_the_admin_records_old_and_new_value(client, coordinator):
    now = timezone.localtime()
    survey = SurveyFactory(title="Alt", opens_at=now, closes_at=now + timedelta(days=14))
    client.force_login(coordinator)
    data = {
        "title": "Neu",
        "intro": "",
        "opens_at_0": survey.opens_at.strftime("%d.%m.%Y"),
        "opens_at_1": survey.opens_at.strftime("%H:%M:%S"),
        "closes_at_0": survey.closes_at.strftime("%d.%m.%Y"),
        "closes_at_1": survey.closes_at.strftime("%H:%M:%S"),
        "reminder_days": 7,
        "audience": survey.audience,
        "respondent": survey.respondent,
        "results_visibility": Survey.Visibility.MEMBERS,
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }

    response = client.post(reverse("admin:surveys_survey_change", args=[survey.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    update = field_changes(survey).get()
    assert update.actor == coordinator
    assert update.changes["title"] == ["Alt", "Neu"]
    assert update.changes["results_visibility"] == ["coordinators", "members"]
    entry = _actions(survey).get()
    assert (entry.action, entry.changes) == (
        AuditAction.SURVEY_RESULTS_SHOWN,
        {"results_visibility": ["coordinators", "members"]},
    )
