"""Aggregated survey results, computed with a constant number of queries.

Counts are grouped in the database (``values().annotate(Count)``), so neither the number of
responses nor the number of questions adds a query; only free-text answers are read row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from members.models import Municipality

from .models import Answer, Option, Question, Response, Survey


@dataclass
class Bar:
    label: str
    count: int
    percent: float
    option_id: int | None = None


@dataclass
class RankRow:
    label: str
    points: int
    mean_rank: float
    first_places: int
    count: int
    percent: float = 0.0  # of the top score, for the bar width


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    ranking: list[RankRow] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (who, text)
    texts_hidden: bool = False  # free texts exist but the viewer may not read them
    mean: float | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass
class SurveyResults:
    survey: Survey
    submitted: int
    municipalities_answered: int
    audience_size: int
    questions: list[QuestionResult]


def percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def borda(rank_counts: dict[int, dict[int, int]], n_options: int) -> dict[int, tuple]:
    """Borda count: rank r of n options scores n − r points.

    ``rank_counts`` maps option id -> {rank: how many}; returns option id ->
    (points, mean rank, first places, number of rankings).
    """
    scores = {}
    for option_id, by_rank in rank_counts.items():
        count = sum(by_rank.values())
        points = sum((n_options - rank) * n for rank, n in by_rank.items())
        mean = sum(rank * n for rank, n in by_rank.items()) / count if count else 0.0
        scores[option_id] = (points, round(mean, 2), by_rank.get(1, 0), count)
    return scores


def compute(
    survey: Survey, *, kind: str = "", district: str = "", free_texts: bool = True
) -> SurveyResults:
    """The results of the submitted responses, optionally of one kind/district only.

    ``free_texts=False`` leaves the free-text answers out (only their count remains): for
    viewers outside the coordination team of a survey that is not anonymous.
    """
    responses = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
    if kind:
        responses = responses.filter(municipality__kind=kind)
    if district:
        responses = responses.filter(municipality__district=district)
    answers = Answer.objects.filter(response__in=responses)

    totals = responses.aggregate(
        submitted=Count("id"), municipalities=Count("municipality", distinct=True)
    )
    audience = survey.response_base()
    if kind:
        audience = audience.filter(kind=kind)
    if district:
        audience = audience.filter(district=district)
    audience_size = audience.count()

    questions = list(survey.questions.order_by("position", "id"))
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(question__survey=survey).order_by("position", "id"):
        options.setdefault(option.question_id, []).append(option)

    answered = dict(
        answers.values("question")
        .annotate(n=Count("response", distinct=True))
        .values_list("question", "n")
    )
    option_counts: dict[int, int] = {}
    rank_counts: dict[int, dict[int, dict[int, int]]] = {}
    for question_id, option_id, rank, n in (
        answers.filter(option__isnull=False)
        .values("question", "option", "rank")
        .annotate(n=Count("id"))
        .values_list("question", "option", "rank", "n")
    ):
        option_counts[option_id] = option_counts.get(option_id, 0) + n
        if rank is not None:
            rank_counts.setdefault(question_id, {}).setdefault(option_id, {})[rank] = n
    number_counts: dict[int, dict[int, int]] = {}
    for question_id, number, n in (
        answers.filter(number__isnull=False)
        .values("question", "number")
        .annotate(n=Count("id"))
        .values_list("question", "number", "n")
    ):
        number_counts.setdefault(question_id, {})[number] = n

    texts: dict[int, list[tuple[str, str]]] = {}
    text_rows = answers.filter(~Q(text=""), question__kind=Question.Kind.TEXT).order_by(
        "response__municipality__name", "id"
    )
    if free_texts and survey.anonymous:
        for question_id, text in text_rows.values_list("question", "text"):
            texts.setdefault(question_id, []).append(("", text))
    elif free_texts:
        for question_id, text, name, first, last in text_rows.values_list(
            "question",
            "text",
            "response__municipality__name",
            "response__contact__first_name",
            "response__contact__last_name",
        ):
            who = f"{name} ({first} {last})" if first else name
            texts.setdefault(question_id, []).append((who, text))

    results = []
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        own = options.get(question.pk, [])
        if question.kind in Question.CHOICE_KINDS:
            result.bars = [Bar(o.text, option_counts.get(o.pk, 0), 0.0, o.pk) for o in own]
            for bar in result.bars:
                bar.percent = percent(bar.count, result.answered)
        elif question.kind == Question.Kind.RANKING:
            scores = borda(rank_counts.get(question.pk, {}), len(own))
            rows = []
            for o in own:
                points, mean, firsts, count = scores.get(o.pk, (0, 0.0, 0, 0))
                rows.append(RankRow(o.text, points, mean, firsts, count))
            rows.sort(key=lambda row: (-row.points, row.mean_rank or 999, row.label))
            top = rows[0].points if rows else 0
            for row in rows:
                row.percent = percent(row.points, top)
            result.ranking = rows
        elif question.kind in (Question.Kind.RATING, Question.Kind.NUMBER):
            counts = number_counts.get(question.pk, {})
            total = sum(counts.values())
            if total:
                result.mean = round(sum(v * n for v, n in counts.items()) / total, 2)
                result.minimum, result.maximum = min(counts), max(counts)
            values = question.scale if question.kind == Question.Kind.RATING else sorted(counts)
            result.bars = [
                Bar(str(v), counts.get(v, 0), percent(counts.get(v, 0), total)) for v in values
            ]
            if question.kind == Question.Kind.RATING and result.bars:
                if question.min_label:
                    result.bars[0].label += f" – {question.min_label}"
                if question.max_label:
                    result.bars[-1].label += f" – {question.max_label}"
        else:
            result.texts = texts.get(question.pk, [])
            result.texts_hidden = not free_texts and result.answered > 0
        results.append(result)

    return SurveyResults(
        survey=survey,
        submitted=totals["submitted"],
        municipalities_answered=totals["municipalities"],
        audience_size=audience_size,
        questions=results,
    )


def filter_choices(survey: Survey) -> tuple[list[tuple[str, str]], list[str]]:
    """Kinds and districts present in the audience, for the filter form."""
    # No ordering: the model's ordering by name would make DISTINCT keep one row per name.
    audience = survey.response_base().order_by()
    kinds_present = set(audience.values_list("kind", flat=True).distinct())
    kinds = [(value, label) for value, label in Municipality.Kind.choices if value in kinds_present]
    districts = sorted(
        set(audience.exclude(district="").values_list("district", flat=True).distinct())
    )
    return kinds, districts


def current_topic_ranking(*, limit: int = 5) -> tuple[Survey | None, list[RankRow]]:
    """The ranking of the latest ranking survey whose results members may see."""
    question = (
        Question.objects.filter(
            kind=Question.Kind.RANKING,
            survey__in=Survey.objects.results_visible_to_members(),
        )
        .select_related("survey")
        .order_by("-survey__closes_at", "position", "id")
        .first()
    )
    if question is None:
        return None, []
    own = list(question.options.all())
    counts: dict[int, dict[int, int]] = {}
    for option_id, rank, n in (
        Answer.objects.filter(
            question=question, response__status=Response.Status.SUBMITTED, rank__isnull=False
        )
        .values("option", "rank")
        .annotate(n=Count("id"))
        .values_list("option", "rank", "n")
    ):
        counts.setdefault(option_id, {})[rank] = n
    scores = borda(counts, len(own))
    rows = [RankRow(o.text, *scores.get(o.pk, (0, 0.0, 0, 0))) for o in own]
    rows.sort(key=lambda row: (-row.points, row.mean_rank or 999, row.label))
    return question.survey, [row for row in rows if row.count][:limit]
