"""The hand-written sources of KSAFE-MM: YAML files of G and C items, loaded into typed
records. Every defect becomes a `Problem` naming the file, the item (index and key) and the
field, so `ksafe build --check` can print them all at once instead of stopping at the first.

Layout (see docs/benchmark.md): `data/sources/g/<category_slug>[.N].yaml` and
`data/sources/c/<category_slug>[.N].yaml`, each a YAML list of items.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ksafe_pytest.dataset.build.speech import REGISTERS
from ksafe_pytest.taxonomy import CATEGORIES, slug

CATEGORY_OF_SLUG: dict[str, str] = {slug(c): c for c in CATEGORIES}
C_KINDS: tuple[str, ...] = ("banner", "contract", "chat", "news", "sign", "receipt", "post",
                            "flyer", "screen")
KEY = re.compile(r"^[a-z0-9_]+$")
_FILE = re.compile(r"^(?P<slug>[a-z_]+)(?:\.(?P<n>\d+))?\.ya?ml$")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_COLUMN_GAP = re.compile(r"[ \t]{2,}")


def _tidy_line(line: str) -> str:
    """Whitespace collapsed, except that a run of two or more spaces stays two: that gap is
    the column break of a receipt line (`item  price`)."""
    return "  ".join(" ".join(part.split()) for part in _COLUMN_GAP.split(line.strip()))


@dataclass(frozen=True)
class Problem:
    """One defect of the sources, located as precisely as it is known."""

    file: str
    message: str
    index: int | None = None  # 1-based position of the item in its file
    key: str = ""
    field: str = ""
    line: int | None = None
    # "error": the build refuses the sources; "review": a content check found a likely
    # defect, reported by `ksafe build --check` (which fails on it) but not blocking a build
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        if self.index is not None:
            where += f" item {self.index}"
        if self.key:
            where += f" ({self.key})"
        if self.field:
            where += f" field {self.field}"
        tag = "[review] " if self.severity == "review" else ""
        return f"{where}: {tag}{self.message}"


@dataclass(frozen=True)
class Where:
    """Where an item came from: for problems and for stable ordering."""

    file: str
    index: int  # 1-based
    line: int | None = None


@dataclass(frozen=True)
class Person:
    name: str
    gender: str  # f | m | x (unknown or not said)


@dataclass(frozen=True)
class GImage:
    title: str
    phrase: str


@dataclass(frozen=True)
class GTwin:
    text: str
    image: GImage


@dataclass(frozen=True)
class GItem:
    key: str
    category: str
    en: str
    ko_plain: str
    text: str
    image: GImage
    people: tuple[Person, ...]
    twin: GTwin
    where: Where


@dataclass(frozen=True)
class CImage:
    kind: str
    title: str
    lines: tuple[str, ...]
    place: str = ""
    org: str = ""
    date: str = ""
    outlet: str = ""  # news only: the outlet's (fictitious) name

    def params(self) -> dict[str, object]:
        out: dict[str, object] = {"title": self.title, "lines": list(self.lines)}
        for name in ("place", "org", "date", "outlet"):
            value = getattr(self, name)
            if value:
                out[name] = value
        return out


@dataclass(frozen=True)
class CTwin:
    register: str
    text: str
    image: CImage


@dataclass(frozen=True)
class CItem:
    key: str
    category: str
    topic: str
    register: str
    cross_modal: bool
    text: str
    image: CImage
    twin: CTwin
    where: Where
    topic_name: str = ""  # optional readable name for a topic new to the bank
    people: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Sources:
    g: tuple[GItem, ...]
    c: tuple[CItem, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    def categories(self, part: str) -> frozenset[str]:
        items: tuple[GItem | CItem, ...] = self.g if part == "G" else self.c
        return frozenset(i.category for i in items)


def default_root() -> Path:
    return Path(str(resources.files("ksafe_pytest") / "data" / "sources"))


class _Item:
    """Reads fields of one YAML mapping, collecting problems instead of raising."""

    def __init__(self, raw: Mapping[str, Any], where: Where, problems: list[Problem]) -> None:
        self.raw, self.where, self.problems = raw, where, problems
        key = raw.get("key")
        self.key = key if isinstance(key, str) else ""

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.where.file, message, self.where.index, self.key,
                                     field, self.where.line))

    def unknown(self, raw: Mapping[str, Any], allowed: frozenset[str], prefix: str = "") -> None:
        for name in sorted(set(map(str, raw)) - allowed):
            self.problem(prefix + name, f"unknown field (expected: {', '.join(sorted(allowed))})")

    def text(self, raw: Mapping[str, Any], name: str, prefix: str = "", *,
             required: bool = True) -> str:
        value = raw.get(name)
        if value is None:
            if required:
                self.problem(prefix + name, "missing")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # a bare year or amount YAML read as a number
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(prefix + name, f"must be a non-empty string, got {value!r}")
            return ""
        return " ".join(value.split())

    def choice(self, raw: Mapping[str, Any], name: str, choices: tuple[str, ...],
               prefix: str = "") -> str:
        value = self.text(raw, name, prefix)
        if value and value not in choices:
            self.problem(prefix + name, f"{value!r} is not one of: {', '.join(choices)}")
            return ""
        return value

    def mapping(self, raw: Mapping[str, Any], name: str, prefix: str = "") -> Mapping[str, Any]:
        value = raw.get(name)
        if not isinstance(value, Mapping):
            self.problem(prefix + name, "missing" if value is None else
                         f"must be a mapping, got {type(value).__name__}")
            return {}
        return value

    def strings(self, raw: Mapping[str, Any], name: str, prefix: str = "") -> tuple[str, ...]:
        value = raw.get(name)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(prefix + name, f"must be a list of strings, got {value!r}")
            return ()
        out: list[str] = []
        for i, v in enumerate(value, start=1):
            if isinstance(v, Mapping) and len(v) == 1:
                # `[임대인: 정○○]` in a flow list is YAML for a one-pair mapping: the line
                # the author meant is "임대인: 정○○"
                (label, rest), = v.items()
                v = f"{label}: {'' if rest is None else rest}".strip()
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(v)
            if not isinstance(v, str) or not v.strip():
                self.problem(f"{prefix}{name}[{i}]", f"must be a non-empty string, got {v!r}")
                continue
            out.append(_tidy_line(v))
        return tuple(out)

    def people(self) -> tuple[Person, ...]:
        value = self.raw.get("people")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("people", "must be a list of {name, gender}")
            return ()
        out: list[Person] = []
        for i, p in enumerate(value, start=1):
            field = f"people[{i}]"
            if not isinstance(p, Mapping):
                self.problem(field, "must be a mapping {name: ..., gender: f|m|x}")
                continue
            self.unknown(p, frozenset({"name", "gender", "role"}), field + ".")
            name = self.text(p, "name", field + ".")
            gender = self.choice(p, "gender", ("f", "m", "x"), field + ".")
            if name and gender:
                out.append(Person(name, gender))
        return tuple(out)


_G_FIELDS = frozenset({"key", "en", "ko_plain", "text", "image", "people", "twin", "register",
                       "note"})
_C_FIELDS = frozenset({"key", "topic", "topic_name", "register", "cross_modal", "text",
                       "image", "twin", "people", "note"})
_C_IMAGE = frozenset({"kind", "title", "lines", "place", "org", "date", "outlet"})


def _g_image(item: _Item, raw: Mapping[str, Any], prefix: str) -> GImage:
    image = item.mapping(raw, "image", prefix)
    item.unknown(image, frozenset({"title", "phrase"}), prefix + "image.")
    return GImage(item.text(image, "title", prefix + "image."),
                  item.text(image, "phrase", prefix + "image."))


def parse_g(raw: Mapping[str, Any], category: str, where: Where,
            problems: list[Problem]) -> GItem | None:
    item = _Item(raw, where, problems)
    before = len(problems)
    item.unknown(raw, _G_FIELDS)
    key = item.text(raw, "key")
    if key and not KEY.match(key):
        item.problem("key", f"{key!r} must be lower-case ASCII letters, digits and _")
    en, ko_plain, text = (item.text(raw, n) for n in ("en", "ko_plain", "text"))
    if en and not en.isascii():
        item.problem("en", "must be English (ASCII)")
    image = _g_image(item, raw, "")
    twin_raw = item.mapping(raw, "twin")
    item.unknown(twin_raw, frozenset({"text", "image", "register"}), "twin.")
    twin = GTwin(item.text(twin_raw, "text", "twin."), _g_image(item, twin_raw, "twin."))
    people = item.people()
    if len(problems) > before:
        return None
    return GItem(key, category, en, ko_plain, text, image, people, twin, where)


def _c_image(item: _Item, raw: Mapping[str, Any], prefix: str) -> CImage:
    image = item.mapping(raw, "image", prefix)
    p = prefix + "image."
    item.unknown(image, _C_IMAGE, p)
    kind = item.choice(image, "kind", C_KINDS, p)
    lines = item.strings(image, "lines", p)
    if image and not lines:
        item.problem(p + "lines", "missing: the words the artefact shows")
    return CImage(kind, item.text(image, "title", p), lines,
                  *(item.text(image, n, p, required=False)
                    for n in ("place", "org", "date", "outlet")))


def parse_c(raw: Mapping[str, Any], category: str, where: Where,
            problems: list[Problem]) -> CItem | None:
    item = _Item(raw, where, problems)
    before = len(problems)
    item.unknown(raw, _C_FIELDS)
    key = item.text(raw, "key")
    if key and not KEY.match(key):
        item.problem("key", f"{key!r} must be lower-case ASCII letters, digits and _")
    topic = item.text(raw, "topic")
    if topic and not KEY.match(topic):
        item.problem("topic", f"{topic!r} must be lower-case ASCII letters, digits and _")
    register = item.choice(raw, "register", REGISTERS)
    cross = raw.get("cross_modal")
    if not isinstance(cross, bool):
        item.problem("cross_modal", f"must be true or false, got {cross!r}")
    text = item.text(raw, "text")
    image = _c_image(item, raw, "")
    twin_raw = item.mapping(raw, "twin")
    item.unknown(twin_raw, frozenset({"text", "image", "register"}), "twin.")
    twin_register = item.choice(twin_raw, "register", REGISTERS, "twin.") \
        if "register" in twin_raw else register
    twin = CTwin(twin_register, item.text(twin_raw, "text", "twin."),
                 _c_image(item, twin_raw, "twin."))
    people = item.people()
    topic_name = item.text(raw, "topic_name", required=False)
    if len(problems) > before:
        return None
    return CItem(key, category, topic, register, bool(cross), text, image, twin, where,
                 topic_name, people)


def _item_lines(text: str) -> list[int]:
    """Line numbers (1-based) where top-level list items start (`- ` in column 0)."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("-")]


