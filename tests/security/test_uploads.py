"""Uploads: the type comes from the content, metadata is stripped, nothing is served as HTML."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from ikone.uploads import clean_image, validate_pdf
from tests.pdfs import tiny_pdf


def jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Inc."  # Make
    exif[0x8825] = {2: (49, 26, 0)}  # GPS info
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    data = out.getvalue()
    # an XMP packet in an APP1 segment right after SOI
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Creator: Erika</x:xmpmeta>"
    segment = b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp
    return data[:2] + segment + data[2:]


def upload(data: bytes, name="bild.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_reencoded_image_has_no_exif_gps_xmp_or_comment():
    raw = jpeg_with_metadata()
    assert b"Spy Camera" in raw and b"xmpmeta" in raw and b"secret comment" in raw

    cleaned = clean_image(upload(raw)).read()

    assert b"Spy Camera" not in cleaned
    assert b"xmpmeta" not in cleaned
    assert b"secret comment" not in cleaned
    reopened = Image.open(io.BytesIO(cleaned))
    assert not reopened.getexif()
    assert reopened.size == (40, 30)


def test_cleaned_image_gets_a_random_name_not_the_uploaded_one():
    first = clean_image(upload(jpeg_with_metadata(), name="../../etc/passwd.jpg"))
    second = clean_image(upload(jpeg_with_metadata(), name="../../etc/passwd.jpg"))

    assert "passwd" not in first.name
    assert first.name != second.name
    assert first.name.endswith(".jpg")


def test_svg_is_refused_even_when_named_and_typed_as_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    with pytest.raises(ValidationError) as error:
        clean_image(upload(svg, name="logo.png", content_type="image/png"))
    assert error.value.code == "not_image"


def test_html_disguised_as_jpeg_is_refused():
    with pytest.raises(ValidationError):
        clean_image(upload(b"<html><script>alert(1)</script></html>"))


def test_formats_outside_the_explicit_list_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")

    with pytest.raises(ValidationError) as error:
        clean_image(upload(out.getvalue(), name="bild.bmp"))
    assert error.value.code == "not_image"


def test_decompression_bomb_is_refused_by_pixel_count(settings):
    settings.IKONE_MAX_IMAGE_PIXELS = 10_000
    out = io.BytesIO()
    Image.new("1", (2000, 2000)).save(out, format="PNG")  # tiny file, 4 million pixels

    with pytest.raises(ValidationError) as error:
        clean_image(upload(out.getvalue(), name="bombe.png", content_type="image/png"))
    assert error.value.code == "too_many_pixels"


def test_oversized_file_is_refused(settings):
    settings.IKONE_MAX_UPLOAD_BYTES = 100

    with pytest.raises(ValidationError) as error:
        clean_image(upload(jpeg_with_metadata()))
    assert error.value.code == "too_large"


def pdf_upload(data: bytes, name="antrag.pdf", content_type="application/pdf"):
    return upload(data, name=name, content_type=content_type)


def test_pdf_check_looks_at_the_content():
    with pytest.raises(ValidationError):
        validate_pdf(upload(b"<html></html>", name="antrag.pdf", content_type="application/pdf"))
    validate_pdf(upload(tiny_pdf(), name="whatever.bin", content_type="text/html"))


def test_a_real_pdf_of_several_pages_is_accepted():
    validate_pdf(pdf_upload(tiny_pdf(pages=3)))


@pytest.mark.parametrize(
    "data",
    [
        # HTML that merely mentions the PDF header in its first kilobyte
        b"<html><body>%PDF-1.4 <script>alert(document.cookie)</script></body></html>",
        # only the header and the end marker, nothing that opens
        b"%PDF-1.4\n%%EOF\n",
        b"%PDF-1.7\n" + b"0" * 5000,
        # a real PDF behind an HTML prefix: a browser sniffs HTML, a lenient reader a PDF
        b"<html><script>alert(1)</script></html>\n" + tiny_pdf(),
        # a real PDF cut off in the middle
        tiny_pdf()[:200],
    ],
    ids=["html-polyglot", "header-only", "header-and-junk", "html-prefixed-pdf", "truncated"],
)
def test_what_does_not_open_as_a_pdf_is_refused(data):
    with pytest.raises(ValidationError) as error:
        validate_pdf(pdf_upload(data))
    assert error.value.code == "not_pdf"


def test_a_pdf_that_needs_a_password_to_be_read_is_refused_with_its_own_message():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_pdf(pdf_upload(tiny_pdf(user_password="geheim")))
    assert error.value.code == "pdf_encrypted"
    assert "password" in error.value.messages[0]


def test_a_pdf_with_only_an_owner_password_opens_and_is_accepted():
    """Restrictions on printing or editing (common for signed letters) do not hide the text."""
    validate_pdf(pdf_upload(tiny_pdf(user_password="", owner_password="amt")))


def test_the_ten_megabyte_limit_still_holds_for_pdfs(settings):
    settings.IKONE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    data = tiny_pdf() + b"%" + b"0" * (10 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        validate_pdf(pdf_upload(data))
    assert error.value.code == "too_large"


# --- Serving uploads ------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "applications").mkdir()
    return tmp_path


@pytest.mark.django_db
def test_uploaded_html_is_served_as_a_download_never_as_a_page(client, media):
    (media / "logos" / "evil.html").write_bytes(b"<script>alert(1)</script>")

    response = client.get("/media/logos/evil.html")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_uploaded_svg_is_not_rendered_inline(client, media):
    (media / "logos" / "logo.svg").write_bytes(b"<svg><script>alert(1)</script></svg>")

    response = client.get("/media/logos/logo.svg")

    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.django_db
def test_images_are_served_inline_with_a_sandboxing_policy(client, media):
    (media / "logos" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    response = client.get("/media/logos/a.png")

    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.django_db
def test_application_letters_are_not_reachable_through_media_urls(client, media):
    (media / "applications" / "antrag.pdf").write_bytes(b"%PDF-1.4")

    assert client.get("/media/applications/antrag.pdf").status_code == 404


@pytest.mark.django_db
def test_path_traversal_out_of_media_is_refused(client, media):
    assert client.get("/media/../settings.py").status_code in (400, 404)
    assert client.get("/media/logos/%2e%2e/%2e%2e/etc/passwd").status_code in (400, 404)
