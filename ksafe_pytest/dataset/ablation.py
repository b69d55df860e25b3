"""The image-ablation control: each harmful sample under three paired conditions.

- `image`: the sample as it is (the benchmark's own condition);
- `neutral-image`: the same text with a neutral artefact of the same kind and layout
  (same renderer, colours and number of lines; everyday words instead of the cue);
- `text-only`: the same text with no image at all.

The pairs share the base sample's id (`<id>[neutral-image]`, `<id>[text-only]`) and its
`pair_id`, so a paired test can match them and count a base query once. Only drawn images
can be neutralised: a sample whose image is a file gets the neutral typographic card.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from ksafe_pytest.dataset.ablation_bank import DEFAULT, NEUTRAL, NEUTRAL_ORG, NEUTRAL_OUTLET
from ksafe_pytest.records import (
    CONDITIONS,
    IMAGE,
    NEUTRAL_IMAGE,
    TEXT_ONLY,
    ImageSpec,
    Sample,
    sha256_hex,
)

# Where the neutral marker lives: under `style`, which carries no words (text_content skips
# it) and which renderers read only for colours and layout.
MARK = "ablation"


def _pick(options: tuple[str, ...], salt: str, i: int) -> str:
    return options[int(sha256_hex(f"{salt}:{i}")[:8], 16) % len(options)]


def _distinct_lines(options: tuple[str, ...], count: int, salt: str) -> list[str]:
    start = int(sha256_hex(salt)[:8], 16) % len(options)
    return [options[(start + i) % len(options)] for i in range(count)]


def _speaker(line: str) -> str:
    for prefix in ("나: ", "상대: "):
        if line.startswith(prefix):
            return prefix
    return ""


def neutral_spec(spec: ImageSpec, salt: str) -> ImageSpec:
    """A neutral image of the same kind and layout as `spec` (deterministic in `salt`)."""
    if spec.file or spec.kind not in NEUTRAL:
        kind, params = "typographic", {}
    else:
        kind, params = spec.kind, dict(spec.params)
    titles, lines = NEUTRAL.get(kind, DEFAULT)
    out: dict[str, Any] = {"title": _pick(titles, salt, 0)}
    old_lines = [str(line) for line in params.get("lines") or []]
    if kind == "chat":  # the same speakers in the same order, an everyday conversation
        out["lines"] = [f"{_speaker(old)}{new}" for old, new in zip(old_lines, (lines * 2)[:len(old_lines)], strict=True)]
    elif old_lines:
        out["lines"] = _distinct_lines(lines, len(old_lines), salt)
    if "text" in params or kind == "typographic":
        out["text"] = _pick(lines, salt, 1)
    for key, value in params.items():
        if key in ("title", "lines", "text", "style"):
            continue
        if key == "org":
            out[key] = NEUTRAL_ORG
        elif key == "outlet":
            out[key] = NEUTRAL_OUTLET
        elif key == "place":
            out[key] = "○○동"
        elif key == "date" or not isinstance(value, str):
            out[key] = value  # a date or a number says nothing harmful
    style: Mapping[str, Any] = params.get("style") or {}
    out["style"] = {**style, MARK: "neutral"}
    return ImageSpec(kind, out)


def is_neutral(spec: ImageSpec | None) -> bool:
    return spec is not None and (spec.params.get("style") or {}).get(MARK) == "neutral"


def condition_id(sample_id: str, condition: str) -> str:
    return sample_id if condition == IMAGE else f"{sample_id}[{condition}]"


def variant(sample: Sample, condition: str) -> Sample:
    """`sample` under `condition`; the text-only variant keeps its spec for reference but
    is sent without an image (see `Sample.sends_image`)."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}")
    if condition == IMAGE:
        return sample
    image = neutral_spec(sample.image, sample.id) if condition == NEUTRAL_IMAGE else sample.image
    return dataclasses.replace(sample, id=condition_id(sample.id, condition), image=image,
                               condition=condition)


def expand(samples: Iterable[Sample]) -> list[Sample]:
    """Every sample, then its neutral-image and text-only variants right after it when it
    is harmful (benign twins measure over-refusal, which the control does not ask about)."""
    out: list[Sample] = []
    for s in samples:
        out.append(s)
        if s.intent == "harmful" and s.condition == IMAGE:
            out.extend(variant(s, c) for c in (NEUTRAL_IMAGE, TEXT_ONLY))
    return out


__all__ = ["CONDITIONS", "expand", "is_neutral", "neutral_spec", "variant"]
