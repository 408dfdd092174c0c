"""A member chooses between notifications and only essential mail."""

import pytest
from django.urls import reverse

from tests.factories import CoordinatorFactory, MemberContactFactory

pytestmark = pytest.mark.django_db


def test_member_switches_to_only_essential_mail(client):
    member = MemberContactFactory()
    client.force_login(member.user)
    url = reverse("members:mail_preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"only_essential": "1"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.only_essential_mail is True


def test_mail_preferences_need_a_contact(client):
    assert client.get(reverse("members:mail_preferences")).status_code == 302
    client.force_login(CoordinatorFactory())
    assert client.get(reverse("members:mail_preferences")).status_code == 403
