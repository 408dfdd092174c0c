"""GDPR in the surveys: a person's responses are exported, and anonymised without the results."""

import json

import pytest
from django.apps import apps

from ikone.privacy import Subject, anonymise_subject, export_subject
from surveys import services
from surveys.models import Question, Response, Survey
from surveys.results import compute
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.surveys.factories import SurveyFactory, option_ids, question_with_options

pytestmark = pytest.mark.django_db

EMAIL = "greta.geheim@kaiserslautern.example"
LAST_NAME = "Geheimnisvoll"


def surveys_rows_text() -> str:
    """Every stored value of every model of the surveys app."""
    chunks = []
    for model in apps.get_app_config("surveys").get_models():
        for row in model._default_manager.all().values():
            chunks.append(json.dumps(row, default=str, ensure_ascii=False))
    return "\n".join(chunks)


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def person(coordinator):
    """Greta answered a per-contact survey herself and edited her municipality's response."""
    greta = MemberContactFactory(email=EMAIL, first_name="Greta", last_name=LAST_NAME)
    colleague = MemberContactFactory(municipality=greta.municipality)
    other = MemberContactFactory()

    per_contact = SurveyFactory(
        title="Arbeitsplatz-Umfrage",
        respondent=Survey.Respondent.CONTACT,
        results_visibility=Survey.Visibility.MEMBERS,
        created_by=coordinator,
    )
    choice = question_with_options(per_contact, Question.Kind.MULTIPLE, ["Laptop", "Tablet"])
    text = question_with_options(per_contact, Question.Kind.TEXT, [])
    laptop, tablet = option_ids(choice)
    mine = (
        f"Grüße, Greta {LAST_NAME} ({EMAIL.upper()}) – Frau {LAST_NAME} hat wenig Zeit, "
        "aber wir wollen mehr Austausch"
    )
    for contact, answers in [
        (greta, {choice.pk: [laptop, tablet], text.pk: mine}),
        (other, {choice.pk: [laptop], text.pk: "Mehr Schulungen"}),
    ]:
        services.save_response(
            survey=per_contact, contact=contact, answers=answers, version=0, submit=True
        )

    municipal = SurveyFactory(title="Haushaltsumfrage")
    note = question_with_options(municipal, Question.Kind.TEXT, [])
    services.save_response(
        survey=municipal, contact=colleague, answers={note.pk: "erster Entwurf"}, version=0
    )
    services.save_response(
        survey=municipal,
        contact=greta,
        answers={note.pk: f"Rückfragen an {EMAIL} (Greta {LAST_NAME})"},
        version=1,
        submit=True,
    )
    return {"contact": greta, "per_contact": per_contact, "municipal": municipal}


def _snapshot(survey):
    results = compute(survey)
    return (
        results.submitted,
        results.municipalities_answered,
        [
            (r.answered, [(b.label, b.count) for b in r.bars], len(r.texts))
            for r in results.questions
        ],
        Response.objects.filter(survey=survey).count(),
    )


def test_export_holds_the_persons_responses_and_own_answers(person):
    data = export_subject(Subject.for_contact(person["contact"]))["surveys"]

    json.dumps(data)  # JSON-able
    by_title = {entry["survey"]: entry for entry in data["survey_responses"]}
    own = by_title["Arbeitsplatz-Umfrage"]
    assert own["status"] == "submitted" and own["answered_for"] == "yourself"
    assert own["answers"][0] == {
        "question": own["answers"][0]["question"],
        "answer": ["Laptop", "Tablet"],
    }
    assert LAST_NAME in own["answers"][1]["answer"]
    municipal = by_title["Haushaltsumfrage"]
    assert municipal["answered_for"] == "your municipality"
    assert municipal["last_edited_by_you"] is True
    assert "answers" not in municipal  # the municipality's answers are not the person's


def test_export_of_a_coordinator_lists_the_surveys_they_created(person, coordinator):
    data = export_subject(Subject.for_user(coordinator))["surveys"]

    assert [s["title"] for s in data["surveys_created"]] == ["Arbeitsplatz-Umfrage"]
    assert data["survey_responses"] == []


def test_anonymisation_removes_the_person_and_keeps_the_results(person, coordinator):
    before = {name: _snapshot(person[name]) for name in ("per_contact", "municipal")}
    stored = surveys_rows_text()
    assert EMAIL.upper() in stored and LAST_NAME in stored

    anonymise_subject(Subject.for_contact(person["contact"]), by=coordinator)

    stored = surveys_rows_text()
    assert EMAIL not in stored.lower()
    assert LAST_NAME.lower() not in stored.lower()
    assert "Greta" not in stored
    assert {name: _snapshot(person[name]) for name in before} == before
    texts = [r.texts for r in compute(person["per_contact"]).questions if r.texts][0]
    assert any("wir wollen mehr Austausch" in text for _who, text in texts)
    # the response points to the anonymised, nameless contact record
    response = Response.objects.get(survey=person["per_contact"], contact=person["contact"])
    assert response.contact.last_name == "–"
    assert Survey.objects.get(pk=person["per_contact"].pk).created_by == coordinator


def test_anonymising_a_coordinator_keeps_their_surveys(person, coordinator):
    anonymise_subject(Subject.for_user(coordinator), by=CoordinatorFactory())

    survey = Survey.objects.get(pk=person["per_contact"].pk)
    assert survey.created_by.email.endswith("@anonymised.invalid")
    assert coordinator.email not in surveys_rows_text()
