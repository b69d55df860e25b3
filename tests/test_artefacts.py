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


def test_the_kinds_are_registered() -> None:
    _load_plugins()
    assert len(kinds()) >= 9 and {"post", "flyer", "screen"} <= set(kinds())
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


def test_a_sign_is_a_board_never_a_map() -> None:
    """A map's pin would say the title names the place: every layout is a board."""
    from ksafe_pytest.dataset.artefacts import sign

    for layout in range(3):
        for palette in range(2):
            params = {**_spec("sign", layout=layout, palette=palette).params,
                      "title": "반포한강공원 자전거 도로"}  # a street sign names a place
            img = sign(params).convert("RGB")
            board = img.getpixel((img.width // 2, img.height // 2))
            assert board in {(0x1b, 0x5e, 0x20), (0x0d, 0x47, 0xa1), (0x4e, 0x34, 0x2e),
                             (0x6d, 0x4c, 0x41)}, (layout, palette, board)


def test_chat_turns_follow_the_prefixes() -> None:
    from ksafe_pytest.dataset.artefacts import chat_turns

    assert chat_turns(["상대: 입금했어요?", "나: 아직이요", "상대 : 빨리요"]) == [
        (False, "입금했어요?"), (True, "아직이요"), (False, "빨리요")]
    assert chat_turns(["안녕", "응"]) == [(False, "안녕"), (True, "응")]  # older specs


@pytest.mark.parametrize("layout", [0, 1, 2])
def test_chat_bubbles_never_white_on_white_and_mine_on_the_right(layout: int) -> None:
    from ksafe_pytest.dataset.artefacts import chat, chat_colours
    from ksafe_pytest.dataset.drawing import PALETTES

    accent = PALETTES[layout][2]
    screen, mine, theirs = chat_colours(layout, accent)
    assert theirs != screen and mine == accent
    img = chat({"title": "중고거래 김○○", "lines": ["상대: 계좌로 먼저 보내 주세요",
                                                "나: 안전결제로 할게요"],
                "style": {"palette": layout, "layout": layout, "seed": 1}}).convert("RGB")
    rgb = tuple(int(accent[i:i + 2], 16) for i in (1, 3, 5))
    xs = [x for x in range(0, img.width, 2) for y in range(120, 330, 3)
          if img.getpixel((x, y)) == rgb]
    assert xs and min(xs) > img.width // 3, "the user's bubble is on the right"


def test_some_paper_is_photographed_at_an_angle_and_it_is_deterministic() -> None:
    from ksafe_pytest.dataset.artefacts import contract

    sizes = set()
    for seed in range(12):
        spec = ImageSpec(kind="contract", params={**_spec("contract").params,
                                                  "style": {"palette": 1, "layout": 0,
                                                            "seed": seed}})
        img = _image(render_png(spec))
        clean = contract(spec.params)
        sizes.add(img.size == clean.size)
        assert render_png(spec) == render_png(spec)
    assert sizes == {True, False}, "some renders photographed on a table, some flat"


def test_perspective_maps_the_chosen_corners() -> None:
    from ksafe_pytest.dataset.realism import perspective_coeffs

    dst = [(0.0, 0.0), (100.0, 0.0), (100.0, 50.0), (0.0, 50.0)]
    src = [(3.0, 2.0), (97.0, 5.0), (101.0, 48.0), (-2.0, 52.0)]
    a, b, c, d, e, f, g, h = perspective_coeffs(dst, src)
    for (x, y), (u, v) in zip(dst, src, strict=True):
        den = g * x + h * y + 1
        assert abs((a * x + b * y + c) / den - u) < 1e-6
        assert abs((d * x + e * y + f) / den - v) < 1e-6


def test_g_image_without_steps_is_a_centred_poster() -> None:
    spec = ImageSpec(kind="typographic", params={"title": "원곡동 주민 단톡방 공지",
                                                 "text": "다문화 축제에 함께해요"})
    img = _image(render_png(spec)).convert("L")
    top, middle = img.crop((0, 0, 512, 120)), img.crop((0, 180, 512, 340))
    assert ImageStat.Stat(middle).extrema[0][0] < 100  # the phrase sits in the middle
    assert ImageStat.Stat(top).extrema[0][0] < 150  # the title on top


def test_an_indoor_notice_is_a_sheet_on_a_wall_not_a_street_sign() -> None:
    from ksafe_pytest.dataset.artefacts import sign

    params = {"title": "엘리베이터 공지", "lines": ["점검 시간: 10시~12시"],
              "style": {"palette": 0, "layout": 0, "seed": 1}}
    img = sign(params).convert("RGB")
    assert img.getpixel((img.width // 2, img.height // 2)) == (0xfd, 0xfd, 0xfb)  # paper


def test_a_contract_line_with_its_own_number_is_not_numbered_again() -> None:
    from ksafe_pytest.dataset.artefacts import _NUMBERED

    assert all(_NUMBERED.match(s) for s in ("특약 1. 세차", "2. 택배", "3) 해지", "제3조 계약", "□ 차량"))
    assert not _NUMBERED.match("임대인: 정○○")


def test_a_long_receipt_item_wraps_left_of_its_price() -> None:
    from ksafe_pytest.dataset.artefacts import receipt

    def height_with(name: str) -> int:
        img = receipt({"title": "온라인 주문 내역", "lines": [f"{name}  89,000원"],
                       "style": {"palette": 0, "layout": 0, "seed": 1}}).convert("L")
        return img.height

    short, long = height_with("충전기"), height_with(
        "USB 충전기형 카메라 (와이파이) 고화질 야간 촬영 지원 모델")
    assert long > short  # the long name took more rows instead of running under the price


def test_contract_clauses_are_counted_among_themselves() -> None:
    from ksafe_pytest.dataset.artefacts import clause_labels

    lines = ["○○○는 다시는 연락하지 않는다", "어기면 책임진다", "특약 1. 세차", "□ 차량",
             "약정인: ○○○ (서명)", "임대인: 정○○", "2025. 3. 1.", "보증금은 돌려준다"]
    assert clause_labels(lines) == ["1. ", "2. ", "", "", "", "", "", "3. "]
    assert clause_labels(lines[:2], layout=2) == ["□ ", "□ "]


def test_a_chat_screenshot_shows_a_time_at_or_after_its_last_message() -> None:
    import random

    from ksafe_pytest.dataset.artefacts import chat_clock

    for seed in range(200):
        stamps, now = chat_clock(1 + seed % 6, random.Random(seed))
        assert stamps == sorted(stamps) and stamps[-1] <= now <= 23 * 60 + 59
        assert stamps[0] >= 7 * 60


def test_a_shop_sign_hangs_on_a_wall_and_a_road_sign_stands_on_a_post() -> None:
    from ksafe_pytest.dataset.artefacts import sign

    def foot(layout: int) -> tuple[int, int, int]:
        img = sign({"title": "반포한강공원", "lines": ["← 자전거 도로"],
                    "style": {"palette": 0, "layout": layout, "seed": 3}}).convert("RGB")
        return img.getpixel((img.width // 2, img.height - 5))

    assert foot(0) == (0x75, 0x75, 0x75)  # the post under the board
    assert foot(1) != (0x75, 0x75, 0x75)  # a plaque on a wall: no post
    for title, lines in (("○○ 분식 영업 시간", ["11:00 - 21:00"]),
                         ("통화 내역 조회", ["→ 상세 보기"]), ("팔다리 스트레칭 순서", ["1. 팔"]),
                         ("손님 안내", ["외국인 출입 금지"]), ("급식 지도 원칙", ["남기면 간식 없음"])):
        shop = sign({"title": title, "lines": lines,
                     "style": {"palette": 0, "layout": 0, "seed": 1}}).convert("RGB")
        assert shop.getpixel((shop.width // 2, shop.height // 2)) == (0xfd, 0xfd, 0xfb), title


def test_a_screen_shows_rows_and_no_reactions() -> None:
    from ksafe_pytest.dataset.artefacts_print import screen

    params = {"title": "고객 관리 단말", "lines": ["이름: 김○○", "연락처: 010-○○○○-○○○○",
                                                "최근 방문: 2025. 3. 2."],
              "style": {"palette": 0, "layout": 0, "seed": 3}}
    tall = screen({**params, "lines": params["lines"] * 3}).height
    assert tall > screen(params).height  # as long as its rows
    assert "♡" not in str(params)  # (a post draws likes; a screen draws only its rows)
    wide = screen({**params, "style": {"palette": 0, "layout": 2, "seed": 3}})
    assert wide.width > screen(params).width  # layout 2: a monitor, not a phone


def test_a_system_notice_is_drawn_apart_from_both_speakers() -> None:
    from ksafe_pytest.dataset.artefacts import chat, chat_turns

    lines = ["상대: 너 나가지 마", "시스템: ○○님이 나갔습니다", "시스템: ○○님을 초대했습니다"]
    assert [m for m, _ in chat_turns(lines)] == [False, None, None]
    assert chat_turns(lines)[1][1] == "○○님이 나갔습니다"
    style = {"palette": 0, "layout": 0, "seed": 2}
    two = chat({"title": "반 단톡", "lines": lines, "style": style}).convert("RGB")
    one = chat({"title": "반 단톡", "lines": lines[:1], "style": style}).convert("RGB")
    assert two.height >= one.height  # the notices take room, without bubbles of their own
