"""Cover images: re-encoded without EXIF, resized for srcset, bombs and huge files refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from news import services
from news.models import Post
from tests.factories import MemberContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def member():
    return MemberContactFactory().user


def jpeg_with_gps(width=2000, height=1200) -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    exif[0x8825] = {1: "N", 2: (49.0, 26.0, 40.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def save(member, **extra):
    data = {"title": "Mit Bild", "teaser": "Teaser", "body": "Text"}
    data.update(extra)
    return services.save_post(by=member, **data)


def test_exif_and_gps_are_removed(member):
    post = save(member, cover=jpeg_with_gps(), cover_alt="Blaue Fläche")
    with Image.open(post.cover_image.path) as stored:
        assert not stored.getexif()
        assert stored.width <= 1600


def test_resized_widths_for_srcset(member):
    post = save(member, cover=jpeg_with_gps(), cover_alt="Blaue Fläche")
    assert sorted(post.cover_renditions, key=int) == ["480", "960"]
    assert " 480w" in post.srcset and " 960w" in post.srcset


def test_missing_alt_text_is_refused(member):
    with pytest.raises(services.PostError) as error:
        save(member, cover=jpeg_with_gps(), cover_alt=" ")
    assert error.value.field == "cover_alt"
    assert not Post.objects.exists()


def test_decompression_bomb_is_refused(member, settings):
    settings.IKONE_MAX_IMAGE_PIXELS = 1_000_000
    with pytest.raises(services.PostError, match="too many pixels") as error:
        save(member, cover=jpeg_with_gps(2000, 1000), cover_alt="Bombe")
    assert error.value.field == "cover_image"


def test_fifty_megabyte_file_is_refused(member):
    upload = SimpleUploadedFile("gross.jpg", b"\xff\xd8" + b"0" * (50 * 1024 * 1024))
    with pytest.raises(services.PostError, match="too large"):
        save(member, cover=upload, cover_alt="Groß")


def test_a_file_that_is_not_an_image_is_refused(member):
    upload = SimpleUploadedFile("bild.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(services.PostError, match="JPEG, PNG"):
        save(member, cover=upload, cover_alt="Kein Bild")


def test_editor_keeps_what_was_typed_when_the_alt_text_is_missing(client, member):
    client.force_login(member)
    response = client.post(
        "/bereich/beitraege/neu/",
        {"kind": "news", "title": "Mein Titel", "teaser": "Mein Teaser", "body": "Mein Text",
         "cover_image": jpeg_with_gps(), "save": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mein Titel" in content and "Mein Text" in content
    assert "alternative text" in content or "Alternativtext" in content


def test_editor_shows_the_bomb_message_and_keeps_the_text(client, member, settings):
    settings.IKONE_MAX_IMAGE_PIXELS = 1_000_000
    client.force_login(member)
    response = client.post(
        "/bereich/beitraege/neu/",
        {"kind": "news", "title": "Mein Titel", "teaser": "Mein Teaser", "body": "Mein Text",
         "cover_image": jpeg_with_gps(2000, 1000), "cover_alt": "Ein Bild", "save": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["cover_image"] == [
        "The image has too many pixels. At most 1 megapixels are accepted (for example "
        "1000 × 1000 pixels). Please upload a smaller image."
    ]
    assert "Mein Text" in response.content.decode()
    assert not Post.objects.exists()