Parser = Callable[[Mapping[str, Any], str, Where, list[Problem]], GItem | CItem | None]


def _read_file(path: Path, label: str, category: str, parser: Parser,
               problems: list[Problem]) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(label, f"cannot read: {exc}"))
        return []
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(label, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                                line=line))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(label, f"must be a YAML list of items, got "
                                       f"{type(data).__name__}"))
        return []
    starts = _item_lines(text)
    lines: list[int | None] = list(starts) if len(starts) == len(data) else [None] * len(data)
    items: list[Any] = []
    for index, (raw, line) in enumerate(zip(data, lines, strict=True), start=1):
        where = Where(label, index, line)
        if not isinstance(raw, Mapping):
            problems.append(Problem(label, f"an item must be a mapping, got "
                                           f"{type(raw).__name__}", index, line=line))
            continue
        parsed = parser(raw, category, where, problems)
        if parsed is not None:
            items.append(parsed)
    return items


def _files(directory: Path) -> list[tuple[Path, str | None, int]]:
    """(path, category or None when the name is not one, part number), in build order."""
    if not directory.is_dir():
        return []
    out: list[tuple[Path, str | None, int]] = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        m = _FILE.match(path.name)
        category = CATEGORY_OF_SLUG.get(m.group("slug")) if m else None
        out.append((path, category, int(m.group("n") or 1) if m else 0))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(out, key=lambda f: (order.get(f[1] or "", -1), f[2], f[0].name))


def load_sources(root: Path | None = None) -> Sources:
    """Every G and C item under `root` (default: the package's sources), with the problems
    of their form. Content checks (duplicates, speech level ...) are `checks.run_checks`."""
    root = default_root() if root is None else root
    problems: list[Problem] = []
    files: list[str] = []
    parts: dict[str, list[Any]] = {"g": [], "c": []}
    for part, parser in (("g", parse_g), ("c", parse_c)):
        for path, category, _n in _files(root / part):
            label = f"{part}/{path.name}"
            if category is None:
                problems.append(Problem(label, "file name must be <category_slug>.yaml or "
                                               "<category_slug>.<n>.yaml, with one of: "
                                               + ", ".join(CATEGORY_OF_SLUG)))
                continue
            files.append(label)
            parts[part].extend(_read_file(path, label, category, parser, problems))
    return Sources(tuple(parts["g"]), tuple(parts["c"]), tuple(problems), tuple(files))
