"""Every write with rules in the survey app: open, copy, answer, submit, remind."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.errors import DomainError
from ikone.outbox.services import Message, queue_emails
from members.models import Contact, Topic
from members.selectors import contact_audience

from .models import Answer, Option, Question, Reminder, Response, Survey


class SurveyError(DomainError):
    """A survey rule was broken."""


class ConcurrentEditError(SurveyError):
    """Somebody else saved the same response after this form was loaded."""


# --- Coordinator ----------------------------------------------------------------------------


def _record(survey: Survey, action: AuditAction, by=None, **data) -> None:
    """A typed audit entry for a coordinator's action (the acting coordinator, or ``by``)."""
    audit.record(action=action, obj=survey, by=by, data=data)


def fill_topic_options(*, question: Question) -> Question:
    """Copy the network's active topics into a ranking question that has no options yet.

    Copies, not links: the results stay as they were answered when topics change later.
    """
    with transaction.atomic():
        if (
            question.kind == Question.Kind.RANKING
            and question.topics_as_options
            and not question.options.exists()
        ):
            Option.objects.bulk_create(
                Option(question=question, position=index, text=topic.name, topic=topic)
                for index, topic in enumerate(Topic.objects.filter(is_active=True))
            )
    return question


def open_survey(*, survey: Survey, by=None) -> Survey:
    """Release a survey: invite the active contacts of its audience through the outbox."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.opened_at is not None:
            raise SurveyError(_("This survey has already been opened."))
        if survey.closes_at <= timezone.now():
            raise SurveyError(_("The survey closes in the past; please change its dates first."))
        if not survey.questions.exists():
            raise SurveyError(_("A survey needs at least one question before it can be opened."))
        survey.opened_at = timezone.now()
        survey.save(update_fields=["opened_at"])
        audience = list(survey.audience_municipalities())
        survey.invited_municipalities.set(audience)
        contacts = contact_audience(municipalities=audience)
        queued = queue_emails(
            Message(
                to=contact.email,
                template="surveys/invitation",
                context={"survey": survey, "contact": contact, "path": survey.get_absolute_url()},
                language=contact.language,
                reference=f"survey:{survey.pk}",
            )
            for contact in contacts.select_related("municipality")
        )
        _record(survey, AuditAction.SURVEY_OPENED, by, invited=len(queued))
    return survey


def _years_later(moment: datetime, years: int) -> datetime:
    """The same local date and time ``years`` later (29 February becomes the 28th)."""
    local = timezone.localtime(moment)
    try:
        shifted = local.replace(year=local.year + years)
    except ValueError:
        shifted = local.replace(year=local.year + years, day=28)
    return timezone.make_aware(shifted.replace(tzinfo=None))


def copy_dates(*, survey: Survey, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Opening and closing of a copy: the original's dates in the first year still ahead.

    A survey run every year is copied from last year's; copying one from 2023 in 2026 must
    not give a survey whose period is already over.
    """
    now = now or timezone.now()
    years = 1
    while _years_later(survey.opens_at, years) <= now:
        years += 1
    opens_at = _years_later(survey.opens_at, years)
    return opens_at, opens_at + (survey.closes_at - survey.opens_at)


