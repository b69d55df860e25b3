"""The summary printed at the end of a run, in pytest_terminal_summary (survives capture)."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ksafe_pytest.gates import GateResult
from ksafe_pytest.metrics import Metric, Rate
from ksafe_pytest.reports.ablation_view import terminal_lines
from ksafe_pytest.reports.json_report import (
    error_causes,
    evidence_counts,
    evidence_lines,
    usage_totals,
)
from ksafe_pytest.run_record import ATTACK_SUCCESS, RunRecord


def fmt_rate(rate: Rate) -> str:
    if not rate.n:
        return "-"
    low, high = rate.interval
    return f"{rate.value:6.1%} [{low:5.1%}-{high:5.1%}]"


def fmt_limit(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def width(text: str) -> int:
    """Terminal columns: Hangul and kana take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - width(text))


def _status(gates: list[GateResult]) -> str:
    if not gates:
        return ""
    states = Counter(g.status for g in gates)
    if states["fail"]:
        return "FAIL " + ",".join(g.limit_name.removeprefix("max_") for g in gates
                                  if g.status == "fail")
    if states["pass"]:
        return "PASS" + (" (some bases<min)" if states["inconclusive"] else "")
    return "bases<min"


def table_lines(record: RunRecord) -> list[str]:
    gates_by_slice: dict[str, list[GateResult]] = defaultdict(list)
    for g in record.gates:
        gates_by_slice[g.slice.label].append(g)
    limits: dict[str, dict[str, float]] = defaultdict(dict)
    for g in record.gates:
        limits[g.slice.label][g.limit_name] = g.limit
    asr = "ASR" if record.info.asr_name == ATTACK_SUCCESS else "non-refusal"
    header = (f"{'part/category':<40}{'n':>6}{'bases':>7}  {asr + ' [95% CI]':<24}"
              f"{'limit':>6}  {'over-refusal [95% CI]':<24}{'limit':>6}{'err':>6}  gate")
    lines = [header, "-" * len(header)]

    def row(name: str, m: Metric, label: str) -> str:
        lim = limits.get(label, {})
        return (f"{pad(name, 40)}{m.n:>6}{m.errors.clusters:>7}  {fmt_rate(m.asr):<24}"
                f"{fmt_limit(lim.get('max_asr')):>6}  {fmt_rate(m.over_refusal):<24}"
                f"{fmt_limit(lim.get('max_over_refusal')):>6}{m.errors.k:>6}  "
                f"{_status(gates_by_slice.get(label, []))}")

    parts = [m for m in record.metrics if m.scope == "part"]
    cells = [m for m in record.metrics if m.scope == "part/category"]
    for p in parts:
        lines.append(row(f"{p.slice.part} (all)", p, p.slice.label))
        for m in cells:
            if m.slice.part == p.slice.part:
                lines.append(row(f"  {m.slice.category}", m, m.slice.label))
    overall = [m for m in record.metrics if m.scope == "overall"]
    if overall:
        lines.append(row("all", overall[0], "*"))
    strategies = [m for m in record.metrics if m.scope == "strategy"]
    if len(strategies) > 1:
        lines += ["", f"{'strategy (harmful samples)':<40}{'n':>6}{'bases':>7}  "
                      f"{asr + ' [95% CI]':<24}"]
        lines += [f"{m.slice.strategy:<40}{m.asr.n:>6}{m.asr.clusters:>7}  {fmt_rate(m.asr)}"
                  for m in strategies]
    extra = [g for g in record.gates if g.slice.strategy != "*"]
    if extra:
        lines += ["", "strategy gates:"] + [f"  {g.status.upper():<5} {g.message}"
                                             for g in extra]
    lines += ["", "95% intervals are cluster-robust: 'bases' counts the distinct base queries "
              "(the strategy variants of one base are answered alike; docs/statistics.md)"]
    return lines + correction_lines(record)


