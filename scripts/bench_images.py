"""Benchmark of the image pipeline (not a test): seconds and peak memory to
turn one upload into its clean original and renditions.

    .venv/bin/python scripts/bench_images.py

For 12, 24 and 40 megapixels, as a JPEG photo and as an RGBA PNG, it makes
the file once (under var/bench/images/), then runs `articles.images.
render_image` on it in a fresh Python process, which reports the wall time
of the render and its peak resident memory above the process's baseline
(interpreter, Django, Pillow and the file's bytes already loaded), sampled
every 2 ms. One process per case, so that no case inherits another's
memory. Pillow releases the GIL while it decodes, resizes and encodes, so the
sampler keeps running.
"""

import io
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "images"
SIZES = {12: (4000, 3000), 24: (6000, 4000), 40: (7744, 5164)}


def make_source(megapixels, image_format):
    """A photo-like JPEG (gradients and fine noise) or an RGBA PNG (a
    transparent gradient with shapes, compressible enough to stay under the
    10 MB upload limit, like a large graphic)."""
    from PIL import Image, ImageDraw

    path = OUT / f"{megapixels}mp.{image_format.lower()}"
    if path.exists():
        return path
    width, height = SIZES[megapixels]
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.linear_gradient("L").rotate(90).resize((width, height))
    blue = Image.radial_gradient("L").resize((width, height))
    if image_format == "JPEG":
        noise = Image.effect_noise((width, height), 24).convert("L")
        image = Image.merge("RGB", (Image.blend(red, noise, 0.3), green, Image.blend(blue, noise, 0.2)))
        image.save(path, "JPEG", quality=88)
    else:
        alpha = Image.linear_gradient("L").rotate(45).resize((width, height))
        image = Image.merge("RGBA", (red, green, blue, alpha))
        draw = ImageDraw.Draw(image)
        for step in range(0, width, max(1, width // 40)):
            draw.ellipse(
                (step, step % height, step + width // 20, step % height + height // 20),
                fill=(255, 255, 255, 180),
            )
        image.save(path, "PNG", compress_level=6)
    return path


def resident_bytes():
    """This process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


class PeakSampler(threading.Thread):
    """Samples the resident memory every 2 ms and keeps the highest value:
    `ru_maxrss` would report the import of Django when it is higher."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = resident_bytes()
        self._stopped = threading.Event()

    def run(self):
        while not self._stopped.wait(0.002):
            self.peak = max(self.peak, resident_bytes())

    def stop(self):
        self._stopped.set()
        self.join()
        self.peak = max(self.peak, resident_bytes())


def measure(path):
    """In the child process: render once, print JSON with seconds and memory."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from articles.images import ImageSpec, render_image

    data = Path(path).read_bytes()
    baseline = resident_bytes()
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    rendered = render_image(io.BytesIO(data), ImageSpec(folder="bench"))
    seconds = time.perf_counter() - started
    sampler.stop()
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mib": round((sampler.peak - baseline) / 1024 / 1024),
                "file_mib": round(len(data) / 1024 / 1024, 1),
                "served": f"{rendered.width}×{rendered.height}",
                "renditions": len(rendered.renditions),
            }
        )
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    print("| source | file | seconds | peak memory above baseline | served original, renditions |")
    print("| --- | --- | --- | --- | --- |")
    for image_format in ("JPEG", "PNG"):
        for megapixels in SIZES:
            path = make_source(megapixels, image_format)
            child = subprocess.run(  # noqa: S603 (our own script, our own arguments)
                [sys.executable, __file__, "--measure", str(path)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
                env={**os.environ, "LOG_LEVEL": "WARNING"},
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
            label = f"{megapixels} MP {'JPEG' if image_format == 'JPEG' else 'PNG RGBA'}"
            print(
                f"| {label} | {result['file_mib']} MB | {result['seconds']} s | {result['peak_mib']} MB "
                f"| {result['served']}, {result['renditions']} |"
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(sys.argv[2])
    else:
        main()
