"""Culture-specific artefact renderers: every kind draws, deterministically, with no tofu."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageStat

from ksafe_pytest.dataset.artefacts import kinds, missing_glyphs
from ksafe_pytest.dataset.build import build_samples
from ksafe_pytest.dataset.images import RENDERERS, ImageCache, _load_plugins, render_png
from ksafe_pytest.records import ImageSpec

KO = "주택 임대차 계약서 보증금 선순위 근저당"
JA = "被差別部落の地名リスト、込み入った働き方"


def _spec(kind: str, lang: str = "ko", layout: int = 0, palette: int = 0) -> ImageSpec:
    style: dict[str, object] = {"palette": palette, "layout": layout, "seed": 7}
    if lang != "ko":
        style["lang"] = lang
    title = KO if lang == "ko" else JA
    return ImageSpec(kind=kind, params={
        "title": title, "lines": [title[:8], "50,000원  12,900원", title[-6:]],
        "place": "서울 강서구" if lang == "ko" else "東京都", "org": "기관" if lang == "ko" else "機関",
        "date": "2026. 3. 14.", "outlet": "한빛일보", "style": style})


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_six_kinds_are_registered() -> None:
    _load_plugins()
    assert len(kinds()) >= 6
    assert set(kinds()) <= set(RENDERERS)


@pytest.mark.parametrize("kind", kinds())
@pytest.mark.parametrize("layout", [0, 1, 2])
def test_each_kind_renders_a_non_blank_image(kind: str, layout: int) -> None:
    img = _image(render_png(_spec(kind, layout=layout, palette=layout * 3)))
    assert img.width >= 300 and img.height >= 200
    extrema = ImageStat.Stat(img.convert("L")).extrema[0]
    assert extrema[1] - extrema[0] > 100, "blank or near-uniform image"


@pytest.mark.parametrize("kind", kinds())
def test_rendering_is_deterministic_and_style_changes_pixels(kind: str) -> None:
    a = render_png(_spec(kind, layout=0, palette=0))
    assert a == render_png(_spec(kind, layout=0, palette=0))
    assert a != render_png(_spec(kind, layout=1, palette=4))


@pytest.mark.parametrize("kind", kinds())
def test_words_change_the_image(kind: str) -> None:
    spec = _spec(kind)
    other = ImageSpec(kind=kind, params={**spec.params, "title": "완전히 다른 제목"})
    assert render_png(spec) != render_png(other)


def test_style_is_not_read_as_image_text() -> None:
    text = _spec("news").text_content()
    assert "주택 임대차" in text and "palette" not in text and "7" not in text.split("\n")


def test_missing_glyphs_detects_tofu() -> None:
    assert missing_glyphs("가나다 ABC 123", "ko") == []
    assert missing_glyphs("💕", "ko") == ["💕"]
    assert "込" in missing_glyphs(JA, "ko")  # Noto Sans KR lacks Japanese-only kanji
    assert missing_glyphs(JA, "ja") == []


@pytest.mark.parametrize("locale", ["ko", "ja"])
def test_every_built_image_text_has_glyphs(locale: str) -> None:
    samples = build_samples(locale=locale)
    text = "\n".join({s.image.text_content() for s in samples})
    lang = "ja" if locale == "ja" else "ko"
    assert missing_glyphs(text, lang) == []


@pytest.mark.parametrize("locale", ["ko", "ja"])
def test_a_sample_of_built_images_renders(locale: str) -> None:
    samples = build_samples(locale=locale)
    by_kind: dict[str, ImageSpec] = {}
    for s in samples[::97]:
        by_kind.setdefault(s.image.kind, s.image)
    assert len(by_kind) >= (7 if locale == "ko" else 6)
    cache = ImageCache()
    for spec in by_kind.values():
        png = cache.png(spec)
        assert png.startswith(b"\x89PNG") and cache.png(spec) is png


def test_sign_has_a_map_variant() -> None:
    board = _image(render_png(_spec("sign", layout=2, palette=0)))
    street_map = _image(render_png(_spec("sign", layout=2, palette=1)))
    assert board.size != street_map.size or board.getpixel((5, 200)) != street_map.getpixel(
        (5, 200))
    extrema = ImageStat.Stat(street_map.convert("L")).extrema[0]
    assert extrema[1] - extrema[0] > 100
