"""Admin actions with a posted selection that is no key (ikone.admin_inlines)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from ikone.admin_inlines import ReadableActionsMixin
from members.models import Topic
from tests.factories import CoordinatorFactory, TopicFactory

pytestmark = pytest.mark.django_db

NO_KEYS = ["abc", "%00", "1.5", "'\"<>", "99999999999999999999"]


def lists_with_actions():
    for model, model_admin in admin.site._registry.items():
        if model_admin.actions is not None:
            yield pytest.param(model, id=f"{model._meta.app_label}.{model._meta.model_name}")


@pytest.mark.parametrize("model", lists_with_actions())
def test_an_action_on_a_selection_that_is_no_key_is_a_message_not_a_500(client, model):
    """Django filtered the list by the posted values as they were: ValueError, a 500 on
    every list of the admin, delete_selected included."""
    user = CoordinatorFactory(is_superuser=True)
    client.force_login(user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = client.post(
        url, {"action": "delete_selected", "_selected_action": NO_KEYS, "index": "0"}
    )

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200


def test_the_readable_part_of_a_selection_is_acted_on(client):
    kept, deleted = TopicFactory(name="Bleibt"), TopicFactory(name="Geht")
    client.force_login(CoordinatorFactory(is_superuser=True))

    response = client.post(
        reverse("admin:members_topic_changelist"),
        {"action": "delete_selected", "_selected_action": ["abc", str(deleted.pk)], "post": "yes"},
    )

    assert response.status_code == 302
    assert list(Topic.objects.filter(pk__in=[kept.pk, deleted.pk])) == [kept]


def test_a_selection_of_no_keys_at_all_is_told_to_select_items(client):
    TopicFactory(name="Bleibt")
    client.force_login(CoordinatorFactory(is_superuser=True))

    response = client.post(
        reverse("admin:members_topic_changelist"),
        {"action": "delete_selected", "_selected_action": ["abc"], "index": "0"},
        follow=True,
    )

    assert "Es müssen Objekte aus der Liste ausgewählt werden" in response.content.decode()
    assert Topic.objects.filter(name="Bleibt").exists()


def test_every_list_in_the_admin_reads_the_selection_first():
    missing = [
        f"{model.__name__}: {type(model_admin).__name__}"
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ReadableActionsMixin)
    ]
    assert missing == []
