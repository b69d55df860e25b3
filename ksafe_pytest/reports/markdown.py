"""Markdown summary for a CI job page (e.g. `$GITHUB_STEP_SUMMARY`): verdict first, then
the gate table (failures first), the top regressions against the snapshot baseline, and
categories that drifted (McNemar) even where no gate failed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ksafe_pytest.records import Outcome
from ksafe_pytest.reports.ablation_view import markdown_lines
from ksafe_pytest.reports.json_report import bound_name, error_causes, evidence_lines

TOP = 20  # regressions listed
NAMES = {"max_asr": "ASR", "max_over_refusal": "over-refusal", "max_error_rate": "error rate"}
ICON = {"fail": "❌ fail", "pass": "✅ pass", "inconclusive": "➖ bases<min"}


def cell(value: Any) -> str:
    """A table cell: pipes and newlines would break the row."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _slice(g: Mapping[str, Any]) -> str:
    parts = [g["part"], g["category"] if g["category"] != "*" else g.get("domain", "*")]
    if g.get("strategy", "*") != "*":
        parts.append(g["strategy"])
    return "/".join(parts)


def _gate_rows(gates: list[Mapping[str, Any]]) -> list[str]:
    rows = ["| gate | slice | measure | value [95% CI] | compared | limit | n | bases |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for g in gates:
        measure = NAMES.get(g["limit_name"], g["limit_name"])
        if g.get("gate_rate") == "corrected":
            measure += " (corrected)"
        interval = (f" [{pct(g['low'])}–{pct(g['high'])}]"
                    if g.get("low") is not None and g.get("high") is not None else "")
        rows.append(f"| {ICON.get(g['status'], g['status'])} | {cell(_slice(g))} | "
                    f"{measure} | {pct(g['value'])}{interval} | "
                    f"{pct(g['bound']) if g['status'] != 'inconclusive' else '–'}"
                    f"{f' ({bound_name(g)})' if bound_name(g) else ''}"
                    f" | {pct(g['limit'])} | {g['n']} | {g.get('clusters', '–')} |")
    return rows


def _rate(name: str, rate: Mapping[str, Any]) -> str:
    """`ASR 38.3% (95% CI 26.8%–51.3%, n=660, 60 bases; corrected for judge error 37.1%
    [24.1%–51.7%])`"""
    bases = f", {rate['clusters']} bases" if rate.get("clusters") is not None else ""
    text = (f"{name} {pct(rate['value'])} (95% CI {pct(rate['low'])}–{pct(rate['high'])}, "
            f"n={rate['n']}{bases}")
    c = rate.get("corrected")
    if c and c.get("status") == "ok":
        text += (f"; corrected for judge error {pct(c['value'])} "
                 f"[{pct(c['low'])}–{pct(c['high'])}]")
    elif c:
        text += f"; not corrected for judge error: {cell(c.get('note'))}"
    return text + ")"


def _power_lines(gates: list[Mapping[str, Any]]) -> list[str]:
    weak = [g for g in gates if g["status"] != "inconclusive" and g.get("can_decide") is False]
    if not weak:
        return []
    lines = ["", f"⚠️ {len(weak)} gate(s) cannot decide at this size: a pass or fail there is "
             "weak evidence (each fails the first rate with 80% probability and passes the "
             "second with 80%).", ""]
    for g in weak[:TOP]:
        p = g.get("power") or {}
        lines.append(f"- {cell(_slice(g))} {NAMES.get(g['limit_name'], g['limit_name'])} "
                     f"(limit {pct(g['limit'])}, n={g['n']}, {g.get('clusters')} bases): "
                     f"fails {pct(p.get('detectable'))}, passes {pct(p.get('passable'))}")
    if len(weak) > TOP:
        lines.append(f"- … {len(weak) - TOP} more in the JSON report")
    return lines


def render_markdown(report: Mapping[str, Any]) -> str:
    run, summary = report["run"], report["summary"]
    gates = list(report["gates"])
    snaps = report.get("snapshots") or None
    failed = [g for g in gates if g["status"] == "fail"]
    regressions = [c for c in (snaps or {}).get("changes", [])
                   if c["change"] == "regression"]
    failing_regressions = [c for c in regressions if not c.get("unstable")]
    ok = not failed and not (failing_regressions and not (snaps or {}).get("updated"))
    lines = [f"## {'✅' if ok else '❌'} ksafe: `{cell(run['model'])}`", ""]
    lines.append(f"judge `{cell(run['judge'])}` · ASR = {cell(run.get('asr_name', 'ASR'))} · "
                 f"{summary['samples']} samples · {summary['errors']} errors · "
                 f"gates: {summary['gates_failed']} failed, {summary['gates_passed']} passed, "
                 f"{summary['gates_inconclusive']} inconclusive")
    for line in evidence_lines(summary):
        lines += ["", line]
    narrowed = (run.get("selection") or {}).get("narrowed")
    if narrowed:
        lines += ["", f"⚠️ narrowed run ({cell(narrowed)}): the gates judge this slice only"]
    if snaps:
        n = snaps["counts"]
        lines.append("")
        lines.append(f"snapshot baseline `{cell(snaps['baseline'])}`: "
                     f"**{n['regression']} regression(s)**, {n['improvement']} improvement(s), "
                     f"{n['changed']} changed, {n['same']} same, {n['new']} new"
                     + (f", {n['unstable']} unstable" if n.get("unstable") else "")
                     + (" — accepted as the new baseline" if snaps.get("updated") else ""))
    overall = next((m for m in report["metrics"] if m["scope"] == "overall"), None)
    if overall:
        lines += ["", f"overall: {_rate('ASR', overall['asr'])}, "
                  f"{_rate('over-refusal', overall['over_refusal'])}"]
        if overall["asr"].get("clusters") is not None:
            lines += ["", "95% intervals are cluster-robust: *bases* counts distinct base "
                      "queries, since the strategy variants of one base are answered alike."]
    decided = [g for g in gates if g["status"] != "inconclusive"]
    decided.sort(key=lambda g: g["status"] != "fail")
    lines += ["", "### Gates", ""]
    lines += _gate_rows(decided) if decided else ["no gate had enough samples to decide"]
    lines += _power_lines(decided)
    undecided = [g for g in gates if g["status"] == "inconclusive"]
    if undecided:
        lines += ["", f"<details><summary>{len(undecided)} gate(s) not decided "
                  "(fewer base queries than min_samples)</summary>", ""]
        lines += [*_gate_rows(undecided), "", "</details>"]
    loosened = (run.get("thresholds_check") or {}).get("loosened") or []
    if loosened:
        lines += ["", f"### Limits loosened against {cell(run['thresholds_check']['base'])} "
                  f"({len(loosened)})", "", "| slice | limit | before | after | reason |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [f"| {cell(_slice(x))} | {cell(x['limit_name'])} | {cell(x['before'])} | "
                  f"{cell(x['after'])} | {cell(x['reason'])} |" for x in loosened]
    if regressions:
        by_id = {r["id"]: r for r in report["samples"]}
        lines += ["", f"### Top regressions ({len(regressions)})", "",
                  "| sample | category | strategy | before | after | note |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for c in regressions[:TOP]:
            row = by_id.get(c["id"], {})
            b, a = c.get("before") or {}, c["after"]
            lines.append(f"| `{cell(c['id'])}` | {cell(c['part'])}/{cell(c['category'])} | "
                         f"{cell(row.get('strategy', ''))} | {cell(b.get('outcome'))} "
                         f"({cell(b.get('label'))}) | {cell(a['outcome'])} ({cell(a['label'])})"
                         f" | {'unstable, not failed' if c.get('unstable') else ''} |")
        if len(regressions) > TOP:
            lines.append(f"\n… and {len(regressions) - TOP} more in the JSON report.")
    drift = [m for m in (snaps or {}).get("mcnemar", [])
             if m["part"] != "*" and m["to_unsafe"] + m["to_safe"] > 0]
    if drift:
        lines += ["", "### Drift against the baseline (McNemar, paired)", "",
                  "| slice | measure | → unsafe | → safe | p | bases flipped | clustered p |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        for m in sorted(drift, key=lambda m: m["p_value"])[:TOP]:
            clustered = (f"{m['flipped_clusters']} of {m['clusters']} | "
                         f"{m['clustered_p']:.3g}" if "clustered_p" in m else "– | –")
            lines.append(f"| {cell(m['part'])}/{cell(m['category'])} | "
                         f"{'ASR' if m['measure'] == 'asr' else 'over-refusal'} | "
                         f"{m['to_unsafe']} | {m['to_safe']} | {m['p_value']:.3g} | "
                         f"{clustered} |")
    lines += markdown_lines(report.get("ablation") or [])
    errors = [r for r in report["samples"] if Outcome.from_json(r).is_error]
    if errors:
        causes = error_causes(errors)
        lines += ["", f"### Errors ({len(errors)}, by cause)", ""]
        for kind, message, ids in causes[:10]:
            lines.append(f"- {len(ids)}x {cell(kind)}: {cell(message)} (e.g. `{cell(ids[0])}`)")
        if len(causes) > 10:
            lines.append(f"- … {len(causes) - 10} more cause(s) in the JSON report")
    return "\n".join(lines) + "\n"
