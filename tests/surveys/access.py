"""Access expectations of the survey pages (see tests/security/access.py).

Objects of ``world.objects`` (all surveys have a single-choice and a free-text question):

- ``surveys.open``: running, all municipalities; municipality A has a draft with a free text.
- ``surveys.unpublished``: closed, results for the coordination team only; A submitted.
- ``surveys.members``: closed, results published for members; A and B submitted.
- ``surveys.public``: closed, results published for everybody; A and B submitted.
- ``surveys.chosen``: running, addressed to chosen municipalities (A only).

Free-text answers of these (non-anonymous) surveys name nobody but are not aggregated:
they belong to A and the coordination team and never reach member B or the public.
"""

from datetime import timedelta

from django.utils import timezone

from tests.security.access import LOGIN, Expect, public

A_ONLY = {"member_a", "coordinator"}


def _survey(title, **fields):
    from surveys.models import Question
    from tests.surveys.factories import SurveyFactory, question_with_options

    survey = SurveyFactory(title=title, **fields)
    choice = question_with_options(
        survey, Question.Kind.SINGLE, ["Ja", "Nein"], position=1, text="Nutzen Sie Open Data?"
    )
    text = question_with_options(
        survey, Question.Kind.TEXT, [], position=2, text="Was wünschen Sie sich vom Netzwerk?"
    )
    return survey, choice, text


def _answer(survey, contact, answers, *, submit=True):
    from surveys import services

    return services.save_response(
        survey=survey, contact=contact, answers=answers, version=0, submit=submit
    )


def _close(survey):
    """Move a survey into the past after it was answered (answering needs it open)."""
    from surveys.models import Survey

    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1)
    )
    survey.refresh_from_db()


def _closed_with_answers(world, title, visibility, secret):
    survey, choice, text = _survey(title, results_visibility=visibility)
    yes, no = (o.pk for o in choice.options.order_by("position"))
    _answer(survey, world.contact_a, {choice.pk: yes, text.pk: secret})
    _answer(survey, world.contact_b, {choice.pk: no})
    _close(survey)
    world.secrets[secret] = A_ONLY
    return survey


def setup(world):
    from surveys.models import Question, Survey
    from tests.surveys.factories import question_with_options

    # A running survey with a draft of municipality A: never shown to B or the public.
    survey, _choice, text = _survey("Umfrage Digitalstrategie 2025")
    question_with_options(  # the ranking widget, for the accessibility check
        survey, Question.Kind.RANKING, ["Smart City", "Datenschutz", "E-Akte"], position=3
    )
    draft = "Entwurf Kaiserslautern: Glasfaser fehlt im Ortsteil Hohenecken"
    _answer(survey, world.contact_a, {text.pk: draft}, submit=False)
    world.secrets[draft] = A_ONLY
    world.objects["surveys.open"] = survey
    world.objects["surveys.open_text_question"] = text

    world.objects["surveys.unpublished"] = _closed_with_answers(
        world,
        "Umfrage Haushalt Digitalisierung",
        Survey.Visibility.COORDINATORS,
        "Vertraulich: Unser IT-Budget wurde um die Hälfte gekürzt",
    )
    world.objects["surveys.members"] = _closed_with_answers(
        world,
        "Umfrage Open Data",
        Survey.Visibility.MEMBERS,
        "Wir brauchen Hilfe beim Datenportal, Ansprechpartnerin Lena",
    )
    world.objects["surveys.public"] = _closed_with_answers(
        world,
        "Umfrage Themen des Netzwerks",
        Survey.Visibility.PUBLIC,
        "Mehr Austausch zur E-Akte mit Trier bitte, Lena aus Kaiserslautern",
    )

    # A running survey for chosen municipalities: B is not asked and does not see it.
    chosen, _choice, _text = _survey(
        "Umfrage nur für ausgewählte Kommunen", audience=Survey.Audience.CHOSEN
    )
    chosen.municipalities.set([world.municipality_a])
    world.objects["surveys.chosen"] = chosen
    world.secrets[chosen.title] = A_ONLY


def _pk(name):
    return lambda world: {"pk": world.objects[name].pk}


def _text_slide(world):
    """The presentation slide of the public survey's free-text question."""
    survey = world.objects["surveys.public"]
    questions = list(survey.questions.order_by("position", "id").values_list("kind", flat=True))
    return {"pk": survey.pk, "number": questions.index("text") + 1}


EXPECTATIONS = {
    # a member's running surveys; coordinators have no municipality but may look
    "surveys:list": Expect(LOGIN, 200, 200, 200),
    # the answer form of A's draft: B answers for B (and must not see A's draft);
    # coordinators have no contact record and answer nothing
    "surveys:answer": Expect(LOGIN, 200, 200, 403, kwargs=_pk("surveys.open")),
    "surveys:published": public(),
    "surveys:results": Expect(LOGIN, 403, 403, 200, kwargs=_pk("surveys.unpublished")),
    "surveys:presentation_start": Expect(LOGIN, 200, 200, 200, kwargs=_pk("surveys.members")),
    "surveys:presentation": public(kwargs=_text_slide),
    # aggregated results only, as open as the results page (coordinators also get responses)
    "surveys:export_csv": public(kwargs=_pk("surveys.public")),
    "surveys:export_xlsx": Expect(LOGIN, 200, 200, 200, kwargs=_pk("surveys.members")),
}
