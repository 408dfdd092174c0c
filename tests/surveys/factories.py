from datetime import timedelta

import factory
from django.utils import timezone

from surveys.models import Option, Question, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Umfrage {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    opened_at = factory.LazyFunction(timezone.now)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"Frage {n}?")
    position = factory.Sequence(int)


def question_with_options(survey, kind, texts, **kwargs):
    question = QuestionFactory(survey=survey, kind=kind, topics_as_options=False, **kwargs)
    for index, text in enumerate(texts):
        Option.objects.create(question=question, position=index, text=text)
    return question


def option_ids(question):
    return [o.pk for o in question.options.order_by("position")]