def copy_survey(*, survey: Survey, by=None) -> Survey:
    """A new unopened survey with the same settings and questions, in the next year ahead."""
    opens_at, closes_at = copy_dates(survey=survey)
    with transaction.atomic():
        copy = Survey.objects.create(
            title=_("%(title)s (copy)") % {"title": survey.title},
            intro=survey.intro,
            opens_at=opens_at,
            closes_at=closes_at,
            audience=survey.audience,
            respondent=survey.respondent,
            anonymous=survey.anonymous,
            reminder_days=survey.reminder_days,
            copied_from=survey,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        copy.municipalities.set(survey.municipalities.all())
        for question in survey.questions.prefetch_related("options"):
            options = list(question.options.all())
            question.pk = None
            question.survey = copy
            question.save()
            Option.objects.bulk_create(
                Option(question=question, position=o.position, text=o.text, topic_id=o.topic_id)
                for o in options
            )
        _record(copy, AuditAction.SURVEY_COPIED, by, copied_from=survey.pk)
    return copy


def set_results_visibility(*, survey: Survey, visibility: str, by=None) -> Survey:
    """Publish the aggregated results (for members or everybody) or withdraw them."""
    _check_visibility(visibility)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.results_visibility == visibility:
            return survey
        previous = survey.results_visibility
        survey.results_visibility = visibility
        survey.save(update_fields=["results_visibility"])
        _record_visibility_change(survey, previous, by)
    return survey


def save_survey(*, survey: Survey, by=None) -> Survey:
    """Save a survey as a coordinator edited it in the admin (new or changed).

    A changed visibility of the results is checked and recorded as in
    :func:`set_results_visibility`; the edit is saved as one change.
    """
    if survey.pk is None:
        survey.save()
        return survey
    _check_visibility(survey.results_visibility)
    with transaction.atomic():
        previous = (
            Survey.objects.select_for_update()
            .values_list("results_visibility", flat=True)
            .get(pk=survey.pk)
        )
        survey.save()
        if survey.results_visibility != previous:
            _record_visibility_change(survey, previous, by)
    return survey


def _check_visibility(visibility: str) -> None:
    if visibility not in Survey.Visibility.values:
        raise SurveyError(_("Unknown visibility of the results."))


def _record_visibility_change(survey: Survey, previous: str, by=None) -> None:
    _record(
        survey,
        AuditAction.SURVEY_RESULTS_SHOWN,
        by,
        results_visibility=[previous, survey.results_visibility],
    )


# --- Members --------------------------------------------------------------------------------


def response_for(*, survey: Survey, contact: Contact) -> Response | None:
    """The response this contact works on: the municipality's, or their own."""
    lookup = {"survey": survey, "municipality_id": contact.municipality_id}
    if survey.per_contact:
        lookup["contact"] = contact
    else:
        lookup["contact__isnull"] = True
    return Response.objects.filter(**lookup).first()


def _check_may_answer(survey: Survey, contact: Contact) -> None:
    if contact is None or not survey.is_addressed_to(contact.municipality):
        raise SurveyError(_("This survey is not addressed to your municipality."))
    now = timezone.now()
    if survey.opened_at is None or now < survey.opens_at:
        raise SurveyError(_("This survey is not open yet."))
    if now >= survey.closes_at:
        raise SurveyError(_("This survey is closed; answers can no longer be changed."))


def _locked_response(survey: Survey, contact: Contact) -> Response:
    """Get or create the response row and lock it for the rest of the transaction."""
    lookup = {"survey": survey, "municipality_id": contact.municipality_id}
    if survey.per_contact:
        lookup["contact"] = contact
    else:
        lookup["contact__isnull"] = True
    response = Response.objects.select_for_update().filter(**lookup).first()
    if response is None:
        try:
            with transaction.atomic():  # a savepoint: a concurrent insert must not poison us
                response = Response.objects.create(
                    survey=survey,
                    municipality_id=contact.municipality_id,
                    contact=contact if survey.per_contact else None,
                    edited_by=contact,
                )
        except IntegrityError:
            response = Response.objects.select_for_update().get(**lookup)
    return response


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def save_response(
    *, survey: Survey, contact: Contact, answers: dict, version: int, submit: bool = False
) -> Response:
    """Save the answers as a draft (or submit them) if nobody saved in between.

    ``answers`` maps question ids to cleaned values (option ids, numbers, text; a ranking
    is the list of option ids in ranked order). ``version`` is the response version the form
    was loaded with: the row is updated ``WHERE version = N``, so a second saver is told
    instead of silently overwriting the first.
    """
    with transaction.atomic():
        _check_may_answer(survey, contact)
        response = _locked_response(survey, contact)
        if response.is_submitted:
            raise SurveyError(_("These answers have already been submitted."))
        if response.version != version:
            raise ConcurrentEditError(
                _(
                    "Somebody else from your municipality saved these answers in the meantime. "
                    "Your input is still in the form below: please check it against the saved "
                    "answers and save again."
                )
            )
        questions = list(survey.questions.prefetch_related("options"))
        if submit:
            missing = [q for q in questions if q.required and _is_empty(answers.get(q.pk))]
            if missing:
                raise SurveyError(
                    _("Please answer every required question before submitting."),
                    field=missing[0].field_name,
                )
        now = timezone.now()
        values = {"version": F("version") + 1, "edited_by": contact, "updated_at": now}
        if submit:
            values.update(status=Response.Status.SUBMITTED, submitted_at=now)
        updated = Response.objects.filter(
            pk=response.pk, version=version, status=Response.Status.DRAFT
        ).update(**values)
        if not updated:
            raise ConcurrentEditError(
                _("Somebody else saved these answers in the meantime. Please save again.")
            )
        Answer.objects.filter(response=response).delete()
        Answer.objects.bulk_create(_answer_rows(response, questions, answers))
        response.refresh_from_db()
    return response


def _answer_rows(response: Response, questions: list[Question], answers: dict):
    for question in questions:
        value = answers.get(question.pk)
        if _is_empty(value):
            continue
        kind = question.kind
        if kind == Question.Kind.SINGLE:
            yield Answer(response=response, question=question, option_id=int(value))
        elif kind == Question.Kind.MULTIPLE:
            for option_id in value:
                yield Answer(response=response, question=question, option_id=int(option_id))
        elif kind == Question.Kind.RANKING:
            for rank, option_id in enumerate(value, start=1):
                yield Answer(
                    response=response, question=question, option_id=int(option_id), rank=rank
                )
        elif kind in (Question.Kind.RATING, Question.Kind.NUMBER):
            yield Answer(response=response, question=question, number=int(value))
        else:
            yield Answer(response=response, question=question, text=str(value))


def answers_of(*, response: Response | None) -> dict:
    """The saved answers as the form's initial values (question id -> value)."""
    if response is None:
        return {}
    values: dict = {}
    rows = response.answers.select_related("question").order_by("question_id", "rank", "id")
    for answer in rows:
        kind = answer.question.kind
        if kind == Question.Kind.SINGLE:
            values[answer.question_id] = answer.option_id
        elif kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING):
            values.setdefault(answer.question_id, []).append(answer.option_id)
        elif kind in (Question.Kind.RATING, Question.Kind.NUMBER):
            values[answer.question_id] = answer.number
        else:
            values[answer.question_id] = answer.text
    return values