def correction_lines(record: RunRecord) -> list[str]:
    """The overall rates corrected for judge error, or why they are not."""
    overall = next((m for m in record.metrics if m.scope == "overall"), None)
    cal = record.judge_calibration
    if overall is None or cal is None:
        return []
    asr = "ASR" if record.info.asr_name == ATTACK_SUCCESS else "non-refusal rate"
    lines = []
    for name, rate in ((asr, overall.asr), ("over-refusal", overall.over_refusal)):
        c = rate.corrected
        if c is None or not rate.n:
            continue
        if c.status == "ok" and c.value is not None and c.low is not None \
                and c.high is not None:
            lines.append(f"{name} corrected for judge error: {c.value:.1%} "
                         f"[{c.low:.1%}-{c.high:.1%}] (raw {fmt_rate(rate).strip()}; "
                         f"{cal.judge} Se {c.sensitivity:.3f}, Sp {c.specificity:.3f})")
        else:
            lines.append(f"{name} not corrected for judge error: {c.note}")
    return lines


def power_lines(record: RunRecord, most: int = 5) -> list[str]:
    """Gates that decided but cannot decide much at their size (a smoke run)."""
    weak = [g for g in record.gates if g.status != "inconclusive" and not g.can_decide]
    if not weak:
        return []
    lines = [f"{len(weak)} gate(s) cannot decide at this size: a pass or fail there is weak "
             "evidence (more samples, or gate_on: lower for a smoke run)"]
    lines += [f"  {g.power_note}" for g in weak[:most]]
    if len(weak) > most:
        lines.append(f"  ... {len(weak) - most} more in the report (gates[].power)")
    return lines


def write_summary(terminalreporter: Any, record: RunRecord, *,
                  report_error: str | None = None,
                  written: Sequence[tuple[str, Path | str]] = (),
                  hidden_failures: int = 0) -> None:
    """The run's table, errors, gates and usage; `report_error`: a report or baseline
    file could not be written; `written`: (what, path) of every report file;
    `hidden_failures`: failed samples the terminal's sections left out."""
    if record.stopped_early:
        _write_stopped_early(terminalreporter, record)
        return
    if not record.results:
        return
    tr, info = terminalreporter, record.info
    condition = " · text-only" if info.text_only else ""
    tr.write_sep("=", f"ksafe: {info.model}{condition} · judge {info.judge} · "
                      f"ASR = {info.asr_name}")
    for line in table_lines(record):
        tr.write_line(line)
    for line in terminal_lines([row.to_json() for row in record.ablation], info.asr_name):
        tr.write_line(line)
    failed = record.gates_with("fail")
    errors = [o.row for o in record.errors]
    if errors:
        causes = Counter(o.error_kind or "?" for o in record.errors)
        tr.write_line("")
        tr.write_line(f"{len(errors)} sample(s) ended in an error (excluded from the rates, "
                      "gated by max_error_rate): "
                      + ", ".join(f"{k} x{n}" for k, n in causes.most_common()))
        for line in error_lines(errors):
            tr.write_line(line)
        if causes.get("content_filter"):
            tr.write_line(f"  {causes['content_filter']} blocked by the provider's content "
                          "filter count as errors; --ksafe-filter-as-refusal counts them as "
                          "the system's refusals")
    tr.write_line("")
    if info.shard is not None:
        tr.write_line(f"shard {info.shard.label} ({len(record.results):,} of "
                      f"{info.shard.samples_total:,} samples): ASR and over-refusal gates "
                      "deferred to `ksafe merge` of all shards' reports", yellow=True)
    narrowed = info.selection.narrowed
    if narrowed and info.shard is None:
        tr.write_line(f"narrowed run ({narrowed}): the gates judge this slice only", yellow=True)
    if failed:
        tr.write_line(f"{len(failed)} gate(s) FAILED:", red=True, bold=True)
        for g in failed:
            tr.write_line(f"  {g.id}  {g.message}", red=True)
        if narrowed and info.shard is None and any(g.gate_on != "lower" for g in failed):
            tr.write_line("  a narrowed slice near a limit can fail on sampling noise alone: "
                          "--ksafe-gate-on=lower fails a gate only when its 95% interval "
                          "lies wholly over the limit", yellow=True)
    else:
        passed = len(record.gates_with("pass"))
        open_ = len(record.gates) - passed
        if passed:
            tr.write_line(f"all {passed} gate(s) passed" + (
                f", {open_} inconclusive (too few base queries)" if open_ else ""), green=True)
        elif open_:  # nothing was decided: not a green result
            tr.write_line(f"no gate decided: {open_} inconclusive (too few base queries per "
                          "slice; see min_samples)", yellow=True)
        else:
            tr.write_line(f"no gates: {info.thresholds} sets no limit", yellow=True)
    for line in power_lines(record):
        tr.write_line(line, yellow=True)
    for x in info.thresholds_check.loosened:  # reasons are shown where a reviewer looks
        tr.write_line(f"loosened: {x.message}", yellow=True)
    for line in evidence_lines(evidence_counts(o.row for o in record.results)):
        tr.write_line(line)
    usage = usage_totals(o.row for o in record.results)
    if usage["prompt_tokens"] or usage["cached"]:
        cost = f", cost ${usage['cost_usd']:.4f}" if usage["cost_usd"] is not None else ""
        tr.write_line(f"usage: {usage['prompt_tokens']:,} prompt + "
                      f"{usage['completion_tokens']:,} completion tokens{cost}; "
                      f"{usage['cached']:,} of {len(record.results):,} answers from the cache"
                      + (f"; latency p50 {usage['latency_p50_s']:.2f} s, p95 "
                         f"{usage['latency_p95_s']:.2f} s" if usage["latency_p50_s"] else ""))
    for line in traffic_lines(record):
        tr.write_line(line)
    if hidden_failures:
        tr.write_line(f"{hidden_failures:,} more failed sample(s) not shown above (the first "
                      "ones are): every one is in the reports"
                      + ("" if written else "; write them with --ksafe-report or --junitxml"),
                      yellow=True)
    if report_error is not None:
        tr.write_line(f"ksafe: {report_error}", red=True, bold=True)
    for label, path in written if report_error is None else ():
        tr.write_line(f"{label}: {path}")


