"""Reuse (Nachnutzung): recorded by the adopting municipality, confirmed by the source."""

import pytest
from django.urls import reverse

from ikone.outbox.models import OutboundEmail
from projects.models import ProjectProfile, Reuse
from projects.services import reuse as reuse_services
from projects.services.profiles import ProjectError
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)
from tests.projects.factories import ProjectFactory, PublicProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mainz():
    return MemberContactFactory(municipality=MunicipalityFactory(name="Mainz", slug="mainz"))


@pytest.fixture
def worms():
    return MemberContactFactory(municipality=MunicipalityFactory(name="Worms", slug="worms"))


@pytest.fixture
def platform(mainz):
    project = PublicProjectFactory(
        municipality=mainz.municipality,
        title="Online-Beteiligungsplattform",
        slug="online-beteiligungsplattform",
        topics=[TopicFactory(name="Beteiligung", slug="beteiligung")],
    )
    project.contacts.add(mainz)
    return project


def test_member_records_reuse_and_the_source_is_asked(
    platform, worms, mainz, django_capture_on_commit_callbacks
):
    reuse = reuse_services.record_reuse(project=platform, by=worms.user, stage="adopting")

    assert reuse.municipality == worms.municipality
    assert reuse.confirmation == Reuse.Confirmation.PENDING
    assert OutboundEmail.objects.filter(to=mainz.email).exists()


def test_own_project_cannot_be_reused(platform, mainz):
    with pytest.raises(ProjectError, match="own municipality"):
        reuse_services.record_reuse(project=platform, by=mainz.user, stage="adopted")


def test_a_project_is_recorded_once_per_municipality(platform, worms):
    reuse_services.record_reuse(project=platform, by=worms.user, stage="interested")

    with pytest.raises(ProjectError, match="already recorded"):
        reuse_services.record_reuse(project=platform, by=worms.user, stage="adopted")
    assert Reuse.objects.count() == 1


def test_unknown_stage_is_refused(platform, worms):
    with pytest.raises(ProjectError) as error:
        reuse_services.record_reuse(project=platform, by=worms.user, stage="stolen")

    assert error.value.field == "stage"


def test_only_the_source_municipality_confirms(platform, worms, mainz):
    reuse = reuse_services.record_reuse(project=platform, by=worms.user, stage="adopted")
    third = MemberContactFactory()

    with pytest.raises(ProjectError):
        reuse_services.confirm_reuse(reuse=reuse, by=worms.user)
    with pytest.raises(ProjectError):
        reuse_services.confirm_reuse(reuse=reuse, by=third.user)

    reuse_services.confirm_reuse(reuse=reuse, by=mainz.user)
    reuse.refresh_from_db()
    assert reuse.is_confirmed and reuse.confirmed_by == mainz.user
    with pytest.raises(ProjectError, match="already been answered"):
        reuse_services.decline_reuse(reuse=reuse, by=CoordinatorFactory())


def test_only_confirmed_reuse_shows_publicly(client, platform, worms, mainz):
    reuse = reuse_services.record_reuse(project=platform, by=worms.user, stage="adopted")

    page = client.get(platform.get_absolute_url()).content.decode()
    assert "Worms" not in page

    reuse_services.confirm_reuse(reuse=reuse, by=mainz.user)
    page = client.get(platform.get_absolute_url()).content.decode()
    assert "Worms" in page
    municipality_page = client.get(mainz.municipality.get_absolute_url()).content.decode()
    assert "Online-Beteiligungsplattform" in municipality_page
    assert "by Worms" in municipality_page or "durch Worms" in municipality_page


def test_members_see_pending_reuse_on_both_municipality_pages(client, platform, worms):
    reuse_services.record_reuse(project=platform, by=worms.user, stage="in_contact")
    client.force_login(worms.user)

    page = client.get(worms.municipality.get_absolute_url()).content.decode()

    assert "Online-Beteiligungsplattform" in page
    assert "from Mainz" in page or "von Mainz" in page


def test_reuse_form_on_the_profile_records_and_confirms(client, platform, worms, mainz):
    client.force_login(worms.user)
    response = client.post(
        reverse("projects:reuse_record", args=[platform.slug]),
        {"reuse-stage": "adopted", "reuse-date": "2025-03-01", "reuse-effort": "5 Tage"},
    )
    assert response.status_code == 302
    reuse = Reuse.objects.get()

    client.force_login(worms.user)
    assert client.post(reverse("projects:reuse_confirm", args=[reuse.pk])).status_code == 403
    client.force_login(mainz.user)
    client.post(reverse("projects:reuse_confirm", args=[reuse.pk]))
    reuse.refresh_from_db()
    assert reuse.is_confirmed


def test_bad_reuse_input_keeps_what_was_typed(client, platform, worms):
    client.force_login(worms.user)

    response = client.post(
        reverse("projects:reuse_record", args=[platform.slug]),
        {"reuse-stage": "adopted", "reuse-date": "2999-01-01", "reuse-lessons": "Gut geklappt"},
    )

    assert response.status_code == 400
    assert "Gut geklappt" in response.content.decode()
    assert not Reuse.objects.exists()


def test_the_source_is_asked_on_its_start_page(client, platform, worms, mainz):
    reuse_services.record_reuse(project=platform, by=worms.user, stage="adopted")
    client.force_login(mainz.user)

    page = client.get(reverse("members:area"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Online-Beteiligungsplattform" in page
    # the to-do's button says what to do (the bare msgid "Answer" came out as the noun
    # "Antwort" of another app's catalogue)
    assert ">Bestätigen oder ablehnen<" in page


def test_the_visibility_condition_on_a_join_selects_what_visible_projects_does(platform, worms):
    """Reuse lists filter the joined profile (permissions.visible_project_condition) instead of
    a subquery of every visible profile: the same profiles for each role."""
    from django.contrib.auth.models import AnonymousUser

    from projects.permissions import visible_project_condition, visible_projects

    draft = ProjectFactory(title="Entwurf")  # members only, not published
    withdrawn = ProjectFactory(title="Zurückgezogen", status=ProjectProfile.Status.ARCHIVED)
    for project in (platform, draft, withdrawn):
        Reuse.objects.create(project=project, municipality=worms.municipality, stage="adopted")
    people = [AnonymousUser(), worms.user, CoordinatorFactory()]
    for user in people:
        expected = set(visible_projects(user).values_list("pk", flat=True))
        joined = set(
            ProjectProfile.objects.filter(visible_project_condition(user)).values_list(
                "pk", flat=True
            )
        )
        through = set(
            Reuse.objects.filter(visible_project_condition(user, "project__")).values_list(
                "project_id", flat=True
            )
        )
        assert joined == expected
        assert through == expected & set(Reuse.objects.values_list("project_id", flat=True))
    assert (
        len({frozenset(visible_projects(user).values_list("pk", flat=True)) for user in people})
        == 2
    )
