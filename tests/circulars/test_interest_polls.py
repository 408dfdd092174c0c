"""Interest polls: a circular's yes-answers become a draft meeting with its invitation list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from circulars import interest_polls
from circulars.models import Circular, CircularRecipient
from meetings.models import Meeting
from tests.circulars.factories import CircularFactory, QuestionCircularFactory
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll():
    circular = QuestionCircularFactory(
        subject="Workshop in Ingelheim", status=Circular.Status.SENT, sent_at=timezone.now()
    )
    answers = {}
    for name, answer in [
        ("Ingelheim am Rhein", "yes"),
        ("Bad Dürkheim", "yes"),
        ("Trier", "no"),
        ("Mainz", ""),
    ]:
        contact = MemberContactFactory(municipality=MunicipalityFactory(name=name))
        CircularRecipient.objects.create(circular=circular, contact=contact, answer=answer)
        answers[name] = contact
    # A second yes from Ingelheim counts once.
    second = MemberContactFactory(municipality=answers["Ingelheim am Rhein"].municipality)
    CircularRecipient.objects.create(circular=circular, contact=second, answer="yes")
    return circular


def test_the_yes_municipalities_become_the_invitation_list_of_a_draft(poll):
    meeting = interest_polls.meeting_from_circular(
        circular=poll, answer="yes", by=CoordinatorFactory()
    )

    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.title == "Workshop in Ingelheim"
    assert sorted(m.name for m in meeting.invited_municipalities.all()) == [
        "Bad Dürkheim",
        "Ingelheim am Rhein",
    ]
    assert meeting.start > timezone.now()


def test_an_answer_nobody_gave_or_a_circular_without_question_is_refused(poll):
    with pytest.raises(interest_polls.InterestPollError):
        interest_polls.meeting_from_circular(circular=poll, answer="maybe", by=None)
    with pytest.raises(interest_polls.InterestPollError):
        interest_polls.meeting_from_circular(circular=poll, answer="vielleicht", by=None)
    plain = CircularFactory(status=Circular.Status.SENT)
    with pytest.raises(interest_polls.InterestPollError):
        interest_polls.meeting_from_circular(circular=plain, answer="yes", by=None)
    assert not Meeting.objects.exists()


def test_one_click_in_the_admin_and_the_invitation_form_is_prefilled(client, poll):
    client.force_login(CoordinatorFactory())
    url = reverse("admin:circulars_circular_to_meeting")

    page = client.get(url).content.decode()
    assert "Workshop in Ingelheim" in page
    response = client.post(url, {"circular": poll.pk, "answer": "yes"})

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[meeting.pk])
    invite = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "invite", "_selected_action": [meeting.pk]},
    ).content.decode()
    ingelheim = meeting.invited_municipalities.get(name="Ingelheim am Rhein")
    assert f'value="{ingelheim.pk}" selected' in invite


def test_a_refused_click_is_a_message(client, poll):
    client.force_login(CoordinatorFactory())

    response = client.post(
        reverse("admin:circulars_circular_to_meeting"),
        {"circular": poll.pk, "answer": "maybe"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 200
    assert "Keine Kommune" in response.content.decode()
    assert not Meeting.objects.exists()
