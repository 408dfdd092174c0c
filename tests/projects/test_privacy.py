"""The catalogue's personal data: export and anonymisation (see ikone.privacy)."""

import pytest

from ikone.privacy import Subject, anonymise_subject, export_subject
from projects.models import ProjectProfile
from projects.services import profiles as profile_services
from projects.services import reuse as reuse_services
from tests.factories import CoordinatorFactory, MemberContactFactory, TopicFactory
from tests.projects.test_services import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    contact = MemberContactFactory(first_name="Greta", last_name="Geheimnisvoll")
    project = profile_services.save_project(
        by=contact.user,
        data=data(
            TopicFactory(),
            contacts=[contact],
            lessons_learned="Fragen Sie Greta Geheimnisvoll nach den Gateways.",
        ),
    )
    return contact, project


def test_export_lists_profiles_the_person_created_and_is_named_on(person):
    contact, project = person

    exported = export_subject(Subject.for_contact(contact))["projects"]

    assert exported["contact_person_on_projects"][0]["title"] == project.title
    assert exported["projects_created"][0]["title"] == project.title


def test_anonymisation_keeps_the_profile_without_the_person(person):
    contact, project = person

    anonymise_subject(Subject.for_contact(contact), by=CoordinatorFactory())

    project = ProjectProfile.objects.get(pk=project.pk)
    assert not project.contacts.exists()
    assert "Geheimnisvoll" not in project.lessons_learned


def test_recorded_reuse_stays_for_the_municipality_without_the_person(person):
    from projects.models import Reuse
    from tests.projects.factories import PublicProjectFactory

    contact, _project = person
    reuse = reuse_services.record_reuse(
        project=PublicProjectFactory(), by=contact.user, stage="adopted", lessons="Gut"
    )
    assert export_subject(Subject.for_contact(contact))["projects"]["reuse_recorded"]

    anonymise_subject(Subject.for_contact(contact), by=CoordinatorFactory())

    reuse = Reuse.objects.get(pk=reuse.pk)
    assert reuse.contact is None
    assert reuse.municipality == contact.municipality
