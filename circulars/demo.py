"""Demo data of circular letters: one sent circular with a question and some answers."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from members.demo import COORDINATOR_EMAIL, MEMBER_EMAIL
from members.models import User

from .models import Circular, CircularRecipient
from .services import answers as answer_services
from .services import sending as sending_services

CIRCULAR_SUBJECT = "Workshop zur Verwaltungsdigitalisierung in Ingelheim"
CIRCULAR_BODY = """Liebe Mitglieder des Netzwerks,

die Stadt Ingelheim lädt zu einem **Workshop zur Verwaltungsdigitalisierung** ein. Geplant
sind ein Erfahrungsaustausch zu Online-Diensten nach dem OZG und ein Rundgang durch das
Bürgerbüro.

- Ort: Ingelheim am Rhein, Rathaus
- Dauer: ein Vormittag

Bitte sagen Sie uns über den Link, ob Sie teilnehmen würden.

Ihr Team IKONE DS"""


def load(stdout=None, base=None) -> dict:
    """A sent circular letter with a reply question and some answers already given."""
    with transaction.atomic():
        coordinator = (base or {}).get("coordinator") or User.objects.get(email=COORDINATOR_EMAIL)
        return {"circular": _load(coordinator)}


def _load(coordinator: User) -> Circular:
    existing = Circular.objects.filter(subject=CIRCULAR_SUBJECT).first()
    if existing is not None:
        return existing
    circular = Circular.objects.create(
        subject=CIRCULAR_SUBJECT,
        body=CIRCULAR_BODY,
        question="Würden Sie an einem Workshop in Ingelheim teilnehmen?",
        answer_choices=Circular.Choices.YES_NO_MAYBE,
        closes_at=timezone.now() + timedelta(days=21),
        created_by=coordinator,
    )
    sending_services.send_circular(circular=circular, by=coordinator)
    answers = ["yes", "yes", "maybe", "no", "yes"]
    receipts = CircularRecipient.objects.filter(circular=circular).exclude(
        contact__email=MEMBER_EMAIL
    )
    for receipt, answer in zip(receipts, answers, strict=False):
        answer_services.answer_circular(recipient=receipt, answer=answer)
    return circular
