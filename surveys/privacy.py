"""Personal data in the surveys (collected by ``ikone.privacy``).

Responses belong to the municipality: they stay for the aggregated results and only stop
naming the person. Their links keep pointing to the contact record, which ``members``
anonymises in the same transaction (removing the link could break the rule of one
response per municipality and would change nothing about what is stored of the person).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ikone.dates import iso
from ikone.privacy import Subject, mentions, scrub

from .models import Answer, Question, Response, Survey

REPLACEMENT = "[anonymised]"

COVERS = {
    "surveys.Response": "responses the person submitted or last edited: exported (with the "
    "answers of per-contact responses); kept for the results, the links point to the "
    "anonymised contact record",
    "surveys.Answer": "free-text answers: the person's name and addresses scrubbed; answers "
    "of per-contact responses also lose their first and last name",
    "surveys.Survey": "created_by: surveys a coordinator created are listed in the export; "
    "the FK keeps pointing to the anonymised login",
}


def _responses(subject: Subject) -> QuerySet[Response]:
    if subject.contact is None:
        return Response.objects.none()
    return Response.objects.filter(
        Q(contact=subject.contact) | Q(edited_by=subject.contact)
    ).distinct()


def _survey_status(survey: Survey) -> str:
    if survey.opened_at is None:
        return "not opened"
    return "running" if survey.closes_at > timezone.now() else "closed"


def _answers(response: Response) -> list[dict[str, Any]]:
    """The answers of one response, question by question, readable without the portal."""
    lists = (Question.Kind.MULTIPLE, Question.Kind.RANKING)
    rows: dict[int, dict[str, Any]] = {}
    answers = response.answers.select_related("question", "option").order_by(
        "question__position", "question_id", "rank", "id"
    )
    for answer in answers:
        question = answer.question
        if answer.option_id:
            value: Any = answer.option.text
        elif answer.number is not None:
            value = answer.number
        else:
            value = answer.text
        if question.kind in lists:
            row = rows.setdefault(question.pk, {"question": question.text, "answer": []})
            row["answer"].append(value)
        else:
            rows[question.pk] = {"question": question.text, "answer": value}
    return list(rows.values())


def export(subject: Subject) -> dict[str, Any]:
    data: dict[str, Any] = {"survey_responses": []}
    responses = _responses(subject).select_related("survey", "municipality")
    for response in responses.order_by("created_at", "id"):
        own = subject.contact is not None and response.contact_id == subject.contact.pk
        entry: dict[str, Any] = {
            "survey": response.survey.title,
            "survey_status": _survey_status(response.survey),
            "municipality": response.municipality.name,
            "answered_for": "yourself" if own else "your municipality",
            "status": response.status,
            "started": iso(response.created_at),
            "last_saved": iso(response.updated_at),
            "submitted": iso(response.submitted_at),
            "last_edited_by_you": subject.contact is not None
            and response.edited_by_id == subject.contact.pk,
        }
        if own:  # the municipality's answers are the municipality's, not the person's
            entry["answers"] = _answers(response)
        data["survey_responses"].append(entry)
    if subject.user is not None:
        data["surveys_created"] = [
            {
                "title": survey.title,
                "created": iso(survey.created_at),
                "opened": iso(survey.opened_at),
                "closes": iso(survey.closes_at),
            }
            for survey in Survey.objects.filter(created_by=subject.user).order_by("created_at")
        ]
    return data


def _scrub(text: str, subject: Subject, words: set[str]) -> str:
    """``scrub`` plus ``words`` (first and last name) on their own, in any letter case."""
    text = scrub(text, subject, REPLACEMENT)
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(word)}\b", REPLACEMENT, text, flags=re.IGNORECASE)
    return text


def _name_words(subject: Subject) -> set[str]:
    people = [p for p in (subject.contact, subject.user) if p is not None]
    words = {part for p in people for part in (p.first_name, p.last_name)}
    return {word.strip() for word in words if len(word.strip()) >= 2 and word.strip() != "–"}


def anonymise(subject: Subject, *, by: Any) -> None:
    """Scrub the person from free texts; responses and their counts stay as they are."""
    named = mentions(("text",), subject)
    own_responses = (
        Response.objects.filter(contact=subject.contact)
        if subject.contact is not None
        else Response.objects.none()
    )
    own = Q(response__in=own_responses)
    candidates = Answer.objects.filter((named | own) if named else own).exclude(text="")
    own_ids = set(own_responses.values_list("pk", flat=True))
    words = _name_words(subject)
    for answer in candidates.only("pk", "text", "response_id"):
        cleaned = _scrub(answer.text, subject, words if answer.response_id in own_ids else set())
        if cleaned != answer.text:
            answer.text = cleaned
            answer.save(update_fields=["text"])
