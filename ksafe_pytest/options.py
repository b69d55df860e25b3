"""Command-line options, their ini twins, and the validated settings they resolve to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.taxonomy import CATEGORIES, PARTS, STRATEGIES, resolve

if TYPE_CHECKING:  # imported when a ksafe run resolves its settings, not at plugin load
    from ksafe_pytest.snapshots.run import SnapshotSettings

# name, ini twin?, default, help
OPTIONS: tuple[tuple[str, bool, str | None, str], ...] = (
    ("model", False, None, "model under test: ksafe/guarded, ksafe/refuse-all, "
     "ksafe/comply-all (offline), or any litellm model such as openai/gpt-4o. "
     "Without it the plugin does nothing."),
    ("api-base", True, None, "OpenAI-compatible endpoint; served by the direct HTTP client"),
    ("api-key-env", True, None, "name of the environment variable holding the API key"),
    ("judge", True, "rules", "judge: 'rules' (offline), 'rules+embed', or "
     "[majority|any|all:]MODEL[,MODEL...] for LLM judges on top of the rules; a MODEL "
     "written guard:KIND@MODEL is a guard model (kanana, qwen3guard, llamaguard, "
     "shieldgemma, binary)"),
    ("judge-api-base", True, None, "OpenAI-compatible endpoint for the judge models"),
    ("judge-api-key-env", True, None, "name of the environment variable holding the judge "
     "models' API key"),
    ("dataset", True, "builtin", "dataset: 'builtin', a .jsonl file, a folder, or .parquet"),
    ("locale", True, "ko", "locale of the built-in dataset: ko, or ja (pilot)"),
    ("part", False, None, "only these parts, comma-separated: G, C"),
    ("category", False, None, "only these categories, comma-separated (names or slugs)"),
    ("strategy", False, None, "only these strategies, comma-separated"),
    ("limit", False, None, "a stratified subset of about N samples, stable across runs"),
    ("shard", False, None, "K/N: run the K-th of N stratified parts of the selection (one "
     "CI job of N); its ASR and over-refusal gates wait for `ksafe merge` of the N reports"),
    ("concurrency", True, "64", "the most model calls in flight at once, per model and per "
     "judge model (per process); below it the number adapts to the provider: it starts at "
     "16, grows while answers come, and is halved when 429s are frequent"),
    ("rpm", True, None, "at most this many requests per minute"),
    ("timeout", True, "60", "seconds per request before it counts as a timeout"),
    ("retries", True, "4", "retries of a request after 5xx, timeouts or malformed answers "
     "(a 429 is waited out instead, see --ksafe-rate-limit-wait)"),
    ("rate-limit-wait", True, "600", "seconds a sample may wait out rate limits (429) from "
     "its first 429 before it counts as an error"),
    ("max-tokens", True, "1024", "the answer's token limit sent with each request (raise it "
     "for reasoning models, whose thinking counts too)"),
    ("cache", True, ".ksafe_cache", "response cache folder"),
    ("thresholds", True, None, "thresholds file (default: ./thresholds.yaml if present)"),
    ("gate-on", True, None, "compare every gate's limit with the rate (point), its 95% "
     "upper bound (upper: clearly under) or lower bound (lower: fail only when clearly "
     "over, for --ksafe-limit, -k and -m smoke runs); overrides gate_on of the thresholds "
     "file for this run"),
    ("thresholds-base", True, None, "thresholds file to compare with: a limit looser than "
     "there needs a `reason:` (default: the file at git HEAD)"),
    ("calibration", True, None, "judge calibration file made by `ksafe calibrate --save`: "
     "the judge's sensitivity and specificity, to correct the rates for judge error (the "
     "rule judge's are built in)"),
    ("report", True, None, "write the JSON report here"),
    ("md", True, None, "write a Markdown summary here (gate table, top regressions; for CI)"),
    ("html", True, None, "write a self-contained HTML report here"),
    ("snapshot-dir", True, "__ksafe_snapshots__", "folder of the regression baselines "
     "(relative to the rootdir)"),
    ("baseline", True, "default", "name of the baseline to compare with and, with "
     "--snapshot-update, to accept into"),
    ("repeats", True, "1", "ask each sample N times and take the majority verdict; "
     "samples that disagree are flagged unstable"),
)
FLAGS: tuple[tuple[str, str], ...] = (
    ("no-cache", "neither read nor write the response cache"),
    ("rejudge", "judge cached answers again (new judge or rubric) without calling the model"),
    ("strict", "fail a harmful sample that was attacked and a benign sample that was refused"),
    ("text-only", "send the image's words as text instead of the image (text-only models)"),
    ("snapshot-text", "keep the answer text in the regression snapshots"),
    ("no-snapshots", "neither compare with nor write regression snapshots"),
    ("snapshot-prune", "remove the baseline entries of samples no longer in the dataset"),
    ("fixed-concurrency", "keep --ksafe-concurrency calls in flight instead of adapting"),
    ("ablation", "image-ablation control: ask every selected harmful sample also with a "
     "neutral image of the same kind and with no image, and report what the image adds"),
    ("filter-as-refusal", "count a prompt or answer blocked by the provider's content "
     "filter as a refusal of the system (default: an error)"),
)


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("ksafe", "KSAFE-MM safety benchmark (ksafe-pytest)")
    for name, has_ini, default, help_text in OPTIONS:
        dest = "ksafe_" + name.replace("-", "_")
        group.addoption(f"--ksafe-{name}", dest=dest, default=None, help=help_text
                        + (f" (default: {default})" if default else ""))
        if has_ini:
            parser.addini(dest, help=help_text, default=default)
    for name, help_text in FLAGS:
        group.addoption(f"--ksafe-{name}", dest="ksafe_" + name.replace("-", "_"),
                        action="store_true", default=False, help=help_text)


@dataclass(frozen=True)
class Settings:
    model: str
    api_base: str | None
    api_key_env: str | None
    judge: str
    judge_api_base: str | None
    judge_api_key_env: str | None
    rejudge: bool
    dataset: str
    locale: str
    parts: tuple[str, ...]
    categories: tuple[str, ...]
    strategies: tuple[str, ...]
    limit: int | None
    shard: tuple[int, int] | None  # --ksafe-shard K/N
    concurrency: int
    rpm: float | None
    timeout_s: float
    retries: int
    rate_limit_wait_s: float
    adaptive: bool
    max_tokens: int
    cache_dir: Path | None
    thresholds: Path | None
    thresholds_base: Path | None
    report: Path | None
    md: Path | None
    html: Path | None
    strict: bool
    text_only: bool
    filter_as_refusal: bool
    ablation: bool
    repeats: int  # --ksafe-repeats
    snapshots: SnapshotSettings
    calibration: Path | None = None  # --ksafe-calibration
    gate_on: str | None = None  # --ksafe-gate-on: every gate's gate_on for this run


def option_value(config: pytest.Config, name: str) -> str | None:
    """A ksafe option from the command line, else its ini twin (if it has one)."""
    dest = "ksafe_" + name.replace("-", "_")
    value = config.getoption(dest)
    if value is None and any(n == name and ini for n, ini, _, _ in OPTIONS):
        value = config.getini(dest) or None
    return value


def _number(config: pytest.Config, name: str, kind: type, minimum: float) -> float | None:
    raw = option_value(config, name)
    if raw is None or raw == "":
        return None
    try:
        number = kind(raw)
    except ValueError:
        raise ConfigError(f"--ksafe-{name}: expected a number, got {raw!r}") from None
    if number < minimum:
        raise ConfigError(f"--ksafe-{name}: must be at least {minimum}, got {raw!r}")
    return float(number)


def _choices(config: pytest.Config, name: str, kind: str,
             choices: tuple[str, ...]) -> tuple[str, ...]:
    raw = option_value(config, name)
    if not raw:
        return ()
    try:
        return tuple(resolve(kind, v.strip(), choices) for v in raw.split(",") if v.strip())
    except ValueError as exc:
        raise ConfigError(f"--ksafe-{name}: {exc}") from None


def _shard(config: pytest.Config) -> tuple[int, int] | None:
    from ksafe_pytest.shard import parse_shard

    raw = option_value(config, "shard")
    return None if raw is None else parse_shard(raw)


def _output(config: pytest.Config, name: str) -> Path | None:
    """A report file option, checked now rather than after the run."""
    raw = option_value(config, name)
    if not raw:
        return None
    from ksafe_pytest.fileio import unwritable  # sqlite3 with it: only for a ksafe run

    why = unwritable(Path(raw))
    if why:
        raise ConfigError(f"--ksafe-{name}: cannot write {raw}: {why}")
    return Path(raw)


def _no_empty_values(config: pytest.Config) -> None:
    """An option given with no value is a mistake (most often an unset CI variable:
    `--ksafe-model=$MODEL`), never a request for the default or for no safety check."""
    for name, has_ini, default, _ in OPTIONS:
        dest = "ksafe_" + name.replace("-", "_")
        value = config.getoption(dest)
        if value is not None and not value.strip():
            raise ConfigError(f"--ksafe-{name} is empty (an unset variable?): give it "
                                    "a value or leave the option out")
        # an ini twin with a default reads "" only when a line sets it to nothing
        if value is None and has_ini and default and not str(config.getini(dest)).strip():
            raise ConfigError(f"ini option {dest} is empty: give it a value or remove "
                                    "the line")


def repeat_count(config: pytest.Config) -> int:
    """--ksafe-repeats (or its ini twin), validated."""
    from ksafe_pytest.repeats import MAX_REPEATS

    raw = option_value(config, "repeats")
    if raw in (None, ""):
        return 1
    try:
        n = int(str(raw))
    except ValueError:
        raise ConfigError(f"--ksafe-repeats: expected a whole number, got {raw!r}") from None
    if not 1 <= n <= MAX_REPEATS:
        raise ConfigError(f"--ksafe-repeats: must be from 1 to {MAX_REPEATS}, got {n}")
    return n


def snapshot_settings(config: pytest.Config) -> SnapshotSettings:
    """Where the baseline lives and what this run may do to it, checked now (a folder
    that cannot be written is found before the run, not after it)."""
    from ksafe_pytest.fileio import unwritable
    from ksafe_pytest.snapshots.baseline import file_name
    from ksafe_pytest.snapshots.run import DEFAULT_BASELINE, DEFAULT_DIR, SnapshotSettings

    root = Path(config.rootpath)
    raw_dir = option_value(config, "snapshot-dir") or DEFAULT_DIR
    baseline = option_value(config, "baseline") or DEFAULT_BASELINE
    if not baseline or "/" in baseline or "\\" in baseline or baseline.startswith("."):
        raise ConfigError(f"--ksafe-baseline: a plain folder name is needed, got "
                          f"{baseline!r}")
    top = Path(raw_dir)
    top = top if top.is_absolute() else root / top
    syrupy_dir = str(getattr(config.option, "snapshot_dirname", "__snapshots__"))
    if syrupy_dir in top.parts or top.name == syrupy_dir:
        raise ConfigError(f"--ksafe-snapshot-dir {raw_dir}: must not lie inside a "
                          f"'{syrupy_dir}' folder: syrupy scans those and would delete "
                          "ksafe snapshots as unused")
    settings = SnapshotSettings(
        directory=top / baseline, baseline=baseline,
        update=bool(config.getoption("update_snapshots", False)),
        new_only=bool(config.getoption("update_new_snapshots_only", False)),
        with_text=bool(config.getoption("ksafe_snapshot_text", False)),
        enabled=not bool(config.getoption("ksafe_no_snapshots", False)),
        prune=bool(config.getoption("ksafe_snapshot_prune", False)))
    writes = settings.update or settings.new_only or settings.prune
    why = unwritable(settings.directory / file_name("C", CATEGORIES[0])) \
        if settings.enabled and writes else None
    if why:  # found now, not after the run
        raise ConfigError(f"--ksafe-snapshot-dir {raw_dir}: cannot write the baseline "
                          f"'{baseline}' there: {why}")
    return settings


def _gate_on(config: pytest.Config) -> str | None:
    from ksafe_pytest.gates import GATE_ON

    value = option_value(config, "gate-on")
    if value is not None and value not in GATE_ON:
        raise ConfigError(f"--ksafe-gate-on: expected one of {', '.join(GATE_ON)}, "
                          f"got {value!r}")
    return value


def resolve_settings(config: pytest.Config) -> Settings | None:
    """None when --ksafe-model is not given: then the plugin stays inert. Raises
    ConfigError naming the option."""
    model = config.getoption("ksafe_model")
    if model is None:
        return None
    _no_empty_values(config)
    locale = option_value(config, "locale") or "ko"
    if locale not in ("ko", "ja"):
        raise ConfigError(f"--ksafe-locale: expected ko or ja, got {locale!r}")
    thresholds = option_value(config, "thresholds")
    if thresholds is None and (config.rootpath / "thresholds.yaml").exists():
        thresholds = str(config.rootpath / "thresholds.yaml")
    limit = _number(config, "limit", int, 1)
    rpm = _number(config, "rpm", float, 0.001)
    no_cache = config.getoption("ksafe_no_cache")
    if no_cache and config.getoption("ksafe_rejudge"):
        raise ConfigError("--ksafe-rejudge re-judges cached answers: it cannot be "
                                "combined with --ksafe-no-cache")
    ablation = bool(config.getoption("ksafe_ablation"))
    if ablation and config.getoption("ksafe_text_only"):
        raise ConfigError("--ksafe-ablation compares answers with and without the image: "
                                "it needs a model that sees images, not --ksafe-text-only")
    return Settings(
        model=model,
        api_base=option_value(config, "api-base"),
        api_key_env=option_value(config, "api-key-env"),
        judge=option_value(config, "judge") or "rules",
        judge_api_base=option_value(config, "judge-api-base"),
        judge_api_key_env=option_value(config, "judge-api-key-env"),
        rejudge=bool(config.getoption("ksafe_rejudge")),
        dataset=option_value(config, "dataset") or "builtin",
        locale=locale,
        parts=_choices(config, "part", "part", tuple(PARTS)),
        categories=_choices(config, "category", "category", CATEGORIES),
        strategies=_choices(config, "strategy", "strategy", STRATEGIES),
        limit=int(limit) if limit is not None else None,
        shard=_shard(config),
        concurrency=int(_number(config, "concurrency", int, 1) or 64),
        rpm=rpm,
        timeout_s=_number(config, "timeout", float, 0.001) or 60.0,
        retries=int(_number(config, "retries", int, 0) or 0),
        rate_limit_wait_s=_number(config, "rate-limit-wait", float, 0) or 0.0,
        adaptive=not config.getoption("ksafe_fixed_concurrency"),
        max_tokens=int(_number(config, "max-tokens", int, 1) or 1024),
        cache_dir=None if no_cache else Path(option_value(config, "cache") or ".ksafe_cache"),
        thresholds=Path(thresholds) if thresholds else None,
        thresholds_base=Path(base) if (base := option_value(config, "thresholds-base"))
        else None,
        gate_on=_gate_on(config),
        report=_output(config, "report"),
        md=_output(config, "md"),
        html=_output(config, "html"),
        strict=bool(config.getoption("ksafe_strict")),
        text_only=bool(config.getoption("ksafe_text_only")),
        filter_as_refusal=bool(config.getoption("ksafe_filter_as_refusal")),
        ablation=ablation,
        repeats=repeat_count(config),
        snapshots=snapshot_settings(config),
        calibration=Path(c) if (c := option_value(config, "calibration")) else None,
    )
