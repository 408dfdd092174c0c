"""The portal's own lookups (ikone.expressions) on the database the suite runs on."""

import pytest
from django.urls import reverse

from members.models import Topic
from projects.models import AskConsent
from tests.factories import MemberContactFactory, TopicFactory

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = 99_999_999_999_999_999_999


def test_in_leaves_out_numbers_no_integer_column_can_hold():
    topic = TopicFactory(name="Zahlen im Test", slug="zahlen-im-test", position=3)

    assert list(Topic.objects.filter(pk__in=[BEYOND_64_BITS, topic.pk])) == [topic]
    assert list(Topic.objects.filter(pk__in=[str(BEYOND_64_BITS), -BEYOND_64_BITS])) == []
    assert Topic.objects.filter(pk__in=[BEYOND_64_BITS]).exists() is False
    assert list(Topic.objects.filter(position__in=[-1, 3], slug="zahlen-im-test")) == [topic]


def test_a_posted_id_beyond_64_bits_is_a_form_error_not_a_500(client):
    """SQLite's driver raised OverflowError for ``topics=99999999999999999999``."""
    contact = MemberContactFactory()
    client.force_login(contact.user)

    response = client.post(
        reverse("projects:ask_consent"), {"topics": [str(BEYOND_64_BITS)], "monthly_cap": "2"}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    assert not AskConsent.objects.filter(contact=contact).exists()
