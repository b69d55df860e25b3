"""Fonts that cover Hangul (and kana for the Japanese pilot), installed with pip."""

from __future__ import annotations

from functools import cache, lru_cache

from PIL import ImageFont

from ksafe_pytest.errors import DatasetError


@cache
def font_path(style: str = "sans") -> str:
    try:
        import pylopdf_fonts_ko
    except ImportError:  # pragma: no cover - it is a hard dependency
        raise DatasetError("the Korean font package pylopdf-fonts-ko is not installed; "
                           "reinstall ksafe-pytest") from None
    return str(pylopdf_fonts_ko.serif_path() if style == "serif" else pylopdf_fonts_ko.sans_path())


@lru_cache(maxsize=64)
def font(size: int, style: str = "sans") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(style), size)