# --- Reminders ------------------------------------------------------------------------------


def send_due_reminders(*, now=None) -> int:
    """Remind the municipalities without a submitted response; each one once per survey."""
    now = now or timezone.now()
    sent = 0
    surveys = Survey.objects.running(now=now).filter(reminder_days__gt=0)
    for survey in surveys:
        if now < survey.closes_at - timedelta(days=survey.reminder_days):
            continue
        sent += remind(survey=survey, now=now)
    return sent


def remind(*, survey: Survey, now=None, by=None) -> int:
    """Queue reminders for one survey; returns how many municipalities were reminded.

    The beat task leaves no audit entry; a coordinator's reminder (``by`` or acting) does.
    """
    now = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        answered = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED).values(
            "municipality_id"
        )
        reminded = Reminder.objects.filter(survey=survey).values("municipality_id")
        pending = list(
            survey.audience_municipalities()
            .exclude(pk__in=answered)
            .exclude(pk__in=reminded)
            .values_list("pk", flat=True)
        )
        if not pending:
            return 0
        Reminder.objects.bulk_create(
            [Reminder(survey=survey, municipality_id=pk, sent_at=now) for pk in pending],
            ignore_conflicts=True,
        )
        contacts = contact_audience(municipalities=pending)
        queue_emails(
            Message(
                to=contact.email,
                template="surveys/reminder",
                context={"survey": survey, "contact": contact, "path": survey.get_absolute_url()},
                language=contact.language,
                reference=f"survey:{survey.pk}:reminder",
                category="notification",
            )
            for contact in contacts.select_related("municipality")
        )
        _record(survey, AuditAction.SURVEY_REMINDED, by, municipalities=len(pending))
    return len(pending)
