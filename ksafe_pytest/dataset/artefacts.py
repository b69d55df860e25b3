"""Culture-specific artefacts drawn by code: banner, contract page, messenger chat, news
card, sign and receipt.

Every word drawn comes from the spec's params (title, lines, place, org, date, outlet), so
`ImageSpec.text_content()` reads what the image says; colours, layout and jitter come from
`params["style"]` (palette, layout, seed), which `text_content` skips. Same spec, same
pixels.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw

from ksafe_pytest.dataset.artefacts_print import wall_notice
from ksafe_pytest.dataset.drawing import (
    _fit,
    _ink_on,
    _lines,
    _style,
    _text_block,
    artefact,
    wrap,
)
from ksafe_pytest.dataset.fonts import font
from ksafe_pytest.dataset.realism import status_bar


@artefact("banner")
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


# a line that brings its own number or mark keeps it (no "1. 특약 1.")
# (a bullet mark is followed by a space: ○○○ is a name, not a bullet)
_NUMBERED = re.compile(r"^\s*(\d+[.)]|[①-⑳]|제\s*\d+\s*조|[□■○●•\-※](?=\s)|특약\s*\d)")
# a signature, party or date line is not a clause: it gets no number either
_UNNUMBERED = re.compile(
    r"서명|\(인\)|날인|_{3,}|^\s*(갑|을|임대인|임차인|약정인|계약자|작성자|확인자|신청인|"
    r"보호자|대표|대리인|증인|담당자?|일자|날짜|작성일)\s*[:：]")


def clause_labels(lines: Sequence[str], layout: int = 0) -> list[str]:
    """The number (or box) drawn before each line: clauses are counted among themselves;
    a line with its own number or mark, and a signature, party or date line, get none."""
    labels, clause = [], 0
    for line in lines:
        if _NUMBERED.match(line) or _UNNUMBERED.search(line):
            labels.append("")
        else:
            clause += 1
            labels.append(f"{clause}. " if layout != 2 else "□ ")
    return labels


@artefact("contract")
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
    for label, line in zip(clause_labels(_lines(params), layout), _lines(params), strict=True):
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


_ME = ("나:", "나 :", "나：")
_THEM = ("상대:", "상대 :", "상대：")
_SYSTEM = ("시스템:", "시스템 :", "시스템：")  # the app's own notice: ○○님이 나갔습니다


def chat_turns(lines: Sequence[str]) -> list[tuple[bool | None, str]]:
    """(mine, words) per line. `나: ` lines are the user's own (right), `상대: ` the other
    party's (left), `시스템: ` the app's notice (mine None: centred, no bubble); without any
    prefix (older specs) the turns alternate, other first."""
    prefixed = any(line.startswith(_ME + _THEM + _SYSTEM) for line in lines)
    turns: list[tuple[bool | None, str]] = []
    for i, line in enumerate(lines):
        if not prefixed:
            turns.append((i % 2 == 1, line))
            continue
        marks: tuple[tuple[tuple[str, ...], bool | None], ...] = (
            (_ME, True), (_THEM, False), (_SYSTEM, None))
        for mark, mine in marks:
            head = next((m for m in mark if line.startswith(m)), None)
            if head:
                turns.append((mine, line[len(head):].strip()))
                break
        else:
            turns.append((False, line))
    return turns


def chat_clock(turns: int, rng: random.Random) -> tuple[list[int], int]:
    """Minutes since midnight of each message, moving forward, and the screenshot's time
    (the status bar): at or after the last message, the same day."""
    start = rng.randrange(7 * 60, 23 * 60 - 30)
    stamps = [min(start + m, 23 * 60 + 59)
              for m in itertools.accumulate(rng.randrange(0, 4) for _ in range(turns))]
    now = min((stamps[-1] if stamps else start) + rng.randrange(0, 3), 23 * 60 + 59)
    return stamps, now


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def chat_colours(layout: int, accent: str) -> tuple[str, str, str]:
    """(screen, the user's bubble, the other party's bubble) for a chat layout."""
    screen = ("#b2c7d9", "#ffffff", "#eef1f4")[layout]
    return screen, accent, "#ffffff" if screen != "#ffffff" else "#ececec"


@artefact("chat")
def chat(params: Mapping[str, Any]) -> Image.Image:
    """A messenger screenshot: status bar, the room or contact name, then bubbles: the
    user's own (`나: `) right in the accent colour, the other party's left in a light
    bubble that always stands out from the screen."""
    (_bg, _ink, accent, soft), layout, rng, lang = _style(params)
    w, h = 420, 700
    screen, accent, theirs = chat_colours(layout, accent)
    img = Image.new("RGB", (w, h), screen)
    d = ImageDraw.Draw(img)
    turns = chat_turns(_lines(params))
    stamps, now = chat_clock(len(turns), rng)
    top = status_bar(d, w, rng, fill=("#a5bccf", "#ffffff", "#ffffff")[layout],
                     clock=_hhmm(now))
    d.rectangle((0, top, w, top + 52), fill=("#a5bccf", "#ffffff", "#ffffff")[layout])
    if layout:
        d.line((0, top + 52, w, top + 52), fill="#dddddd")
    title = str(params.get("title", ""))
    d.text((48, top + 14), title, font=font(_fit(d, title, 20, w - 110, 14, lang), lang),
           fill="#111111")
    d.text((16, top + 8), "‹", font=font(26, lang), fill="#111111")
    d.ellipse((w - 74, top + 16, w - 60, top + 30), outline="#333333", width=2)  # search
    d.line((w - 62, top + 28, w - 55, top + 35), fill="#333333", width=2)
    for i in range(3):  # menu
        d.line((w - 40, top + 18 + 7 * i, w - 22, top + 18 + 7 * i), fill="#333333", width=2)
    y = top + 68
    if params.get("date"):
        date = str(params["date"])
        tw = int(d.textlength(date, font=font(13, lang)))
        d.rounded_rectangle(((w - tw) // 2 - 10, y, (w + tw) // 2 + 10, y + 22), 10,
                            fill="#8ea3b7" if layout != 1 else "#a8a8a8")
        d.text(((w - tw) // 2, y + 3), date, font=font(13, lang), fill="#ffffff")
        y += 40
    mine_ink = _ink_on(accent)
    size = 17
    for (mine, words), clock in zip(turns, stamps, strict=True):
        if mine is None:  # the app's notice: a grey pill in the middle, no time
            tw = int(d.textlength(words, font=font(13, lang)))
            d.rounded_rectangle(((w - tw) // 2 - 12, y, (w + tw) // 2 + 12, y + 24), 12,
                                fill="#8ea3b7" if layout != 1 else "#c8c8c8")
            d.text(((w - tw) // 2, y + 4), words, font=font(13, lang), fill="#ffffff")
            y += 38
            continue
        rows = wrap(d, words, size, 250, lang)
        bw = max(int(d.textlength(r, font=font(size, lang))) for r in rows) + 24
        bh = len(rows) * (size + 7) + 14
        if mine:
            x0 = w - 16 - bw
        else:
            d.ellipse((14, y, 50, y + 36), fill=("#8fa9c0", soft, "#c9d3dc")[layout])
            x0 = 60
        d.rounded_rectangle((x0, y, x0 + bw, y + bh), 12, fill=accent if mine else theirs)
        ty = y + 8
        for r in rows:
            d.text((x0 + 12, ty), r, font=font(size, lang), fill=mine_ink if mine else "#111111")
            ty += size + 7
        stamp = _hhmm(clock)
        sx = x0 - 8 - int(d.textlength(stamp, font=font(11, lang))) if mine else x0 + bw + 6
        d.text((sx, y + bh - 14), stamp, font=font(11, lang), fill="#555555")
        y += bh + 14 + rng.randrange(0, 6)
        if y > h - 90:
            break
    h = min(h, max(460, y + 80))  # the screen ends below the last message
    img = img.crop((0, 0, w, h))
    d = ImageDraw.Draw(img)
    d.rectangle((0, h - 56, w, h), fill="#ffffff")
    d.rounded_rectangle((14, h - 44, w - 70, h - 12), 14, fill="#f1f1f1")
    d.ellipse((w - 56, h - 46, w - 18, h - 10), fill=accent)
    return img


@artefact("news")
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
    h = min(h, max(280, y + 64))  # the card as tall as its words
    if foot:
        d.text((32, h - 40), foot, font=font(15, lang), fill=fg if layout == 2 else "#666666")
    return img.crop((0, 0, w, h))


# A street sign's title names a place or a way (a park, a station, an exit, a road, an
# arrow) as a word of its own (not 내역, 팔다리); any other sign (a notice, rules, a shop's
# or a daycare's sign) is a sheet on a wall indoors.
_OUTDOOR = re.compile(r"(공원|(?<![내경이무])역|출구|방면|주차장|도로|대교|해변|해수욕장|등산로|둘레길|산책로|"
                      r"터미널|정류장|캠핑장|한강|유원지|광장|놀이터|시장|골목|거리|입구|길)"
                      r"(?![가-힣])|[←→↑]|\d+\s?(km|m) 앞")


@artefact("sign")
def sign(params: Mapping[str, Any]) -> Image.Image:
    """A sign board: its title, directions or notices, the issuer small at the foot.
    Never a map: a map pin would read as if the title named the place. Only a sign that
    names a place or a way is a street board (on a post, or a plaque on a wall); a notice,
    rules or a shop's sign is a sheet taped to a wall."""
    _palette, layout, rng, lang = _style(params)
    if not _OUTDOOR.search(str(params.get("title", ""))):
        return wall_notice(params)
    w = 600
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    title = str(params.get("title", ""))
    size = _fit(probe, title, 46, w - 110, 24, lang=lang)
    body = sum(len(wrap(probe, line, 22, w - 120, lang)) * 28 + 10 for line in _lines(params))
    height = 40 + len(wrap(probe, title, size, w - 100, lang)) * int(size * 1.3) + 24 + body
    on_wall = layout == 1  # a plaque fixed to a wall (shops, buildings); else on a post
    h = max(260, height + 50 + (0 if on_wall else 60))  # as tall as its words (and post)
    board = ("#1b5e20", "#0d47a1", "#4e342e")[layout]
    backdrop = ("#b9a89a", "#c8c2b8", "#a9a39b") if on_wall else (
        "#cfe3f3", "#d7e7d0", "#e9e2d6")
    img = Image.new("RGB", (w, h), backdrop[rng.randrange(3)])
    d = ImageDraw.Draw(img)
    if on_wall:
        for by in range(0, h, 22):  # brick courses
            d.line((0, by, w, by), fill="#9c8b7e", width=1)
            for bx in range((by // 22 % 2) * 30, w, 60):
                d.line((bx, by, bx, by + 22), fill="#9c8b7e", width=1)
    else:
        d.rectangle((w // 2 - 10, h - 60, w // 2 + 10, h), fill="#757575")
    d.rounded_rectangle((24, 20, w - 24, h - (24 if on_wall else 50)), 18, fill=board,
                        outline="#ffffff", width=5)
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


@artefact("receipt")
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
            price_w = int(d.textlength(price, font=face))
            rows = wrap(d, name.strip(), 17, x1 - x0 - 44 - price_w, lang)  # never under it
            for row in rows:
                d.text((x0 + 16, y), row, font=face, fill="#111111")
                y += 28
            d.text((x1 - 16 - price_w, y - 28), price, font=face, fill="#111111")
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
    return ("banner", "contract", "chat", "news", "sign", "receipt", "post", "flyer", "screen")


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
