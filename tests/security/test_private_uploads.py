"""Private uploads never leave through the public media route, only through their views.

Application letters, circular attachments and slides are stored in the private storage
(``PRIVATE_MEDIA_ROOT``, random names). Every one of them is walked through the path
tricks that used to reach ``applications/`` past the old first-part check — as stored now,
and as a copy left at its old public place — and must answer 404 on ``/media/``.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from circulars.models import Circular, CircularAttachment, CircularRecipient
from ikone.storage import PUBLIC_MEDIA_PREFIXES, PrivateStorage
from meetings.models import AgendaItem, Meeting
from members import services
from members.models import MembershipApplication
from projects.models import ProjectDocument
from tests.circulars.factories import CircularFactory
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.members.helpers import application_data
from tests.pdfs import tiny_pdf
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LETTER = tiny_pdf(pages=2)
ATTACHMENT = tiny_pdf(pages=3)
SLIDES = tiny_pdf(pages=4)


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "logos").mkdir()
    (settings.MEDIA_ROOT / "logos" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def uploads(roots):
    """One of each private upload, stored the way the portal stores them."""
    application = services.submit_application(
        **application_data(),
        letter=SimpleUploadedFile("Antrag Neustadt.pdf", LETTER, "application/pdf"),
    )
    circular = CircularFactory(status=Circular.Status.SENT, sent_at=timezone.now())
    attachment = CircularAttachment.objects.create(
        circular=circular,
        file=SimpleUploadedFile("Programm Übersicht.pdf", ATTACHMENT, "application/pdf"),
    )
    item = AgendaItemFactory(meeting=MeetingFactory(is_public=False), title="Haushalt 2027 intern")
    item.slides.save("haushalt-intern.pdf", ContentFile(SLIDES), save=True)
    document = ProjectDocument(project=ProjectFactory(), title="Konzept")
    document.file.save("Konzept Laternen.pdf", ContentFile(SLIDES), save=True)
    return {
        "letter": application.letter,
        "attachment": attachment.file,
        "slides": item.slides,
        "project_document": document.file,
    }


def private_file_fields():
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
    }


def test_the_walk_covers_every_private_upload_field():
    """A new private file field must be added to the ``uploads`` fixture above."""
    assert private_file_fields() == {
        "members.MembershipApplication.letter",
        "circulars.CircularAttachment.file",
        "meetings.AgendaItem.slides",
        "projects.ProjectDocument.file",
    }


def test_every_other_upload_field_is_one_the_public_route_serves():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not isinstance(
                field.storage, PrivateStorage
            ):
                assert str(field.upload_to).split("/")[0] in PUBLIC_MEDIA_PREFIXES, field


def test_private_files_are_stored_outside_media_under_random_names(uploads, roots):
    media, private = roots
    for fieldfile in uploads.values():
        assert (private / fieldfile.name).is_file()
        assert not (media / fieldfile.name).exists()
        folder, name = fieldfile.name.split("/")
        assert len(name) == len("0123456789abcdef0123456789abcdef.pdf")
    assert "Antrag" not in uploads["letter"].name
    assert "Programm" not in uploads["attachment"].name
    assert "haushalt" not in uploads["slides"].name
    assert uploads["letter"].read() == LETTER


def test_private_files_have_no_url(uploads):
    for fieldfile in uploads.values():
        with pytest.raises(ValueError):
            fieldfile.url  # noqa: B018


def tricks(name: str) -> list[str]:
    """Ways to write ``/media/<name>`` that the old first-part check let through."""
    folder, rest = name.split("/", 1)
    encoded_slashes = name.replace("/", "%2F")
    return [
        f"/media/{name}",
        f"/media//{name}",
        f"/media///{name}",
        f"/media/%2F{name}",
        f"/media/%2f{encoded_slashes}",
        f"/media/./{name}",
        f"/media/x/../{name}",
        f"/media/logos/../{name}",
        f"/media/logos/./../{name}",
        f"/media/logos/%2e%2e/{name}",
        f"/media/logos/%2E%2E/{name}",
        f"/media/logos/.%2e/{name}",
        f"/media/logos/%252e%252e/{name}",
        f"/media/logos%2F..%2F{name}",
        f"/media/logos\\..\\{name}",
        f"/media/logos%5C..%5C{name}",
        f"/media/logos/..\\{folder}\\{rest}",
        f"/media/{folder.upper()}/{rest}",
        f"/media/{folder.capitalize()}/{rest}",
        f"/media/logos/../{folder.upper()}/{rest}",
        f"/media/{name}%00",
        f"/media/{name}%00.png",
        f"/media/{name}/",
        f"/media/{name}.",
    ]


def _copy_to_old_public_places(uploads, media):
    """Copies at the names the files had before, as if left behind by an old installation."""
    old = {
        "letter": "applications/antrag.pdf",
        "attachment": "circulars/0f1e2d3c4b5a69788796a5b4c3d2e1f0/programm.pdf",
        "slides": "meetings/slides/haushalt-intern.pdf",
    }
    for key, name in old.items():
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(uploads[key].open("rb").read())
        uploads[key].close()
    return old


@pytest.mark.parametrize("kind", ["letter", "attachment", "slides"])
def test_no_path_trick_reaches_a_private_upload_on_the_public_route(client, uploads, roots, kind):
    media, private = roots
    names = [uploads[kind].name, _copy_to_old_public_places(uploads, media)[kind]]
    leaks = []
    for name in names:
        for url in tricks(name):
            response = client.get(url)
            # 404, or 400 where the request itself is refused (a NUL byte in the path)
            if response.status_code not in (400, 404) or (
                response.status_code == 400 and "%00" not in url
            ):
                leaks.append(f"{url}: {response.status_code}")
    assert not leaks, "\n".join(leaks)
    # the public route itself still works
    assert client.get("/media/logos/a.png").status_code == 200


def test_private_root_inside_media_is_not_served_and_fails_the_check(client, settings, roots):
    """Misconfiguration: PRIVATE_MEDIA_ROOT inside MEDIA_ROOT is an error of `manage.py check`."""
    from ikone.checks import private_media_outside_media_root

    media, _private = roots
    settings.PRIVATE_MEDIA_ROOT = media / "logos" / "private"
    (media / "logos" / "private").mkdir()
    (media / "logos" / "private" / "brief.pdf").write_bytes(LETTER)

    assert client.get("/media/logos/private/brief.pdf").status_code == 404
    assert [error.id for error in private_media_outside_media_root()] == ["ikone.E001"]


def test_the_check_passes_with_separate_roots(roots):
    from ikone.checks import private_media_outside_media_root

    assert private_media_outside_media_root() == []


# --- The views that check who asks -------------------------------------------------------


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def people(db):
    a = MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    b = MunicipalityFactory(name="Trier", slug="trier")
    return {
        "member_a": MemberContactFactory(municipality=a),
        "member_b": MemberContactFactory(municipality=b),
        "coordinator": CoordinatorFactory(),
    }


def _client(client, people, role):
    if role != "anonymous":
        person = people[role]
        client.force_login(getattr(person, "user", person))
    return client


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("member_a", "login"), ("member_b", "login"), ("coordinator", 200)],
)
def test_application_letter_only_for_coordinators(client, uploads, people, role, expected):
    application = MembershipApplication.objects.get()
    url = reverse("admin:members_membershipapplication_letter", args=[application.pk])

    response = _client(client, people, role).get(url)

    if expected == "login":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == 200
        assert _body(response) == LETTER
        assert response["Content-Disposition"] == 'attachment; filename="antrag-07316000.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_without_permission_to_view_applications_gets_403(client, uploads):
    application = MembershipApplication.objects.get()
    staff = CoordinatorFactory(is_superuser=False)
    client.force_login(staff)
    url = reverse("admin:members_membershipapplication_letter", args=[application.pk])

    assert client.get(url).status_code == 403


def test_admin_change_form_links_the_letter_view_not_a_file_url(client, uploads, people):
    application = MembershipApplication.objects.get()
    client.force_login(people["coordinator"])

    response = client.get(
        reverse("admin:members_membershipapplication_change", args=[application.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    letter_url = reverse("admin:members_membershipapplication_letter", args=[application.pk])
    assert f'href="{letter_url}"' in content
    assert application.letter.name not in content


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("member_a", 200), ("member_b", 404), ("coordinator", 200)],
)
def test_circular_attachment_only_for_recipients_and_coordinators(
    client, uploads, people, role, expected
):
    attachment = CircularAttachment.objects.get()
    CircularRecipient.objects.create(circular=attachment.circular, contact=people["member_a"])
    url = reverse("circulars:attachment", args=[attachment.circular_id, attachment.pk])

    response = _client(client, people, role).get(url)

    if expected == "login":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == expected
    if expected == 200:
        assert _body(response) == ATTACHMENT
        assert "Programm%20%C3%9Cbersicht.pdf" in response["Content-Disposition"]


def test_attachment_of_a_draft_in_the_admin_for_coordinators(client, roots, people):
    draft = CircularFactory()
    attachment = CircularAttachment.objects.create(
        circular=draft, file=SimpleUploadedFile("entwurf.pdf", ATTACHMENT, "application/pdf")
    )
    url = reverse("admin:circulars_circular_attachment", args=[draft.pk, attachment.pk])

    assert _client(client, people, "member_a").get(url).status_code == 302
    client.logout()
    response = _client(client, people, "coordinator").get(url)
    assert response.status_code == 200
    assert _body(response) == ATTACHMENT
    # and the circular's admin page links it by its uploaded name, through that view
    page = client.get(reverse("admin:circulars_circular_change", args=[draft.pk])).content.decode()
    assert f'href="{url}"' in page
    assert "entwurf.pdf" in page


def _meeting_slides(**meeting):
    item = AgendaItemFactory(meeting=MeetingFactory(**meeting), title="Smarte Laternen")
    item.slides.save("folien.pdf", ContentFile(SLIDES), save=True)
    return item, reverse("meetings:slides", args=[item.meeting.slug, item.pk])


@pytest.mark.parametrize(
    ("meeting", "expected"),
    [
        ({}, {"anonymous": 200, "member_b": 200, "coordinator": 200}),
        ({"is_public": False}, {"anonymous": 404, "member_b": 200, "coordinator": 200}),
        ({"status": Meeting.Status.DRAFT}, {"anonymous": 404, "member_b": 404, "coordinator": 200}),
    ],
    ids=["public", "members-only", "draft"],
)
def test_slides_follow_the_visibility_of_their_meeting(client, roots, people, meeting, expected):
    item, url = _meeting_slides(**meeting)
    for role, status in expected.items():
        client.logout()
        response = _client(client, people, role).get(url)
        assert response.status_code == status, role
        if status == 200:
            assert _body(response) == SLIDES
            assert 'filename="folien-smarte-laternen.pdf"' in response["Content-Disposition"]


def test_slides_open_as_a_pdf_in_the_browser(client, roots):
    _item, url = _meeting_slides()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" not in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_meeting_page_links_the_slides_view(client, roots):
    item, url = _meeting_slides(start=timezone.now() + timedelta(days=3))

    content = client.get(item.meeting.get_absolute_url()).content.decode()

    assert f'href="{url}"' in content
    assert item.slides.name not in content


def test_slides_of_another_meeting_are_not_served_under_this_one(client, roots):
    item, _url = _meeting_slides()
    other = MeetingFactory()

    assert client.get(reverse("meetings:slides", args=[other.slug, item.pk])).status_code == 404


def test_a_missing_private_file_answers_404_not_500(client, roots, people):
    item, url = _meeting_slides()
    item.slides.storage.delete(item.slides.name)

    assert client.get(url).status_code == 404


def test_agenda_item_admin_shows_the_slides_link(client, roots, people):
    item, url = _meeting_slides()
    client.force_login(people["coordinator"])

    response = client.get(reverse("admin:meetings_agendaitem_change", args=[item.pk]))

    assert response.status_code == 200
    assert f'href="{url}"' in response.content.decode()
    assert AgendaItem.objects.get().slides.name not in response.content.decode()
