"""The provider of ``ikone.rankings``: the latest opened survey's topic ranking (Borda)."""

from __future__ import annotations

from django.db.models import Count

from ikone.rankings import RankedTopic, Ranking, register_provider

from .models import Answer, Question, Response, Survey
from .results import borda


@register_provider
def latest_topic_ranking() -> Ranking | None:
    """Only counts of ranks are read: never who ranked what, never free texts."""
    question = (
        Question.objects.filter(kind=Question.Kind.RANKING, survey__in=Survey.objects.opened())
        .select_related("survey")
        .order_by("-survey__closes_at", "-survey__pk", "position", "id")
        .first()
    )
    if question is None:
        return None
    options = list(question.options.all())
    counts: dict[int, dict[int, int]] = {}
    answers = Answer.objects.filter(
        question=question, response__status=Response.Status.SUBMITTED, rank__isnull=False
    )
    for option_id, rank, n in (
        answers.values("option", "rank").annotate(n=Count("id")).values_list("option", "rank", "n")
    ):
        counts.setdefault(option_id, {})[rank] = n
    scores = borda(counts, len(options))
    rows = sorted(
        ((option, *scores.get(option.pk, (0, 0.0, 0, 0))) for option in options),
        key=lambda row: (-row[1], row[2] or 999, row[0].text),
    )
    responses = Response.objects.filter(
        survey=question.survey, status=Response.Status.SUBMITTED
    ).count()
    return Ranking(
        title=question.survey.title,
        closes_at=question.survey.closes_at,
        responses=responses,
        topics=[
            RankedTopic(
                label=option.text,
                rank=place,
                points=points,
                mean_rank=mean,
                rankings=count,
                topic_id=option.topic_id,
            )
            for place, (option, points, mean, _first, count) in enumerate(rows, start=1)
        ],
    )
