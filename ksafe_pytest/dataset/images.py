"""Images rendered on demand from a sample's spec, deterministic, cached by spec hash.

Renderers register by kind; the build pipeline adds the culture-specific artefacts.
"""

from __future__ import annotations

import base64
import io
from collections import OrderedDict
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, UnidentifiedImageError

from ksafe_pytest.dataset.drawing import RENDERERS, renderer, wrap
from ksafe_pytest.dataset.fonts import font
from ksafe_pytest.errors import DatasetError
from ksafe_pytest.fileio import write_atomic
from ksafe_pytest.records import ImageSpec

RENDER_VERSION = "9"  # bump when any renderer draws differently
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 4096 * 4096


@renderer("typographic")
def typographic(params: Mapping[str, Any]) -> Image.Image:
    """Key phrase in large type, as in typographic multimodal attacks (FigStep-style)."""
    style = params.get("style") or {}  # colours live under "style": not words on the image
    size = int(params.get("size", 512))
    background = style.get("background", params.get("background", "#ffffff"))
    color = style.get("color", params.get("color", "#111111"))
    image = Image.new("RGB", (size, size), str(background))
    draw = ImageDraw.Draw(image)
    if not params.get("lines"):
        return _poster(image, draw, params, str(color))
    y = 40
    title = str(params.get("title", ""))
    if title:
        for line in wrap(draw, title, 28, size - 80):
            draw.text((40, y), line, font=font(28), fill="#555555")
            y += 38
        y += 16
    for line in wrap(draw, str(params.get("text", "")), 44, size - 80):
        draw.text((40, y), line, font=font(44), fill=str(color))
        y += 58
    y += 20
    for item in params.get("lines") or ():  # e.g. empty numbered steps, FigStep-style
        for line in wrap(draw, str(item), 34, size - 100):
            draw.text((60, y), line, font=font(34), fill=str(color))
            y += 46
    return image


def _poster(image: Image.Image, draw: ImageDraw.ImageDraw, params: Mapping[str, Any],
            color: str) -> Image.Image:
    """Title small on top, the key phrase large in the middle (the G image)."""
    size = image.width
    title = str(params.get("title", ""))
    y = 36
    for line in wrap(draw, title, 26, size - 72):
        draw.text((36, y), line, font=font(26), fill="#555555")
        y += 34
    draw.line((36, y + 8, size - 36, y + 8), fill=color, width=3)
    phrase = str(params.get("text", ""))
    px = 60
    while px > 30 and len(wrap(draw, phrase, px, size - 80)) > 3:
        px -= 4
    rows = wrap(draw, phrase, px, size - 80)
    top = max(y + 40, (size - len(rows) * int(px * 1.3)) // 2)
    for row in rows:
        width = int(draw.textlength(row, font=font(px)))
        draw.text(((size - width) // 2, top), row, font=font(px), fill=color)
        top += int(px * 1.3)
    return image


def _load_file(path: str) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise DatasetError(f"cannot read image: {exc.strerror}", path=path) from None
    if size > MAX_IMAGE_BYTES:
        raise DatasetError(f"image is {size} bytes, over the {MAX_IMAGE_BYTES} limit", path=path)
    return to_png(p.read_bytes(), path)


def image_file_problem(path: str) -> str | None:
    """Why an image file cannot be used, from its header and its data's integrity (fast
    enough to check every file of a dataset when it loads: nothing is decoded); None when
    it looks fine."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        return f"cannot read image {path}: {exc.strerror}"
    if size > MAX_IMAGE_BYTES:
        return f"image {path} is {size} bytes, over the {MAX_IMAGE_BYTES} limit"
    try:
        with Image.open(p) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return f"image {path} is {img.width}x{img.height}, over the pixel limit"
            img.verify()  # a truncated or corrupt file fails here, before any request
    except Image.DecompressionBombError:
        return f"image {path} claims too many pixels to decode safely (a decompression bomb?)"
    except UnidentifiedImageError:
        return f"{path} is not an image Pillow can read"
    except SyntaxError as exc:  # what PIL's verify() raises for broken data
        return f"image {path} is damaged or truncated ({exc})"
    except OSError as exc:
        return f"cannot read image {path}: {exc.strerror or exc}"
    return None


def to_png(data: bytes, where: str) -> bytes:
    """Check an image decodes and is not huge, and re-encode it as PNG."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise DatasetError(f"image is {img.width}x{img.height}, over the pixel limit",
                                   path=where)
            img.load()
            if img.format == "PNG":
                return data
            out = io.BytesIO()
            img.convert("RGB").save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DatasetError(f"broken or unsupported image ({exc})", path=where) from None


class ImageCache:
    """PNG bytes by spec hash: in memory (bounded LRU) and optionally on disk."""

    def __init__(self, directory: Path | None = None, max_items: int = 256) -> None:
        self.directory = directory
        self.max_items = max_items
        self._memory: OrderedDict[str, bytes] = OrderedDict()

    def png(self, spec: ImageSpec) -> bytes:
        key = spec.key
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        data = self._from_disk(key)
        if data is None:
            data = render_png(spec)
            self._to_disk(key, data)
        self._memory[key] = data
        if len(self._memory) > self.max_items:
            self._memory.popitem(last=False)
        return data

    def _from_disk(self, key: str) -> bytes | None:
        if self.directory is None:
            return None
        path = self.directory / key[:2] / f"{key}.png"
        return path.read_bytes() if path.exists() else None

    def _to_disk(self, key: str, data: bytes) -> None:
        if self.directory is None:
            return
        write_atomic(self.directory / key[:2] / f"{key}.png", data)  # xdist-safe


def render_png(spec: ImageSpec) -> bytes:
    if spec.file:
        return _load_file(spec.file)
    _load_plugins()
    draw = RENDERERS.get(spec.kind)
    if draw is None:
        raise DatasetError(f"unknown image kind {spec.kind!r}; known: "
                           f"{', '.join(sorted(RENDERERS))}", field="image.kind")
    out = io.BytesIO()
    # compress_level 1: ~3x faster than the default and these images are small anyway
    draw(spec.params).save(out, format="PNG", compress_level=1)
    return out.getvalue()


@cache
def image_kinds() -> frozenset[str]:
    """Every image kind a spec may name (the renderers, the culture-specific ones too)."""
    _load_plugins()
    return frozenset(RENDERERS)


def _load_plugins() -> None:
    """Import the modules that register more renderers (the culture-specific artefacts)."""
    try:
        import ksafe_pytest.dataset.artefacts
        import ksafe_pytest.dataset.artefacts_print  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name not in ("ksafe_pytest.dataset.artefacts",
                            "ksafe_pytest.dataset.artefacts_print"):
            raise


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_id() -> str:
    """Everything besides the spec that decides the image bytes."""
    from importlib.metadata import PackageNotFoundError, version

    import PIL

    try:
        ja = f"+jp-{version('pylopdf-fonts-jp')}"  # the Japanese pilot's images
    except PackageNotFoundError:
        ja = ""
    return (f"render@{RENDER_VERSION}/pillow-{PIL.__version__}/"
            f"font-{version('pylopdf-fonts-ko')}{ja}")