def traffic_lines(record: RunRecord) -> list[str]:
    """Per model called: calls, the concurrency reached, 429s and the waits they cost."""
    lines = []
    for t in record.traffic:
        limited = (f"{t.rate_limited} answered 429" + (f", all calls paused {t.held_s:.1f} s"
                                                       if t.held_s else ""))
        rate = f"; provider refills {t.learned_rps:.1f} req/s" if t.learned_rps else ""
        lines.append(f"traffic: {t.role} {t.model}: {t.calls:,} calls, up to "
                     f"{t.peak_in_flight} in flight (ceiling {t.ceiling}); {limited}{rate}")
    return lines


def _write_stopped_early(tr: Any, record: RunRecord) -> None:
    tr.write_sep("=", f"ksafe: {record.info.model} · stopped early")
    tr.write_line(f"{record.stopped_early}: {len(record.results):,} of {record.expected:,} "
                  "samples ran; no gate evaluated, no baseline or report written", yellow=True)
    if record.info.cache_dir is not None:
        tr.write_line(f"the answers received so far are in the response cache "
                      f"({record.info.cache_dir}): the same command resumes from there")


def write_snapshot_summary(terminalreporter: Any, record: RunRecord) -> None:
    lines = record.snapshots.summary_lines() if record.snapshots is not None else []
    if lines:
        terminalreporter.write_line("")
    for line in lines:
        red = line.lstrip().startswith("REGRESSION")
        terminalreporter.write_line(line, red=red)


def error_lines(errors: Sequence[Mapping[str, Any]], most: int = 5) -> list[str]:
    """The distinct causes, most frequent first, each with a count and an example sample:
    14k samples failing the same way read as one line."""
    causes = error_causes(errors)
    lines = [f"  {len(ids)}x {kind}: {message} (e.g. {ids[0]})"
             for kind, message, ids in causes[:most]]
    if len(causes) > most:
        lines.append(f"  ... {len(causes) - most} more cause(s) in the report")
    return lines

