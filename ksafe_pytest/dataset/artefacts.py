"""Culture-specific artefacts drawn by code: banner, contract page, messenger chat, news
card, sign and receipt.

Every word drawn comes from the spec's params (title, lines, place, org, date, outlet), so
`ImageSpec.text_content()` reads what the image says; colours, layout and jitter come from
`params["style"]` (palette, layout, seed), which `text_content` skips. Same spec, same
pixels.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw

from ksafe_pytest.dataset.fonts import font
from ksafe_pytest.dataset.images import renderer, wrap

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


@renderer("banner")
def banner(params: Mapping[str, Any]) -> Image.Image:
    """A street banner (현수막): wide cloth with a slogan, hung between poles."""
    (_bg, ink, accent, _soft), layout, rng, lang = _style(params)
    w, h = 760, 260
    cloth = (accent, "#ffffff", ink)[layout] if layout != 1 else "#ffffff"
    text_ink = "#ffffff" if cloth in (accent, ink) else ink
    img = Image.new("RGB", (w, h), "#cfd8dc" if layout else "#b0bec5")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 14, h), fill="#616161")
    d.rectangle((w - 14, 0, w, h), fill="#616161")
    top = 24 + rng.randrange(0, 10)
    d.rectangle((24, top, w - 24, h - 24), fill=cloth, outline=accent, width=6)
    if layout == 1:
        d.rectangle((30, top + 6, 70, h - 30), fill=accent)
    title = str(params.get("title", ""))
    left = 90 if layout == 1 else 44
    inner = w - left - 44
    size = _fit(d, title, 50 - 4 * (layout == 2), inner, 26, lang=lang)
    y = _text_block(d, (left, top + 22), title, size, inner,
                    text_ink if layout != 1 else accent,
                    center_width=0 if layout == 1 else inner, lang=lang)
    for line in _lines(params)[:2]:
        s2 = _fit(d, line, 26, inner, 14, lang=lang)
        y = _text_block(d, (left, y + 6), line, s2, inner, text_ink,
                        center_width=0 if layout == 1 else inner, lang=lang)
    foot = " · ".join(str(params[k]) for k in ("place", "org") if params.get(k))
    if foot:
        d.text((left, h - 54), foot, font=font(16, lang), fill=text_ink)
    return img


@renderer("contract")
def contract(params: Mapping[str, Any]) -> Image.Image:
    """A document page: lease contract (임대차 계약서), certificate or notice. The page is
    as tall as its text, so short documents do not float in white space."""
    (bg, ink, accent, soft), layout, rng, lang = _style(params)
    w, canvas = 560, 1400
    img = Image.new("RGB", (w, canvas), "#e0e0e0")
    d = ImageDraw.Draw(img)
    tilt = rng.randrange(0, 8)
    page = (20 + tilt, 16, w - 20 + tilt // 2)
    d.rectangle((page[0], page[1], page[2], canvas), fill=bg)
    title = str(params.get("title", ""))
    size = _fit(d, title, 34, w - 120, 20, lang=lang)
    y = _text_block(d, (60, 52), title, size, w - 120, ink, center_width=w - 120, lang=lang)
    d.line((60, y + 6, w - 60, y + 6), fill=ink, width=2 if layout else 3)
    y += 26
    body = 19 + layout
    for i, line in enumerate(_lines(params), start=1):
        label = f"{i}. " if layout != 2 else "□ "
        if layout == 2:
            d.rectangle((56, y - 4, w - 56, y + body + 8), fill=soft)
        y = _text_block(d, (64, y), label + line, body, w - 128, ink, lang=lang) + 12
        if layout == 0:
            d.line((60, y - 4, w - 60, y - 4), fill="#cccccc")
    y += 36
    foot_top = y
    for key in ("date", "place", "org"):
        if params.get(key):
            d.text((64, y), str(params[key]), font=font(17, lang), fill=ink)
            y += 28
    cx, cy = w - 110, max(foot_top + 40, y - 40)
    d.ellipse((cx - 34, cy - 34, cx + 34, cy + 34), outline=accent, width=4)
    d.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), outline=accent, width=2)
    h = max(y, cy + 34) + 44
    img = img.crop((0, 0, w, h))
    d = ImageDraw.Draw(img)
    d.rectangle((0, h - 16, w, h), fill="#e0e0e0")
    d.rectangle((page[0], page[1], page[2], h - 16), outline="#9e9e9e")
    return img


@renderer("chat")
def chat(params: Mapping[str, Any]) -> Image.Image:
    """A messenger screen: room name on top, bubbles alternating sides."""
    (_bg, _ink, accent, soft), layout, rng, lang = _style(params)
    w, h = 420, 680
    screen = ("#b2c7d9", "#ffffff", "#eef1f4")[layout]
    img = Image.new("RGB", (w, h), screen)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 64), fill=("#a5bccf", accent, "#ffffff")[layout])
    head_ink = "#ffffff" if layout == 1 else "#111111"
    title = str(params.get("title", ""))
    d.text((52, 20), title, font=font(_fit(d, title, 22, w - 90, 14, lang), lang), fill=head_ink)
    d.text((18, 16), "‹", font=font(26, lang), fill=head_ink)
    y = 80
    if params.get("date"):
        date = str(params["date"])
        tw = int(d.textlength(date, font=font(13, lang)))
        d.rounded_rectangle(((w - tw) // 2 - 10, y, (w + tw) // 2 + 10, y + 22), 10,
                            fill="#9fb2c4")
        d.text(((w - tw) // 2, y + 3), date, font=font(13, lang), fill="#ffffff")
        y += 40
    mine = ("#fee500", accent, "#dcf8c6")[layout]
    mine_ink = "#ffffff" if layout == 1 else "#111111"
    size = 17
    for i, line in enumerate(_lines(params)):
        me = i % 2 == 1
        rows = wrap(d, line, size, 250, lang)
        bw = max(int(d.textlength(r, font=font(size, lang))) for r in rows) + 24
        bh = len(rows) * (size + 7) + 14
        if not me:
            d.ellipse((14, y, 50, y + 36), fill=("#8fa9c0", soft, "#c9d3dc")[layout])
            x0 = 60
        else:
            x0 = w - 16 - bw
        d.rounded_rectangle((x0, y, x0 + bw, y + bh), 12,
                            fill=mine if me else "#ffffff")
        ty = y + 8
        for r in rows:
            d.text((x0 + 12, ty), r, font=font(size, lang), fill=mine_ink if me else "#111111")
            ty += size + 7
        y += bh + 14 + rng.randrange(0, 6)
        if y > h - 90:
            break
    d.rectangle((0, h - 56, w, h), fill="#ffffff")
    d.rounded_rectangle((14, h - 44, w - 70, h - 12), 14, fill="#f1f1f1")
    d.ellipse((w - 56, h - 46, w - 18, h - 10), fill=mine)
    return img


@renderer("news")
def news(params: Mapping[str, Any]) -> Image.Image:
    """A news card as shared on social media: outlet, headline, summary bullets."""
    (bg, ink, accent, _soft), layout, _rng, lang = _style(params)
    w, h = 640, 460
    img = Image.new("RGB", (w, h), bg if layout != 2 else ink)
    d = ImageDraw.Draw(img)
    fg = ink if layout != 2 else "#ffffff"
    bar = 56
    d.rectangle((0, 0, w, bar), fill=accent)
    outlet = str(params.get("outlet", ""))
    if outlet:
        d.text((28, 14), outlet, font=font(24, lang), fill="#ffffff")
    if params.get("date"):
        date = str(params["date"])
        d.text((w - 28 - int(d.textlength(date, font=font(16, lang))), 20), date, font=font(16, lang),
               fill="#ffffff")
    title = str(params.get("title", ""))
    size = (36, 32, 34)[layout]
    y = _text_block(d, (32, bar + 28), title, size, w - 64, fg, lang=lang)
    if layout == 0:
        d.rectangle((32, y + 4, 120, y + 9), fill=accent)
    y += 24
    for line in _lines(params):
        d.ellipse((34, y + 9, 42, y + 17), fill=accent)
        y = _text_block(d, (54, y), line, 20, w - 96, fg, lang=lang) + 8
    foot = " · ".join(str(params[k]) for k in ("place", "org") if params.get(k))
    if foot:
        d.text((32, h - 40), foot, font=font(15, lang), fill=fg if layout == 2 else "#666666")
    return img


@renderer("sign")
def sign(params: Mapping[str, Any]) -> Image.Image:
    """A sign or map board: place name, directions, notices."""
    _palette, layout, rng, lang = _style(params)
    if layout == 2 and int((params.get("style") or {}).get("palette", 0)) % 2:
        return _map(params, rng, lang)
    w, h = 600, 400
    board = ("#1b5e20", "#0d47a1", "#4e342e")[layout]
    img = Image.new("RGB", (w, h), ("#cfe3f3", "#d7e7d0", "#e9e2d6")[rng.randrange(3)])
    d = ImageDraw.Draw(img)
    d.rectangle((w // 2 - 10, h - 60, w // 2 + 10, h), fill="#757575")
    d.rounded_rectangle((24, 20, w - 24, h - 50), 18, fill=board, outline="#ffffff", width=5)
    title = str(params.get("title", ""))
    size = _fit(d, title, 46, w - 110, 24, lang=lang)
    y = _text_block(d, (48, 40), title, size, w - 100, "#ffffff", center_width=w - 100, lang=lang)
    d.line((48, y + 4, w - 48, y + 4), fill="#ffffff", width=2)
    y += 20
    for line in _lines(params):
        if layout == 2:
            d.rectangle((48, y - 2, w - 48, y + 30), fill="#6d4c41")
        y = _text_block(d, (60, y), line, 22, w - 120, "#ffffff", lang=lang) + 10
    if params.get("org"):
        org = str(params["org"])
        d.text((w - 44 - int(d.textlength(org, font=font(14, lang))), h - 80), org,
               font=font(14, lang), fill="#e0e0e0")
    return img


def _map(params: Mapping[str, Any], rng: random.Random, lang: str) -> Image.Image:
    """The map variant of a sign: streets, a park, a river, a pin on the place, a legend."""
    w, h = 600, 420
    img = Image.new("RGB", (w, h), "#f1efe8")
    d = ImageDraw.Draw(img)
    d.rectangle((rng.randrange(20, 200), rng.randrange(20, 120), rng.randrange(260, 420),
                 rng.randrange(170, 260)), fill="#cfe8c4")  # park
    river = [(0, rng.randrange(190, 240))]
    for x in range(100, w + 100, 100):
        river.append((x, river[-1][1] + rng.randrange(-30, 31)))
    d.line(river, fill="#aad3f2", width=26)
    for _ in range(4):  # streets
        x = rng.randrange(40, w - 40)
        d.line((x, 0, x + rng.randrange(-60, 61), h), fill="#ffffff", width=rng.randrange(8, 16))
        y = rng.randrange(30, h - 30)
        d.line((0, y, w, y + rng.randrange(-40, 41)), fill="#ffffff", width=rng.randrange(8, 16))
    px, py = w // 2 + rng.randrange(-60, 61), 150 + rng.randrange(-30, 31)
    d.ellipse((px - 12, py - 30, px + 12, py - 6), fill="#e53935")
    d.polygon(((px - 9, py - 14), (px + 9, py - 14), (px, py + 4)), fill="#e53935")
    d.ellipse((px - 5, py - 23, px + 5, py - 13), fill="#ffffff")
    title = str(params.get("title", ""))
    size = _fit(d, title, 24, 280, 14, lang=lang)
    tw = int(d.textlength(title, font=font(size, lang)))
    lx = min(max(10, px - tw // 2), w - tw - 22)
    d.rounded_rectangle((lx - 8, py + 10, lx + tw + 8, py + 18 + size + 8), 8, fill="#ffffff",
                        outline="#9e9e9e")
    d.text((lx, py + 14), title, font=font(size, lang), fill="#111111")
    if params.get("place"):
        d.text((14, 10), str(params["place"]), font=font(16, lang), fill="#555555")
    lines = _lines(params)
    if lines:
        top = h - 16 - 30 * len(lines)
        d.rectangle((10, top - 8, w - 10, h - 10), fill="#ffffff", outline="#bdbdbd")
        y = top
        for line in lines:
            d.text((22, y), line, font=font(18, lang), fill="#222222")
            y += 30
    return img


@renderer("receipt")
def receipt(params: Mapping[str, Any]) -> Image.Image:
    """A receipt or product label: store, items with prices, totals; as long as its items."""
    _palette, layout, _rng, lang = _style(params)
    w, canvas = 380, 1400
    backdrop = ("#d7ccc8", "#cfd8dc", "#e0e0e0")[layout]
    img = Image.new("RGB", (w, canvas), backdrop)
    d = ImageDraw.Draw(img)
    x0, x1 = 30, w - 30
    d.rectangle((x0, 18, x1, canvas), fill="#fffffa")
    title = str(params.get("title", ""))
    y = _text_block(d, (x0 + 16, 40), title, _fit(d, title, 26, x1 - x0 - 32, 16, lang=lang),
                    x1 - x0 - 32, "#111111", center_width=x1 - x0 - 32, lang=lang)
    for key in ("place", "date"):
        if params.get(key):
            y = _text_block(d, (x0 + 16, y + 2), str(params[key]), 14, x1 - x0 - 32,
                            "#444444", center_width=x1 - x0 - 32, lang=lang)
    y += 8
    def rule(y: int) -> int:
        for x in range(x0 + 12, x1 - 12, 8):  # dashed (layout 1: double) separator
            d.line((x, y + 8, x + 4, y + 8), fill="#777777")
            if layout == 1:
                d.line((x, y + 11, x + 4, y + 11), fill="#777777")
        return y + 22

    y = rule(y)
    face = font(17, lang)
    for line in _lines(params):
        if "  " in line:
            name, price = line.rsplit("  ", 1)
            d.text((x0 + 16, y), name.strip(), font=face, fill="#111111")
            d.text((x1 - 16 - int(d.textlength(price, font=face)), y), price, font=face,
                   fill="#111111")
            y += 28
        else:
            y = _text_block(d, (x0 + 16, y), line, 17, x1 - x0 - 32, "#111111", lang=lang) + 6
    y = rule(y + 4)
    if params.get("org"):
        y = _text_block(d, (x0 + 16, y + 6), str(params["org"]), 14, x1 - x0 - 32, "#444444",
                        lang=lang)
    y += 24
    for i in range(24):  # barcode
        bx = x0 + 60 + i * 9
        d.rectangle((bx, y, bx + (2 + (i * 7 + layout) % 3), y + 40), fill="#111111")
    h = y + 80
    img = img.crop((0, 0, w, h))
    d = ImageDraw.Draw(img)
    d.rectangle((0, h - 18, w, h), fill=backdrop)
    for x in range(x0, x1, 12):  # torn bottom edge
        d.polygon(((x, h - 18), (x + 6, h - 10), (x + 12, h - 18)), fill="#fffffa")
    return img


def kinds() -> Sequence[str]:
    """The artefact kinds this module draws."""
    return ("banner", "contract", "chat", "news", "sign", "receipt", "post", "flyer")


@lru_cache(maxsize=8)
def _notdef(lang: str) -> tuple[tuple[int, int], bytes]:
    mask = font(24, lang).getmask("\U0010fffd")  # a private-use code point: never in a font
    return mask.size, bytes(mask)


def missing_glyphs(text: str, lang: str = "ko") -> list[str]:
    """Characters the font would draw as tofu (the .notdef box): a quality check, since
    Pillow draws a missing glyph silently."""
    face = font(24, lang)
    notdef = _notdef(lang)
    missing: list[str] = []
    for ch in sorted(set(text)):
        if ch.isspace() or ch in missing:
            continue
        mask = face.getmask(ch)
        if (mask.size, bytes(mask)) == notdef:
            missing.append(ch)
    return missing
