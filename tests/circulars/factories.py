"""Factories for circular letters."""

import factory

from circulars.models import Circular
from tests.factories import CoordinatorFactory


class CircularFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circular

    subject = factory.Sequence(lambda n: f"Rundschreiben {n}")
    body = "Liebe Mitglieder,\n\n**Workshop** in Ingelheim am 3. März.\n\n- Anmeldung bis Freitag"
    created_by = factory.SubFactory(CoordinatorFactory)


class QuestionCircularFactory(CircularFactory):
    question = "Nehmen Sie am Workshop in Ingelheim teil?"
    answer_choices = Circular.Choices.YES_NO_MAYBE
