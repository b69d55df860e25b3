"""Make a clean vector artefact look captured: paper photographed at a slight angle on a
table under uneven light, a phone screenshot's status bar, JPEG softness. (Sensor noise was
tried and dropped: it tripled the PNG size and the render time for little realism.)

Deterministic: every choice comes from the spec's style seed (`random.Random` seeded with a
string, which Python hashes the same way on every machine), and JPEG re-encoding is done by
the Pillow version the package pins.
"""

from __future__ import annotations

import io
import random
from collections.abc import Mapping, Sequence
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

from ksafe_pytest.dataset.fonts import font

PAPER = frozenset({"contract", "receipt", "flyer"})  # printed, photographed on a table
OUTDOOR = frozenset({"banner", "sign"})  # photographed where they hang
SCREEN = frozenset({"chat", "post"})  # phone screenshots
_TABLES = ("#8d6e63", "#a1887f", "#6d4c41", "#b0bec5", "#cfd8dc", "#9e9e9e", "#d7ccc8")


def rng_of(params: Mapping[str, Any]) -> random.Random:
    style = params.get("style") or {}
    return random.Random(f"realism/{style.get('seed', 0)}/{style.get('layout', 0)}")


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 unknowns: no numpy needed)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def perspective_coeffs(dst: Sequence[tuple[float, float]],
                       src: Sequence[tuple[float, float]]) -> list[float]:
    """Coefficients for `Image.transform(..., PERSPECTIVE)`: output point `dst[i]` samples
    input point `src[i]`."""
    a: list[list[float]] = []
    b: list[float] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return _solve(a, b)


def photographed(img: Image.Image, rng: random.Random, *, strength: float = 0.06,
                 background: str | None = None) -> Image.Image:
    """The artefact lying on a table (or hanging), seen slightly off-axis, with a shadow."""
    w, h = img.size
    margin = int(max(w, h) * 0.07)
    table = background or rng.choice(_TABLES)
    canvas = Image.new("RGB", (w + 2 * margin, h + 2 * margin), table)
    # the shadow is blurred at a quarter size and scaled up: the same soft edge, 10x cheaper
    small = (canvas.width // 4, canvas.height // 4)
    shadow = Image.new("L", small, 0)
    ImageDraw.Draw(shadow).rectangle(((margin + 6) // 4, (margin + 8) // 4,
                                      (margin + w + 6) // 4, (margin + h + 8) // 4), fill=90)
    shadow = shadow.filter(ImageFilter.GaussianBlur(2)).resize(canvas.size,
                                                               Image.Resampling.BILINEAR)
    canvas.paste(Image.new("RGB", canvas.size, "#000000"), mask=shadow)
    canvas.paste(img, (margin, margin))
    cw, ch = canvas.size
    corners = [(margin, margin), (margin + w, margin), (margin + w, margin + h),
               (margin, margin + h)]

    def jitter(p: tuple[int, int]) -> tuple[float, float]:
        dx = rng.uniform(-strength, strength) * w
        dy = rng.uniform(-strength, strength) * h
        return p[0] + dx, p[1] + dy

    moved = [jitter(p) for p in corners]
    coeffs = perspective_coeffs(moved, corners)
    out = canvas.transform((cw, ch), Image.Transform.PERSPECTIVE, coeffs,
                           resample=Image.Resampling.BILINEAR, fillcolor=table)
    return _light(out, rng)


def seen_from_below(img: Image.Image, rng: random.Random, strength: float = 0.05
                    ) -> Image.Image:
    """Something hanging in its own scene, photographed a little off-axis: the picture is
    warped in place, the scene's colour filling the edges."""
    w, h = img.size
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    moved = [(x + rng.uniform(-strength, strength) * w, y + rng.uniform(-strength, strength) * h)
             for x, y in corners]
    scene = img.getpixel((w // 2, 2))
    fill = scene if isinstance(scene, tuple) else "#c8d0d4"
    out = img.transform((w, h), Image.Transform.PERSPECTIVE, perspective_coeffs(corners, moved),
                        resample=Image.Resampling.BILINEAR, fillcolor=fill)
    return _light(out, rng)


def _light(img: Image.Image, rng: random.Random) -> Image.Image:
    """Uneven room light: a soft brightness gradient across the photo."""
    w, h = img.size
    gradient = Image.linear_gradient("L").resize((w, h))
    if rng.random() < 0.5:
        gradient = gradient.transpose(Image.Transpose.ROTATE_90).resize((w, h))
    dark = Image.new("RGB", (w, h), "#000000")
    return Image.composite(dark, img, gradient.point(lambda v: int(v * 0.16)))


def jpeg_soft(img: Image.Image, quality: int) -> Image.Image:
    """Re-encoded once as a shared photo or screenshot would be."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as decoded:
        return decoded.convert("RGB")


def status_bar(draw: ImageDraw.ImageDraw, width: int, rng: random.Random, *,
               fill: str = "#ffffff", ink: str = "#111111", clock: str | None = None) -> int:
    """A phone status bar (time, signal, battery) across the top; returns its height.
    `clock`: the time the screenshot shows (a chat's agrees with its last message)."""
    h = 26
    draw.rectangle((0, 0, width, h), fill=fill)
    shown = clock or f"{rng.randrange(24)}:{rng.randrange(60):02d}"
    draw.text((14, 5), shown, font=font(13), fill=ink)
    x = width - 16
    draw.rectangle((x - 24, 8, x, 18), outline=ink)  # battery
    draw.rectangle((x - 22, 10, x - 22 + rng.randrange(6, 21), 16), fill=ink)
    draw.rectangle((x, 11, x + 2, 15), fill=ink)
    for i in range(4):  # signal bars
        bx = x - 60 + i * 6
        draw.rectangle((bx, 18 - 3 * (i + 1), bx + 3, 18), fill=ink)
    draw.text((x - 92, 5), "LTE" if rng.random() < 0.5 else "5G", font=font(12), fill=ink)
    return h


def finish(kind: str, img: Image.Image, params: Mapping[str, Any]) -> Image.Image:
    """Apply what this artefact would look like once captured, decided by its style seed."""
    rng = rng_of(params)
    roll = rng.random()
    if kind in PAPER and roll < 0.55:
        img = photographed(img, rng)
        return jpeg_soft(img, rng.randrange(70, 88))
    if kind in OUTDOOR and roll < 0.45:
        img = seen_from_below(img, rng)
        return jpeg_soft(img, rng.randrange(70, 88))
    if rng.random() < 0.6:  # shared through a messenger: recompressed once
        return jpeg_soft(img, rng.randrange(75, 92))
    return img
