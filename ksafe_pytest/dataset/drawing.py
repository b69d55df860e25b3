"""The renderer registry and the drawing helpers that every renderer shares: wrapping,
fitting and placing text, palettes and layouts from a spec's style, and `artefact`, which
registers a culture-specific renderer whose drawing is then captured as a photo or a
screenshot. Renderer modules import this one; `images` looks them up here."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from PIL import Image, ImageDraw

from ksafe_pytest.dataset.fonts import font
from ksafe_pytest.dataset.realism import finish

Renderer = Callable[[Mapping[str, Any]], Image.Image]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[kind] = fn
        return fn

    return register


def wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int,
         lang: str = "ko") -> list[str]:
    """Greedy wrap: at spaces for Korean, anywhere for Japanese (no spaces)."""
    face = font(size, lang)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for ch in paragraph:
            trial = current + ch
            if current and draw.textlength(trial, font=face) > width:
                cut = current.rfind(" ")
                if cut > 0 and ch != " ":
                    lines.append(current[:cut])
                    current = current[cut + 1 :] + ch
                else:
                    lines.append(current.rstrip())
                    current = ch.lstrip()
            else:
                current = trial
        lines.append(current)
    return lines


# (background, ink, accent, soft) per palette
PALETTES: tuple[tuple[str, str, str, str], ...] = (
    ("#ffffff", "#1b1b1b", "#d32f2f", "#f3f3f3"),
    ("#fffdf5", "#222222", "#1565c0", "#eef3fb"),
    ("#f7fbf4", "#1d2b1d", "#2e7d32", "#e6f2e3"),
    ("#fff8f0", "#2b1d12", "#ef6c00", "#fde9d6"),
    ("#f5f5fa", "#1a1a2e", "#6a1b9a", "#ebe4f3"),
    ("#fbfbfb", "#111111", "#00897b", "#e0f2f1"),
    ("#fffff2", "#1f1f1f", "#f9a825", "#fff5cc"),
    ("#f4f7fb", "#10263b", "#0d47a1", "#dde8f6"),
)


def artefact(kind: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer of `kind` whose clean drawing is then captured (photographed at
    an angle, screenshot softness ...) as its style seed decides."""

    def register(fn: Renderer) -> Renderer:
        renderer(kind)(lambda params: finish(kind, fn(params), params))
        return fn

    return register


def _style(params: Mapping[str, Any]) -> tuple[tuple[str, str, str, str], int, random.Random, str]:
    style = params.get("style") or {}
    palette = PALETTES[int(style.get("palette", 0)) % len(PALETTES)]
    layout = int(style.get("layout", 0)) % 3
    return palette, layout, random.Random(int(style.get("seed", 0))), str(style.get("lang", "ko"))


def _lines(params: Mapping[str, Any]) -> list[str]:
    value = params.get("lines") or []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _fit(draw: ImageDraw.ImageDraw, text: str, start: int, width: int, floor: int = 16,
         lang: str = "ko") -> int:
    """Largest size from `start` down at which `text` fits one line of `width` pixels."""
    size = start
    while size > floor and draw.textlength(text, font=font(size, lang)) > width:
        size -= 2
    return size


def _text_block(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int,
                width: int, fill: str, *, center_width: int = 0, spacing: float = 1.3,
                lang: str = "ko") -> int:
    """Wrapped text from `xy`; returns the y below it. `center_width` centres each line."""
    x, y = xy
    face = font(size, lang)
    for line in wrap(draw, text, size, width, lang):
        lx = x + (center_width - int(draw.textlength(line, font=face))) // 2 if center_width else x
        draw.text((lx, y), line, font=face, fill=fill)
        y += int(size * spacing)
    return y


def _ink_on(fill: str) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"
