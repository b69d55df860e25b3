"""More artefacts of Korean everyday life: a community / SNS post screenshot and a printed
flyer. Words come from the spec's params, colours and jitter from `params["style"]`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PIL import Image, ImageDraw

from ksafe_pytest.dataset.drawing import _fit, _ink_on, _lines, _style, _text_block, artefact, wrap
from ksafe_pytest.dataset.fonts import font
from ksafe_pytest.dataset.realism import status_bar


@artefact("post")
def post(params: Mapping[str, Any]) -> Image.Image:
    """A community board or SNS post: board or account name, the post, reactions."""
    (_bg, ink, accent, soft), layout, rng, lang = _style(params)
    w, canvas = 480, 1400
    img = Image.new("RGB", (w, canvas), "#ffffff")
    d = ImageDraw.Draw(img)
    title = str(params.get("title", ""))
    head = (accent, "#ffffff", "#f5f5f5")[layout]
    head_ink = _ink_on(head)
    top = status_bar(d, w, rng, fill=head, ink=head_ink)
    d.rectangle((0, top, w, top + 50), fill=head)
    d.text((16, top + 8), "‹", font=font(24, lang), fill=head_ink)
    d.text((44, top + 12), title, font=font(_fit(d, title, 21, w - 70, 14, lang), lang),
           fill=head_ink)
    if layout:
        d.line((0, top + 50, w, top + 50), fill="#dddddd")
    y = top + 66
    d.ellipse((20, y, 56, y + 36), fill=soft, outline=accent)
    author = str(params.get("org") or "익명")
    d.text((68, y + 2), author, font=font(16, lang), fill=ink)
    meta = " · ".join(str(params[k]) for k in ("date", "place") if params.get(k))
    if meta:
        d.text((68, y + 22), meta, font=font(13, lang), fill="#888888")
    y += 52
    lines = _lines(params)
    if lines:
        y = _text_block(d, (20, y), lines[0], 20, w - 40, ink, lang=lang) + 6
    for line in lines[1:]:
        y = _text_block(d, (20, y), line, 17, w - 40, "#222222", lang=lang) + 6
    y += 12
    d.line((20, y, w - 20, y), fill="#eeeeee")
    likes, comments = rng.randrange(3, 300), rng.randrange(0, 80)
    d.text((20, y + 10), f"♡ {likes}   댓글 {comments}", font=font(14, lang), fill="#777777")
    return img.crop((0, 0, w, y + 44))


@artefact("screen")
def screen(params: Mapping[str, Any]) -> Image.Image:
    """An app or terminal screen captured on a phone (layouts 0, 1) or a monitor (2): the
    app's name as its header, then one row per line (a record, a setting, a search
    suggestion), `label: value` lines as two columns; no author, no reactions."""
    (_bg, ink, accent, soft), layout, rng, lang = _style(params)
    w, canvas = (480, 1400) if layout < 2 else (720, 1400)
    img = Image.new("RGB", (w, canvas), "#ffffff" if layout != 1 else "#f4f6f8")
    d = ImageDraw.Draw(img)
    title = str(params.get("title", ""))
    if layout < 2:
        top = status_bar(d, w, rng, fill=accent, ink=_ink_on(accent))
        d.rectangle((0, top, w, top + 52), fill=accent)
        d.text((18, top + 13), title, font=font(_fit(d, title, 21, w - 40, 14, lang), lang),
               fill=_ink_on(accent))
        y = top + 66
    else:  # a desktop window: title bar with its three buttons
        d.rectangle((0, 0, w, 34), fill="#dfe3e8")
        for i, colour in enumerate(("#ff5f57", "#febc2e", "#28c840")):
            d.ellipse((12 + 20 * i, 11, 24 + 20 * i, 23), fill=colour)
        d.text((84, 8), title, font=font(_fit(d, title, 17, w - 110, 12, lang), lang),
               fill="#333333")
        y = 50
    labels = [ln.partition(": ")[0] for ln in _lines(params) if ": " in ln]
    column = 24 + 16 + min(150, max((int(d.textlength(lb, font=font(15, lang)))
                                     for lb in labels if len(lb) <= 12), default=0))
    for i, line in enumerate(_lines(params)):
        if layout == 1:
            d.rounded_rectangle((12, y - 6, w - 12, y + 34), 8, fill="#ffffff")
        label, sep, value = line.partition(": ")
        if sep and len(label) <= 12:
            d.text((24, y), label, font=font(15, lang), fill="#777777")
            y = _text_block(d, (column, y), value, 17, w - column - 24, ink, lang=lang)
        else:
            y = _text_block(d, (24, y), line, 17, w - 48, ink, lang=lang)
        y += 18
        if layout != 1:
            d.line((16, y - 9, w - 16, y - 9), fill=soft if i % 2 else "#e6e6e6")
    if params.get("org"):
        y = _text_block(d, (24, y + 4), str(params["org"]), 13, w - 48, "#999999",
                        lang=lang)
    return img.crop((0, 0, w, max(y + 24, 200)))


@artefact("flyer")
def flyer(params: Mapping[str, Any]) -> Image.Image:
    """A printed leaflet or poster: headline band, body lines, issuer at the foot."""
    (bg, ink, accent, soft), layout, _rng, lang = _style(params)
    w, canvas = 520, 1400
    img = Image.new("RGB", (w, canvas), bg)
    d = ImageDraw.Draw(img)
    title = str(params.get("title", ""))
    band = (accent, soft, ink)[layout]
    band_ink = ink if layout == 1 else "#ffffff"
    size = _fit(d, title, 40, w - 80, 22, lang)
    rows = len(wrap(d, title, size, w - 80, lang))
    band_h = 40 + rows * int(size * 1.3)
    d.rectangle((0, 0, w, band_h), fill=band)
    _text_block(d, (40, 24), title, size, w - 80, band_ink, center_width=w - 80, lang=lang)
    y = band_h + 28
    for line in _lines(params):
        d.rectangle((40, y + 8, 48, y + 16), fill=accent)
        y = _text_block(d, (60, y), line, 20, w - 100, ink, lang=lang) + 10
    y += 16
    for key in ("date", "place", "org"):
        if params.get(key):
            y = _text_block(d, (40, y), str(params[key]), 16, w - 80, "#555555", lang=lang) + 2
    return img.crop((0, 0, w, y + 30))


def wall_notice(params: Mapping[str, Any]) -> Image.Image:
    """A printed notice taped to a wall or a lift: heading, lines, issuer at the foot."""
    (_bg, ink, accent, _soft), layout, rng, lang = _style(params)
    w, canvas = 520, 1400
    wall = ("#d9d4cc", "#c9ced3", "#e2ddd2")[layout]
    img = Image.new("RGB", (w + 60, canvas), wall)
    d = ImageDraw.Draw(img)
    x0, x1 = 30, w + 30
    d.rectangle((x0, 30, x1, canvas), fill="#fdfdfb")
    title = str(params.get("title", ""))
    size = _fit(d, title, 34, w - 60, 20, lang)
    d.rectangle((x0, 30, x1, 38), fill=accent)
    y = _text_block(d, (x0 + 30, 60), title, size, w - 60, ink, center_width=w - 60, lang=lang)
    d.line((x0 + 30, y + 6, x1 - 30, y + 6), fill=ink, width=2)
    y += 26
    for line in _lines(params):
        y = _text_block(d, (x0 + 34, y), line, 19, w - 70, ink, lang=lang) + 10
    y += 14
    for key in ("date", "org"):
        if params.get(key):
            text = str(params[key])
            tw = int(d.textlength(text, font=font(16, lang)))
            d.text((x1 - 30 - tw, y), text, font=font(16, lang), fill="#333333")
            y += 26
    h = y + 40
    img = img.crop((0, 0, w + 60, h + 20))
    d = ImageDraw.Draw(img)
    d.rectangle((0, h, w + 60, h + 20), fill=wall)
    for tx in (x0 - 6, x1 - 40):  # tape on the top corners
        d.rectangle((tx, 22, tx + 46, 40 + rng.randrange(0, 4)), fill="#efe6c8")
    return img
