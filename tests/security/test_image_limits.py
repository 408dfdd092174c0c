"""Image uploads within bounded memory: refused from the header, JPEGs decoded reduced.

The memory figures come from a fresh Python process per image (its peak resident memory,
``VmHWM``, before and after ``clean_image``): Pillow's pixels are not Python objects,
so only the process can tell. The bounds are generous; what they catch is a full decode
(the issue's 6300 x 6300 PNG took ~420 MB, bench/images.py).
"""

import io
import json
import os
import subprocess
import sys
import textwrap
import threading
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ikone import uploads
from ikone.uploads import clean_image

ROOT = Path(__file__).resolve().parents[2]


def upload(data: bytes, name="bild"):
    return SimpleUploadedFile(name, data)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` and whose pixel data is missing."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"x") + chunk(b"IEND", b"")


def jpeg_declaring(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 7] = height.to_bytes(2, "big")
    data[sof + 7 : sof + 9] = width.to_bytes(2, "big")
    return bytes(data)


def encoded(size, mode="RGB", format="PNG", color="white") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=format)
    return out.getvalue()


# --- the limit is decided on the header --------------------------------------------------


def test_the_default_limit_is_what_a_logo_or_cover_needs(settings):
    assert settings.IKONE_MAX_IMAGE_PIXELS == 16_000_000


def test_an_oversized_png_is_refused_from_its_header_without_decoding_pixels():
    """The pixel data is missing: a decoder would fail with "not an image", the header
    check says "too many pixels" — so nothing was decoded."""
    with pytest.raises(ValidationError) as error:
        clean_image(upload(png_header_only(6300, 6300)))
    assert error.value.code == "too_many_pixels"


def test_a_small_png_with_missing_pixel_data_is_not_an_image():
    """The counterpart: within the limit, the same broken file is decoded and refused."""
    with pytest.raises(ValidationError) as error:
        clean_image(upload(png_header_only(300, 300)))
    assert error.value.code == "not_image"


@pytest.mark.parametrize(("width", "height"), [(65000, 65000), (9000, 8000), (64000, 1100)])
def test_a_jpeg_declaring_more_than_four_times_the_limit_is_refused(width, height):
    with pytest.raises(ValidationError) as error:
        clean_image(upload(jpeg_declaring(width, height)))
    assert error.value.code == "too_many_pixels"


def test_a_jpeg_too_narrow_to_be_decoded_reduced_must_be_within_the_limit_itself():
    # 1000 wide: no reduction possible for a 1600 px cover, so 20 MP would be decoded
    with pytest.raises(ValidationError) as error:
        clean_image(upload(jpeg_declaring(1000, 20_000)), max_width=1600)
    assert error.value.code == "too_many_pixels"


def test_the_message_names_the_limit(settings):
    settings.IKONE_MAX_IMAGE_PIXELS = 4_000_000
    from django.utils import translation

    with translation.override("de"), pytest.raises(ValidationError) as error:
        clean_image(upload(encoded((2100, 2000))))
    assert error.value.messages == [
        "Das Bild hat zu viele Pixel. Erlaubt sind höchstens 4 Megapixel (zum Beispiel "
        "2000 × 2000 Pixel). Bitte laden Sie ein kleineres Bild hoch."
    ]


def test_a_large_camera_jpeg_is_accepted_and_scaled_to_the_cover_width():
    """48 MP (three times the limit): decoded at a quarter of its width, then resized."""
    result = clean_image(upload(encoded((8000, 6000), format="JPEG", color="teal")), max_width=1600)

    image = Image.open(result)
    assert image.size == (1600, 1200)


def test_a_progressive_jpeg_must_be_within_the_limit_itself(settings):
    """It buffers every coefficient while decoding, reduced or not: no 4x allowance."""
    settings.IKONE_MAX_IMAGE_PIXELS = 1_000_000
    out = io.BytesIO()
    Image.new("RGB", (2000, 1000), "teal").save(out, format="JPEG", progressive=True)
    baseline = encoded((2000, 1000), format="JPEG", color="teal")

    with pytest.raises(ValidationError) as error:
        clean_image(upload(out.getvalue()), max_width=800)
    assert error.value.code == "too_many_pixels"
    assert Image.open(clean_image(upload(baseline), max_width=800)).size == (800, 400)


def test_a_palette_logo_is_reduced_band_by_band_without_seams_and_keeps_transparency():
    image = Image.new("P", (3300, 700), 1)
    image.putpalette([0, 0, 0, 11, 79, 108] + [0, 0, 0] * 254)
    image.paste(0, (0, 0, 1650, 700))
    image.info["transparency"] = 0
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)

    result = Image.open(clean_image(upload(out.getvalue()), max_width=800))

    assert result.size == (800, 170)
    assert result.mode == "RGBA"
    assert result.getpixel((100, 85))[3] == 0  # the transparent half
    assert result.getpixel((700, 85)) == (11, 79, 108, 255)
    # rows at the band boundaries (every 128 reduced rows before the final resize) match
    column = [result.getpixel((700, y)) for y in range(result.height)]
    assert set(column) == {(11, 79, 108, 255)}


# --- bounded concurrency -------------------------------------------------------------------


def test_an_upload_that_finds_no_free_slot_is_refused_as_busy(settings):
    settings.IKONE_IMAGE_CONCURRENCY = 1
    settings.IKONE_IMAGE_WAIT_SECONDS = 0.2
    slots = uploads._image_slots()
    assert slots.acquire(timeout=1)
    try:
        with pytest.raises(ValidationError) as error:
            clean_image(upload(encoded((40, 30))))
        assert error.value.code == "busy"
    finally:
        slots.release()
    assert clean_image(upload(encoded((40, 30)))).name.endswith(".jpg")


def test_uploads_wait_while_every_slot_is_taken_and_go_through_when_one_is_free(settings):
    """Both slots held elsewhere: four uploads in threads wait (none can finish), then all
    four go through once the slots are given back."""
    settings.IKONE_IMAGE_CONCURRENCY = 2
    settings.IKONE_IMAGE_WAIT_SECONDS = 60
    slots = uploads._image_slots()
    assert slots.acquire(timeout=1) and slots.acquire(timeout=1)
    results, errors = [], []
    data = encoded((1200, 900), format="JPEG")

    def work():
        try:
            results.append(clean_image(upload(data)).name)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=0.5)
    assert results == []  # nobody got past the semaphore while it was full
    slots.release()
    slots.release()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(results) == 4


def test_a_refused_image_gives_its_slot_back(settings):
    settings.IKONE_IMAGE_CONCURRENCY = 1
    settings.IKONE_IMAGE_WAIT_SECONDS = 0.2
    with pytest.raises(ValidationError):
        clean_image(upload(png_header_only(300, 300)))  # fails while decoding
    assert clean_image(upload(encoded((40, 30)))).name.endswith(".jpg")


# --- memory, measured in a process of its own ----------------------------------------------

CHILD = textwrap.dedent(
    """
    import json, os, resource, sys
    import django
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from ikone.uploads import clean_image

    def peak_kb():
        # VmHWM: this program's own peak (ru_maxrss would include the parent's at fork)
        try:
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    upload = SimpleUploadedFile("bild", open(sys.argv[1], "rb").read())
    before = peak_kb()
    try:
        clean_image(upload, max_width=int(sys.argv[2]))
        outcome = "accepted"
    except ValidationError as error:
        outcome = error.code
    after = peak_kb()
    print(json.dumps({"outcome": outcome, "growth_mb": (after - before) / 1024}))
    """
)


def peak_growth(tmp_path, data: bytes, max_width: int) -> dict:
    path = tmp_path / "bild.bin"
    path.write_bytes(data)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ikone.settings",
        "IKONE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "x-test-key-0123456789-abcdefghijklmnopqrstuv"),
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(max_width)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_issues_bomb_is_refused_and_memory_stays_low(tmp_path):
    bomb = encoded((6300, 6300))  # ~130 KB, 40 MP: about 420 MB when it was decoded
    figures = peak_growth(tmp_path, bomb, 1600)
    assert figures["outcome"] == "too_many_pixels"
    assert figures["growth_mb"] < 20, figures


def test_a_large_allowed_jpeg_is_processed_in_a_fraction_of_its_full_size(tmp_path):
    # 35 MP: fully decoded it needs 140 MB for its pixels alone; reduced, a sixteenth
    photo = encoded((7000, 5000), format="JPEG", color="teal")
    figures = peak_growth(tmp_path, photo, 1600)
    assert figures["outcome"] == "accepted"
    assert figures["growth_mb"] < 70, figures
