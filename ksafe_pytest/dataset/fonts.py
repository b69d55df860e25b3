"""Fonts installed with pip: Noto Sans KR for Korean (no tofu in all 11,172 syllables) and
Noto Sans JP for the Japanese pilot (Noto Sans KR lacks some kanji)."""

from __future__ import annotations

from functools import lru_cache

from PIL import ImageFont

from ksafe_pytest.errors import DatasetError


def font_path(lang: str = "ko") -> str:
    if lang == "ja":
        try:
            import pylopdf_fonts_jp
        except ImportError:
            raise DatasetError("Japanese images need the font package pylopdf-fonts-jp: "
                               "pip install 'ksafe-pytest[ja]'") from None
        return str(pylopdf_fonts_jp.sans_path())
    try:
        import pylopdf_fonts_ko
    except ImportError:  # pragma: no cover - it is a hard dependency
        raise DatasetError("the Korean font package pylopdf-fonts-ko is not installed; "
                           "reinstall ksafe-pytest") from None
    return str(pylopdf_fonts_ko.sans_path())


@lru_cache(maxsize=128)
def font(size: int, lang: str = "ko") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(lang), size)
