"""Issue 10 figures: peak memory of one image upload through ``ikone.uploads.clean_image``.

Each case runs in a fresh Python process (Django set up, the file's bytes already read), so
its peak resident memory (``ru_maxrss``) is that of the image work alone; the figure is the
growth of the peak (``VmHWM``) while ``clean_image`` runs. Pillow allocates pixels outside
Python's allocator, so ``tracemalloc`` would not see them; the peak RSS does.

    .venv/bin/python -m bench.images [--cases bomb-png,jpeg-24mp,...]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import BENCH_VAR, ROOT

VAR = BENCH_VAR / "images"


def _png(size, mode="RGB") -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    for step in range(0, min(size), max(1, min(size) // 40)):
        draw.rectangle((step, step, step + 40, step + 40), fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _jpeg(size, *, progressive=False) -> bytes:
    from PIL import Image

    # a gradient with noise, a few MB like a camera photo: the decoder has real work to do
    gradient = Image.linear_gradient("L").resize(size)
    bands = [
        Image.blend(gradient, Image.effect_noise(size, 15 + 5 * band), 0.3) for band in range(3)
    ]
    image = Image.merge("RGB", bands)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, progressive=progressive)
    return out.getvalue()


def _jpeg_declaring(size) -> bytes:
    """A small JPEG whose header (SOF0) declares ``size``: its pixels are never there."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 7] = size[1].to_bytes(2, "big")
    data[sof + 7 : sof + 9] = size[0].to_bytes(2, "big")
    return bytes(data)


# name -> (what, how to make the file, max_width of clean_image)
CASES = {
    "bomb-png": (
        "PNG 6300x6300 (the issue's bomb, 40 MP)",
        lambda: _png((6300, 6300)),
        1600,
    ),
    "png-16mp": ("PNG 4000x4000 (16 MP, cover)", lambda: _png((4000, 4000)), 1600),
    "png-16mp-logo": ("PNG 4000x4000 palette (16 MP, logo)", lambda: _png((4000, 4000), "P"), 800),
    "jpeg-24mp": ("JPEG 6000x4000 (24 MP camera photo, cover)", lambda: _jpeg((6000, 4000)), 1600),
    "jpeg-48mp": ("JPEG 8000x6000 (48 MP phone photo, cover)", lambda: _jpeg((8000, 6000)), 1600),
    "jpeg-48mp-progressive": (
        "JPEG 8000x6000 progressive (48 MP)",
        lambda: _jpeg((8000, 6000), progressive=True),
        1600,
    ),
    "jpeg-16mp-progressive": (
        "JPEG 4000x4000 progressive (16 MP)",
        lambda: _jpeg((4000, 4000), progressive=True),
        1600,
    ),
    "jpeg-header-65k": (
        "JPEG declaring 65000x65000 in its header",
        lambda: _jpeg_declaring((65000, 65000)),
        1600,
    ),
}


def _maxrss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    ``VmHWM`` (Linux) belongs to this program's own address space; ``ru_maxrss`` would
    also count what the parent process had resident when it started this one.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child(path: str, max_width: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikone.settings")
    os.environ.setdefault("IKONE_VAR_DIR", str(VAR))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ikone.uploads import clean_image

    upload = SimpleUploadedFile("bild", Path(path).read_bytes())
    before = _maxrss_mb()
    started = time.perf_counter()
    try:
        result = clean_image(upload, max_width=max_width)
        outcome = f"accepted, {len(result.read()) // 1024} KB"
    except ValidationError as error:
        outcome = f"refused ({error.code})"
    seconds = time.perf_counter() - started
    after = _maxrss_mb()
    print(json.dumps({"outcome": outcome, "growth": after - before, "seconds": seconds}))


def run(names: list[str], repeat: int) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    print(f"peak RSS growth per case: median (min-max) of {repeat} fresh processes")
    print(f"{'case':<45} {'file':>8}  {'outcome':<26} {'peak RSS growth':>20} {'time':>7}")
    for name in names:
        what, make, max_width = CASES[name]
        path = VAR / f"{name}.bin"
        if not path.exists():
            path.write_bytes(make())
        runs = []
        for _round in range(repeat):
            result = subprocess.run(
                [sys.executable, "-m", "bench.images", "--child", str(path), str(max_width)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
        growth = sorted(figures["growth"] for figures in runs)
        seconds = sorted(figures["seconds"] for figures in runs)
        spread = f"{growth[len(growth) // 2]:.0f} ({growth[0]:.0f}-{growth[-1]:.0f}) MB"
        print(
            f"{what:<45} {path.stat().st_size // 1024:>5} KB  {runs[0]['outcome']:<26}"
            f" {spread:>20} {seconds[len(seconds) // 2]:>6.2f}s",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("PATH", "MAX_WIDTH"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
    else:
        run(args.cases.split(","), args.repeat)
