"""Loading and selecting samples: every bad row is named by file, line and field."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import mini_rows, write_jsonl
from ksafe_pytest.dataset import Selection, load_dataset, load_jsonl, select
from ksafe_pytest.dataset.images import ImageCache, render_png
from ksafe_pytest.errors import DatasetError
from ksafe_pytest.records import ImageSpec


def test_mini_dataset_loads(mini_dataset: Path) -> None:
    samples = load_jsonl(mini_dataset)
    assert len(samples) == len(mini_rows())
    assert samples[0].domain == "Content Safety Risks"


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda r: r.pop("text"), ":2 field 'text': missing required field"),
    (lambda r: r.update(strategy="Hypnosis"), ":2 field 'strategy': unknown value 'Hypnosis'"),
    (lambda r: r.update(intent="evil"), ":2 field 'intent': unknown value 'evil'"),
    (lambda r: r.update(part="X"), ":2 field 'part': unknown value 'X'"),
    (lambda r: r.update(text=""), ":2 field 'text': must be a non-empty string"),
    (lambda r: r.update(image=3), ":2 field 'image': must be an object or a file path"),
    (lambda r: r.update(image={"params": {}}), ":2 field 'image.kind': missing image kind"),
    (lambda r: r.update(colour="red"), ":2: unknown field(s): colour"),
    (lambda r: r.update(id="G-t00-0000-Standard"), ":2 field 'id': duplicate id"),
])
def test_bad_rows_are_named(tmp_path: Path, mutate, expected: str) -> None:
    rows = mini_rows(per_category=1)
    mutate(rows[1])
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    with pytest.raises(DatasetError) as info:
        load_jsonl(path)
    assert f"{path}{expected}" in str(info.value)


def test_invalid_json_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(mini_rows(1)[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"d.jsonl:2: invalid JSON"):
        load_jsonl(path)
    with pytest.raises(DatasetError, match="no such dataset"):
        load_dataset(str(tmp_path / "missing.jsonl"))
    (tmp_path / "d.csv").write_text("x", encoding="utf-8")
    with pytest.raises(DatasetError, match="unsupported dataset type"):
        load_dataset(str(tmp_path / "d.csv"))


def test_file_images_resolve_next_to_the_dataset_and_broken_ones_are_named(
        tmp_path: Path) -> None:
    from PIL import Image

    (tmp_path / "img").mkdir()
    Image.new("RGB", (8, 8), "white").save(tmp_path / "img" / "ok.png")
    row = {**mini_rows(1)[0], "image": "img/ok.png"}
    samples = load_jsonl(write_jsonl(tmp_path / "d.jsonl", [row]))
    assert samples[0].image.file == str(tmp_path / "img" / "ok.png")
    assert render_png(samples[0].image).startswith(b"\x89PNG")
    # a broken or missing file is named when the dataset loads: file, line and field
    (tmp_path / "img" / "broken.png").write_bytes(b"not a png")
    rows = [row, {**mini_rows(1)[1], "image": "img/broken.png"}]
    with pytest.raises(DatasetError, match=r"b\.jsonl:2 field 'image': .*broken\.png is not "
                                           r"an image"):
        load_jsonl(write_jsonl(tmp_path / "b.jsonl", rows))
    rows[1] = {**rows[1], "image": "img/gone.png"}
    with pytest.raises(DatasetError, match=r"m\.jsonl:2 field 'image': cannot read image "
                                           r".*gone\.png: No such file"):
        load_jsonl(write_jsonl(tmp_path / "m.jsonl", rows))
    # one that passes the header check but is cut short still fails when drawn, by name
    data = (tmp_path / "img" / "ok.png").read_bytes()
    (tmp_path / "img" / "ok.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(DatasetError, match=r"ok\.png: broken or unsupported image"):
        render_png(samples[0].image)


def test_an_unknown_image_kind_is_named_when_the_dataset_loads(tmp_path: Path) -> None:
    rows = mini_rows(1)[:2]
    rows[1] = {**rows[1], "image": {"kind": "hologram", "params": {}}}
    with pytest.raises(DatasetError, match=r"k\.jsonl:2 field 'image\.kind': unknown image "
                                           r"kind 'hologram'; known: banner, .*typographic"):
        load_jsonl(write_jsonl(tmp_path / "k.jsonl", rows))


def test_builtin_dataset_loads_and_is_valid() -> None:
    samples = load_dataset()
    assert {s.part for s in samples} == {"G", "C"}
    assert len({s.category for s in samples}) == 11
    assert len({s.id for s in samples}) == len(samples)


def test_selection_filters_and_limit_is_stratified_and_stable(mini_dataset: Path) -> None:
    samples = load_jsonl(mini_dataset)
    only = select(samples, Selection(parts=("C",), strategies=("ProgramExecution",)))
    assert only and all(s.part == "C" and s.strategy == "ProgramExecution" for s in only)
    subset = select(samples, Selection(limit=66))
    assert len(subset) == 66
    shuffled = select(list(reversed(samples)), Selection(limit=66))
    assert {s.id for s in subset} == {s.id for s in shuffled}  # not tied to file order
    full = Counter((s.part, s.strategy, s.intent) for s in samples)
    part = Counter((s.part, s.strategy, s.intent) for s in subset)
    for key, n in full.items():  # every stratum keeps its share, within one sample
        assert abs(part[key] - n * 66 / len(samples)) <= 1


def test_images_render_deterministically_and_cache(tmp_path: Path) -> None:
    spec = ImageSpec("typographic", {"text": "전세 사기 주의", "title": "부동산"})
    first = render_png(spec)
    assert first == render_png(spec) and first.startswith(b"\x89PNG")
    cache = ImageCache(tmp_path)
    assert cache.png(spec) == first
    assert list(tmp_path.rglob("*.png"))
    assert ImageCache(tmp_path).png(spec) == first  # served from disk
