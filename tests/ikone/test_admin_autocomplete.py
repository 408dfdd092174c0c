"""Admin autocompletes with a posted value that is no key (ikone.admin_inlines)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from ikone.admin_inlines import ReadableAutocompleteMixin
from members.models import Contact, Visit
from tests.factories import CoordinatorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "'\"<>", " ", "2026-13-45", "99999999999999999999"])
def test_a_municipality_that_is_no_key_is_a_form_error_not_a_500(client, value):
    """Django's AutocompleteSelect looked the posted value up while rendering the form
    again and raised ValueError."""
    client.force_login(CoordinatorFactory())

    response = client.post(
        reverse("admin:members_contact_add"),
        {"municipality": value, "first_name": "Anna", "last_name": "Test", "email": "a@x.de"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Anna"' in page  # what was typed is kept
    assert "errorlist" in page
    assert not Contact.objects.filter(email="a@x.de").exists()


def test_a_valid_choice_is_shown_again_when_another_field_fails(client):
    municipality = MunicipalityFactory(name="Ingelheim am Rhein")
    client.force_login(CoordinatorFactory())

    response = client.post(
        reverse("admin:members_visit_add"), {"municipality": str(municipality.pk), "date": "x"}
    )

    assert response.status_code == 200
    assert "Ingelheim am Rhein</option>" in response.content.decode()
    assert not Visit.objects.exists()


def test_every_admin_with_autocompletes_reads_the_posted_values_first():
    missing = []
    for model, model_admin in admin.site._registry.items():
        classes = [type(model_admin), *model_admin.inlines]
        for admin_class in classes:
            if admin_class.autocomplete_fields and not issubclass(
                admin_class, ReadableAutocompleteMixin
            ):
                missing.append(f"{model.__name__}: {admin_class.__name__}")
    assert missing == []
