"""publiccode.yml: import of a real-world-shaped file, bad files, export that round-trips."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import publiccode
from projects.models import Reuse
from projects.services import profiles as profile_services
from projects.services import reuse as reuse_services
from projects.services.profiles import ProjectData, ProjectError
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

# Shaped like the publiccode.yml files of Decidim-based platforms and the standard's example.
REAL_WORLD = """\
# This repository adheres to the publiccode.yml standard by including this
# metadata file that makes public software easily discoverable.
# More info at https://github.com/publiccodeyml/publiccode.yml

publiccodeYmlVersion: "0.4"

name: Beteiligungsplattform Mainz
url: "https://github.com/stadt-mainz/beteiligung"
landingURL: "https://beteiligung.mainz.example"
softwareVersion: "0.27.4"
releaseDate: "2024-02-12"
logo: logo.svg
platforms:
  - web
categories:
  - e-participation
  - collaboration-platform
usedBy:
  - Stadt Mainz
  - Eine Stadt, die das nur behauptet
developmentStatus: stable
softwareType: "standalone/web"
intendedAudience:
  countries:
    - de
description:
  en:
    shortDescription: A participation platform for citizens.
    longDescription: >
      English text.
  de:
    genericName: Beteiligungsplattform
    shortDescription: >-
      Bürgerinnen und Bürger bringen Vorschläge ein, kommentieren Planungen und
      stimmen über Projekte ab.
    longDescription: |
      Die Plattform beruht auf **Decidim**, einer freien Software aus Barcelona.

      Sie wird vom Amt für Bürgerbeteiligung betrieben.
    features:
      - Vorschläge mit Kommentaren
      - Abstimmungen über Projekte
legal:
  license: AGPL-3.0-or-later
  mainCopyrightOwner: Stadt Mainz
  repoOwner: Stadt Mainz
maintenance:
  type: internal
  contacts:
    - name: Erika Musterfrau
      email: erika@mainz.example
localisation:
  localisationReady: true
  availableLanguages:
    - de
    - en
dependsOn:
  open:
    - name: PostgreSQL
      versionMin: "11"
"""


def test_a_real_world_file_fills_the_fields():
    fields = publiccode.parse(REAL_WORLD.encode())

    assert fields["title"] == "Beteiligungsplattform Mainz"
    assert fields["summary"].startswith("Bürgerinnen und Bürger bringen Vorschläge ein")
    assert "**Decidim**" in fields["description"]
    assert "- Abstimmungen über Projekte" in fields["description"]
    assert fields["stage"] == "operation"
    assert fields["repository_url"] == "https://github.com/stadt-mainz/beteiligung"
    assert fields["software_license"] == "AGPL-3.0-or-later"
    assert fields["software_version"] == "0.27.4"
    assert fields["links"] == "https://beteiligung.mainz.example"
    # the maintainers' names and addresses are not taken over
    assert "Erika" not in str(fields)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"name: [unclosed", "not valid YAML"),
        (b"- just\n- a list\n", "not a publiccode.yml"),
        (b"name: Ohne Version\n", "not a publiccode.yml"),
        (b"\xff\xfe\x00broken", "not UTF-8"),
        (b"a: " + b"x" * 300_000, "too large"),
        (b"publiccodeYmlVersion: '0.4'\nname: !!python/object/apply:os.system ['true']\n", "YAML"),
    ],
)
def test_bad_files_get_a_clear_message(raw, message):
    with pytest.raises(ProjectError, match=message):
        publiccode.parse(raw)


def test_export_round_trips_and_lists_verified_users_only(client):
    mainz = MemberContactFactory(municipality=MunicipalityFactory(name="Mainz", slug="mainz"))
    worms = MemberContactFactory(municipality=MunicipalityFactory(name="Worms", slug="worms"))
    speyer = MemberContactFactory(municipality=MunicipalityFactory(name="Speyer"))
    fields = publiccode.parse(REAL_WORLD)
    from members.models import Topic
    from tests.factories import TopicFactory

    topic = Topic.objects.first() or TopicFactory()
    project = profile_services.save_project(
        by=mainz.user,
        data=ProjectData(
            **fields, topics=[topic], field_of_action="participation", visibility="public"
        ),
    )
    profile_services.submit_project(project=project, by=mainz.user)
    profile_services.publish_project(project=project, by=CoordinatorFactory())
    confirmed = reuse_services.record_reuse(project=project, by=worms.user, stage="adopted")
    reuse_services.confirm_reuse(reuse=confirmed, by=mainz.user)
    reuse_services.record_reuse(project=project, by=speyer.user, stage="adopted")  # unconfirmed

    response = client.get(reverse("projects:publiccode_export", args=[project.slug]))

    assert response["Content-Type"].startswith("text/yaml")
    exported = yaml.safe_load(response.content)
    assert exported["usedBy"] == ["Mainz", "Worms"]
    again = publiccode.parse(response.content)
    for key in ("title", "summary", "stage", "repository_url", "software_license"):
        assert again[key] == fields[key], key
    assert again["software_version"] == "0.27.4"
    assert Reuse.objects.count() == 2


def test_only_public_software_profiles_are_exported(client):
    from tests.projects.factories import ProjectFactory, PublicProjectFactory

    internal = ProjectFactory(is_software=True)
    not_software = PublicProjectFactory()

    for project in (internal, not_software):
        url = reverse("projects:publiccode_export", args=[project.slug])
        assert client.get(url).status_code == 404


def test_member_imports_by_upload_and_sees_the_filled_form(client):
    member = MemberContactFactory()
    client.force_login(member.user)
    upload = SimpleUploadedFile("publiccode.yml", REAL_WORLD.encode(), "text/yaml")

    response = client.post(reverse("projects:publiccode_import"), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Beteiligungsplattform Mainz"' in page
    assert f'action="{reverse("projects:create")}"' in page


def test_pasted_text_that_is_not_yaml_is_kept_with_the_message(client):
    client.force_login(MemberContactFactory().user)

    response = client.post(reverse("projects:publiccode_import"), {"text": "name: [kaputt"})

    page = response.content.decode()
    assert "name: [kaputt" in page
    assert "not valid YAML" in page or "kein gültiges YAML" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("publiccodeYmlVersion: '0.4'\nname: Pegel\nreleaseDate: 2026-13-45\n", "2026-03-31"),
        ("publiccodeYmlVersion: '0.4'\nname: Pegel\nreleaseDate: 2026-02-30\n", "2026-03-31"),
        ("publiccodeYmlVersion: '0.4'\nname: Pegel\nlogo: !!float abc\n", "2026-03-31"),
        ("name: " + "[" * 5000, "YAML"),
    ],
)
def test_yaml_with_an_impossible_value_or_deep_nesting_gets_a_message(client, text, message):
    """PyYAML raises ValueError for an impossible date and RecursionError for deep nesting,
    not YAMLError: both were a 500."""
    client.force_login(MemberContactFactory().user)

    response = client.post(reverse("projects:publiccode_import"), {"text": text})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "is-invalid" in page or "alert" in page
