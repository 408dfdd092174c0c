"""Writing profiles: the rules of ``projects.services`` and who may do what."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from projects.models import ProjectEvent, ProjectProfile
from projects.services import profiles as profile_services
from projects.services.profiles import NewDocument, ProjectData, ProjectError
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)
from tests.pdfs import tiny_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MemberContactFactory(municipality=MunicipalityFactory(name="Koblenz", slug="koblenz"))


@pytest.fixture
def topic():
    return TopicFactory(name="Sensornetzwerke", slug="sensornetzwerke")


def data(topic, **overrides) -> ProjectData:
    values = {
        "title": "Pegelmessung mit LoRaWAN",
        "summary": "Ein Sensornetz misst die Pegel.",
        "topics": [topic],
        "field_of_action": ProjectProfile.FieldOfAction.ENVIRONMENT,
        "stage": ProjectProfile.Stage.OPERATION,
    }
    values.update(overrides)
    return ProjectData(**values)


def test_member_writes_a_profile_for_their_own_municipality(member, topic):
    project = profile_services.save_project(
        by=member.user, data=data(topic, funding=["state", "own"])
    )

    assert project.municipality == member.municipality
    assert project.slug == "pegelmessung-mit-lorawan"
    assert list(project.topics.all()) == [topic]
    assert project.funding == ["own", "state"]
    assert project.status == ProjectProfile.Status.DRAFT
    assert project.events.get().action == ProjectEvent.Action.CREATED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"topics": []}, "topics"),
        ({"budget_band": "a lot"}, "budget_band"),
        ({"funding": ["lottery"]}, "funding"),
        ({"stage": "finished"}, "stage"),
        ({"stage": "stopped", "stage_reason": ""}, "stage_reason"),
        ({"start": date(2024, 5, 1), "end": date(2023, 1, 1)}, "end"),
        ({"links": "Projektseite | javascript:alert(1)"}, "links"),
    ],
)
def test_bad_input_is_refused_with_a_message_for_its_field(member, topic, overrides, field):
    with pytest.raises(ProjectError) as error:
        profile_services.save_project(by=member.user, data=data(topic, **overrides))

    assert error.value.field == field
    assert str(error.value)
    assert not ProjectProfile.objects.exists()


def test_the_own_municipality_cannot_be_its_own_partner(member, topic):
    with pytest.raises(ProjectError, match="own municipality"):
        profile_services.save_project(
            by=member.user, data=data(topic, partner_municipalities=[member.municipality])
        )


def test_contact_persons_must_work_for_the_municipality_or_a_partner(member, topic):
    stranger = ContactFactory()

    with pytest.raises(ProjectError) as error:
        profile_services.save_project(by=member.user, data=data(topic, contacts=[stranger]))

    assert error.value.field == "contacts"


def test_partner_contacts_may_be_named_once_the_partner_is(member, topic):
    partner = MunicipalityFactory(name="Landau")
    colleague = ContactFactory(municipality=partner)

    project = profile_services.save_project(
        by=member.user,
        data=data(topic, partner_municipalities=[partner], contacts=[colleague, member]),
    )

    assert set(project.contacts.all()) == {colleague, member}


def test_member_cannot_edit_another_municipalitys_profile(member, topic):
    project = profile_services.save_project(by=member.user, data=data(topic))
    other = MemberContactFactory()

    with pytest.raises(ProjectError):
        profile_services.save_project(
            by=other.user, project=project, data=data(topic, title="Gekapert")
        )

    project.refresh_from_db()
    assert project.title == "Pegelmessung mit LoRaWAN"


def test_a_stopped_project_keeps_its_reason(member, topic):
    project = profile_services.save_project(
        by=member.user,
        data=data(topic, stage="stopped", stage_reason="Zu kompliziert für die Organisation."),
    )

    assert project.stage_reason == "Zu kompliziert für die Organisation."


def test_pdfs_are_checked_and_kept_privately(member, topic):
    upload = SimpleUploadedFile("Konzept.pdf", tiny_pdf(), "application/pdf")
    project = profile_services.save_project(
        by=member.user,
        data=data(topic),
        new_documents=[NewDocument(title="Konzept", upload=upload)],
    )
    document = project.documents.get()
    assert document.filename == "Konzept.pdf"
    assert document.file.name.startswith("project-documents/")

    with pytest.raises(ProjectError) as error:
        profile_services.save_project(
            by=member.user,
            project=project,
            data=data(topic),
            new_documents=[
                NewDocument(title="Kein PDF", upload=SimpleUploadedFile("x.pdf", b"<html>"))
            ],
        )
    assert error.value.field == "document"
    assert project.documents.count() == 1


def test_public_profile_goes_through_review(member, topic, django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory()
    project = profile_services.save_project(by=member.user, data=data(topic, visibility="public"))
    assert not ProjectProfile.objects.public().exists()

    profile_services.submit_project(project=project, by=member.user)
    assert OutboundEmail.objects.filter(to=coordinator.email).exists()
    assert not ProjectProfile.objects.public().exists()

    profile_services.return_project(
        project=project, by=coordinator, comment="Bitte Budget ergänzen."
    )
    project.refresh_from_db()
    assert project.status == ProjectProfile.Status.CHANGES_REQUESTED

    profile_services.submit_project(project=project, by=member.user)
    profile_services.publish_project(project=project, by=coordinator)

    assert list(ProjectProfile.objects.public()) == [project]
    assert [e.action for e in project.events.all()] == [
        "created",
        "submitted",
        "changes_requested",
        "submitted",
        "published",
    ]


def test_members_only_profiles_are_not_reviewed(member, topic):
    project = profile_services.save_project(by=member.user, data=data(topic))

    with pytest.raises(ProjectError, match="Only profiles meant for the public"):
        profile_services.submit_project(project=project, by=member.user)


def test_only_coordinators_publish(member, topic):
    project = profile_services.save_project(by=member.user, data=data(topic, visibility="public"))
    profile_services.submit_project(project=project, by=member.user)

    with pytest.raises(ProjectError):
        profile_services.publish_project(project=project, by=member.user)


def test_returning_needs_a_comment(member, topic):
    project = profile_services.save_project(by=member.user, data=data(topic, visibility="public"))
    profile_services.submit_project(project=project, by=member.user)

    with pytest.raises(ProjectError) as error:
        profile_services.return_project(project=project, by=CoordinatorFactory(), comment=" ")

    assert error.value.field == "comment"


def test_making_a_public_profile_members_only_takes_it_off_the_public_pages(member, topic):
    project = profile_services.save_project(by=member.user, data=data(topic, visibility="public"))
    profile_services.submit_project(project=project, by=member.user)
    profile_services.publish_project(project=project, by=CoordinatorFactory())

    profile_services.save_project(
        by=member.user, project=project, data=data(topic, visibility="members")
    )

    assert not ProjectProfile.objects.public().exists()


def test_stale_profiles_are_reminded_once_a_year(member, topic, django_capture_on_commit_callbacks):
    project = profile_services.save_project(by=member.user, data=data(topic, contacts=[member]))
    long_ago = timezone.now() - timedelta(days=400)
    ProjectProfile.objects.filter(pk=project.pk).update(updated_at=long_ago)

    assert profile_services.send_update_reminders() == 1
    assert profile_services.send_update_reminders() == 0  # once, not every day

    mail = OutboundEmail.objects.get(to=member.email)
    assert "Pegelmessung mit LoRaWAN" in mail.subject
    project.refresh_from_db()
    assert project.updated_at == long_ago  # the reminder is not an update
    assert profile_services.send_update_reminders(now=timezone.now() + timedelta(days=366)) == 1


def test_an_updated_profile_is_not_reminded(member, topic):
    project = profile_services.save_project(by=member.user, data=data(topic, contacts=[member]))
    ProjectProfile.objects.filter(pk=project.pk).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    profile_services.save_project(
        by=member.user, project=project, data=data(topic, stage="completed")
    )

    assert profile_services.send_update_reminders() == 0
