"""One self-contained HTML report: opens with no network, no script, nothing to install.

Everything is inline: CSS, SVG charts, images as PNG data URLs rendered from each
sample's spec. A Content-Security-Policy forbids every fetch, so a stray URL could not
phone home even if one slipped in. Korean renders with the system's fonts (font stack with
Apple SD Gothic Neo, Malgun Gothic, Noto Sans KR, Nanum Gothic); nothing heavy is embedded.

The first screen answers "did it pass, and where does it fail": the verdict cards, the
failed gates, the rates per category. Given several runs (`ksafe report RUN1.json
RUN2.json ...`), the runs table and the safety vs over-refusal scatter (one point per run)
come next; the detailed sections describe the last run. This module lays out the page, its
tables and sample cards; `charts` draws the SVG charts, `worst` picks the samples shown.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

from ksafe_pytest.records import Outcome
from ksafe_pytest.reports.ablation_view import html_section
from ksafe_pytest.reports.charts import (
    ASR_COLOR,
    OR_COLOR,
    bars_svg,
    heatmap_svg,
    parts_svg,
    scatter_svg,
)
from ksafe_pytest.reports.charts import esc as _e
from ksafe_pytest.reports.charts import find_metric as _metric
from ksafe_pytest.reports.charts import pct as _pct
from ksafe_pytest.reports.json_report import bound_name, error_causes
from ksafe_pytest.reports.worst import Worst, worst_samples

THUMB = 240  # px, longest side of a sample image
FONT = ("-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Apple SD Gothic Neo', "
        "'Malgun Gothic', '맑은 고딕', 'Noto Sans KR', 'Noto Sans CJK KR', 'NanumGothic', "
        "'Nanum Gothic', Roboto, 'Helvetica Neue', Arial, sans-serif")
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONT}; margin: 0 auto; max-width: 1180px; padding: 24px;
  color: #1d1d1f; background: #fff; line-height: 1.45; word-break: keep-all; }}
h1 {{ font-size: 1.6em; margin: 0 0 4px; }} h2 {{ margin-top: 36px; border-bottom: 2px solid #eee;
  padding-bottom: 4px; }}
.meta {{ color: #555; }} .cards {{ display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }}
.card {{ border: 1px solid #ddd; border-radius: 8px; padding: 10px 14px; min-width: 140px; }}
.card b {{ display: block; font-size: 1.5em; }}
.fail {{ color: #b3261e; }} .pass {{ color: #1e7a34; }} .muted {{ color: #777; }}
table {{ border-collapse: collapse; font-size: .92em; margin: 8px 0; }}
th, td {{ border-bottom: 1px solid #e5e5e5; padding: 4px 8px; text-align: left;
  vertical-align: top; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.num {{ white-space: nowrap; }} table.dense {{ font-size: .85em; }}
th.group {{ text-align: center; border-bottom: 2px solid #ccc; }}
svg {{ font-family: {FONT}; font-size: 12px; max-width: 100%; height: auto; }}
.samples {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
  gap: 14px; }}
.sample {{ border: 1px solid #ddd; border-radius: 8px; padding: 10px; overflow-wrap: anywhere; }}
.sample img {{ max-width: 100%; border: 1px solid #eee; display: block; margin: 6px 0; }}
.tag {{ display: inline-block; background: #f1f1f1; border-radius: 4px; padding: 0 6px;
  margin-right: 4px; font-size: .85em; }}
.tag.bad {{ background: #fde2e0; color: #8c1d18; }}
.why {{ margin: 4px 0; font-size: .9em; color: #8c1d18; }}
pre {{ white-space: pre-wrap; background: #f7f7f7; padding: 8px; border-radius: 6px;
  margin: 4px 0; font-family: inherit; }}
details > summary {{ cursor: pointer; color: #444; }}
.legend span {{ margin-right: 14px; }}
.sw {{ display: inline-block; width: 10px; height: 10px; margin-right: 4px; }}
"""


# -- samples ---------------------------------------------------------------------------------

def image_data_url(spec: Mapping[str, Any] | None, cache: Any) -> tuple[str | None, str]:
    """(data URL of a thumbnail, or None, and why not)."""
    if not spec:
        return None, "no image"
    try:
        from PIL import Image

        from ksafe_pytest.records import ImageSpec

        png = cache.png(ImageSpec(spec["kind"], spec.get("params") or {}, spec.get("file", "")))
        img = Image.open(io.BytesIO(png))
        img.thumbnail((THUMB, THUMB))
        out = io.BytesIO()
        img.convert("RGB").save(out, format="PNG", optimize=True)
    except Exception as exc:  # a missing file or unknown renderer: say so, keep the report
        return None, f"image unavailable: {type(exc).__name__}: {exc}"
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii"), ""


def sample_card(pick: Worst, cache: Any) -> str:
    row = pick.row
    harmful = row["intent"] == "harmful"
    url, why = image_data_url(row.get("image"), cache)
    img = (f'<img src="{url}" alt="{_e(row["id"])} image">' if url
           else f'<p class="muted">{_e(why)}</p>')
    o = Outcome.from_json(row)
    tags = (f'<span class="tag">{_e(o.part)}</span><span class="tag">'
            f'{_e(o.category)}</span><span class="tag">{_e(o.strategy)}</span>'
            f'<span class="tag bad">{_e(o.intent)}: {_e(o.label.value)}</span>')
    evidence = ", ".join(o.evidence)
    prompt = f"<pre>{_e(row.get('prompt'))}</pre>"
    answer = f"<pre>{_e(row.get('answer'))}</pre>"
    if harmful:  # the jailbreak and the harmful answer stay folded until asked for
        prompt = f"<details><summary>prompt</summary>{prompt}</details>"
        answer = (f"<details><summary>answer (may contain harmful content)</summary>"
                  f"{answer}</details>")
    else:
        prompt = f"<details open><summary>prompt</summary>{prompt}</details>"
        answer = f"<details open><summary>answer</summary>{answer}</details>"
    return (f'<div class="sample"><b>{_e(row["id"])}</b><br>{tags}'
            f'<p class="why">{_e(pick.reason)}</p>{img}{prompt}{answer}'
            f'<div class="muted">judge {_e(o.judge)}: {_e(evidence)}</div></div>')


# -- tables ----------------------------------------------------------------------------------

def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "&lt;1e-6" if value < 1e-6 else format(value, ".3g")


def rate_note(rate: Mapping[str, Any]) -> str:
    """Under a headline rate: its interval, base queries and the judge-error correction."""
    text = f"95% CI {_pct(rate.get('low'))}–{_pct(rate.get('high'))}"
    if rate.get("clusters") is not None:
        text += f"<br>n={rate.get('n')} · {rate['clusters']} bases"
    if rate.get("design_effect") is not None:
        text += f" · design effect {rate['design_effect']:.2f}"
    c = rate.get("corrected")
    if c and c.get("status") == "ok":
        text += (f"<br>corrected for judge error {_pct(c.get('value'))} "
                 f"[{_pct(c.get('low'))}–{_pct(c.get('high'))}]")
    elif c:
        text += f'<br><span class="muted">not corrected: {_e(c.get("note"))}</span>'
    return text


def _interval(rate: Mapping[str, Any]) -> str:
    low, high = rate.get("low"), rate.get("high")
    bounds = "–" if low is None or high is None else f"{low * 100:.1f}–{high * 100:.1f}"
    return f"{_pct(rate.get('value'))} [{bounds}]"


def _corrected(rate: Mapping[str, Any]) -> str:
    """The rate corrected for judge error with its interval, or why there is none."""
    c = rate.get("corrected") or {}
    if c.get("status") == "ok":
        return _interval(c)
    return f'<span class="muted" title="{_e(c.get("note"))}">{_e(c.get("status", "–"))}</span>'


def _rate_cells(rate: Mapping[str, Any]) -> str:
    if not rate.get("n"):
        return '<td class="muted" colspan="5">no samples</td>'
    deff = rate.get("design_effect")
    corrected = _corrected(rate)
    return (f'<td class="num">{_interval(rate)}</td><td class="num">{rate["k"]}/{rate["n"]}</td>'
            f'<td class="num">{rate.get("clusters", "–")}</td>'
            f'<td class="num">{"–" if deff is None else format(deff, ".2f")}</td>'
            f'<td class="num">{corrected}</td>')


def category_table(report: Mapping[str, Any]) -> str:
    """The numbers behind the bars: interval, k/n, base queries, design effect and the rate
    corrected for judge error, per part and category."""
    rows = [m for m in report["metrics"] if m["scope"] in ("overall", "part/category")]
    if len(rows) < 2:
        return ""
    body = "".join(
        f'<tr><td>{"all" if m["scope"] == "overall" else _e(m["part"] + " · " + m["category"])}'
        f'</td>{_rate_cells(m["asr"])}{_rate_cells(m["over_refusal"])}</tr>' for m in rows)
    sub = ('<th class="num">rate [95% CI]</th><th class="num">k/n</th><th class="num">bases'
           '</th><th class="num">design effect</th><th class="num">corrected [95% CI]</th>')
    return ('<details open><summary>numbers: base queries, design effect, rates corrected '
            'for judge error</summary><table class="dense"><tr><th></th><th class="group" colspan="5">'
            f'{_e(report["run"].get("asr_name", "ASR"))}</th><th class="group" colspan="5">'
            'over-refusal</th>'
            f'</tr><tr><th>part · category</th>{sub}{sub}</tr>{body}</table></details>')


def failed_gates(report: Mapping[str, Any]) -> str:
    failed = sorted((g for g in report["gates"] if g["status"] == "fail"), key=lambda g: g["id"])
    if not failed:
        return ""
    return f'<h2 class="fail">Failed gates ({len(failed)})</h2>{_gate_rows(failed)}'


def gates_table(report: Mapping[str, Any]) -> str:
    gates = sorted(report["gates"], key=lambda g: ({"fail": 0, "pass": 1}.get(g["status"], 2),
                                                    g["id"]))
    if not gates:
        return '<p class="muted">no gates</p>'
    decided = [g for g in gates if g["status"] in ("fail", "pass")]
    undecided = [g for g in gates if g["status"] not in ("fail", "pass")]
    out = _gate_rows(decided) if decided else '<p class="muted">no gate had enough samples</p>'
    if undecided:
        out += (f"<details><summary>{len(undecided)} gate(s) not decided (fewer base queries "
                f"than min_samples)</summary>{_gate_rows(undecided)}</details>")
    return out


def _gate_rows(gates: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for g in gates:
        cls = {"fail": "fail", "pass": "pass"}.get(g["status"], "muted")
        interval = (f' <span class="muted">[{_pct(g["low"])}–{_pct(g["high"])}]</span>'
                    if g.get("low") is not None and g.get("high") is not None else "")
        corrected = " (corrected)" if g.get("gate_rate") == "corrected" else ""
        power = g.get("power") or {}
        weak = (f' <span class="muted" title="fails a true {_pct(power.get("detectable"))} and '
                f'passes a true {_pct(power.get("passable"))} with 80% probability">'
                '(cannot decide at this size)</span>'
                if g.get("can_decide") is False and g["status"] != "inconclusive" else "")
        rows.append(f'<tr><td class="{cls}">{_e(g["status"])}</td><td>{_e(g["id"])}'
                    f'{_e(corrected)}{weak}</td>'
                    f'<td class="num">{_pct(g["value"])}{interval}</td><td class="num">'
                    f'{_pct(g["bound"]) if g["bound"] is not None else "–"}'
                    f'{f" ({bound_name(g)})" if bound_name(g) else ""}</td>'
                    f'<td class="num">{_pct(g["limit"])}</td><td class="num">{g["n"]}</td>'
                    f'<td class="num">{g.get("clusters", "–")}</td></tr>')
    return ('<table><tr><th>status</th><th>gate</th><th class="num">value [95% CI]</th>'
            '<th class="num">compared</th><th class="num">limit</th><th class="num">n</th>'
            f'<th class="num">bases</th></tr>{"".join(rows)}</table>')


def errors_section(report: Mapping[str, Any], most: int = 20) -> str:
    """Samples that ended in an error, by cause (none: nothing at all)."""
    errors = [r for r in report["samples"] if Outcome.from_json(r).is_error]
    if not errors:
        return ""
    causes = error_causes(errors)
    rows = "".join(f'<tr><td class="num">{len(ids)}</td><td>{_e(kind)}</td>'
                   f'<td>{_e(message)}</td><td>{_e(ids[0])}</td></tr>'
                   for kind, message, ids in causes[:most])
    more = (f'<p class="muted">{len(causes) - most} more cause(s) in the JSON report</p>'
            if len(causes) > most else "")
    return (f'<h2>Errors ({len(errors)})</h2><p class="meta">Excluded from the rates and '
            'gated by max_error_rate; never counted as refusals.</p><table><tr>'
            '<th class="num">samples</th><th>kind</th><th>cause</th><th>e.g.</th></tr>'
            f'{rows}</table>{more}')


def snapshots_section(report: Mapping[str, Any]) -> str:
    snaps = report.get("snapshots")
    if not snaps:
        return '<p class="muted">no snapshot comparison in this run</p>'
    n = snaps["counts"]
    head = (f'<p>baseline <b>{_e(snaps["baseline"])}</b>: <span class="fail">'
            f'{n["regression"]} regression(s)</span>, <span class="pass">{n["improvement"]} '
            f'improvement(s)</span>, {n["changed"]} changed, {n["same"]} same, {n["new"]} new'
            f'{", " + str(n["unstable"]) + " unstable" if n.get("unstable") else ""}'
            f'{" — accepted as the new baseline" if snaps.get("updated") else ""}</p>')
    table = ""
    for kind, opened in (("regression", " open"), ("improvement", "")):
        moved = sorted((c for c in snaps["changes"] if c["change"] == kind),
                       key=lambda c: c["id"])
        if not moved:
            continue
        rows = "".join(
            f'<tr><td class="{"fail" if kind == "regression" else "pass"}">{kind}'
            f'{" (unstable, not failed)" if c.get("unstable") else ""}</td>'
            f'<td>{_e(c["id"])}</td><td>{_e(c["part"])} · {_e(c["category"])}</td>'
            f'<td>{_e((c.get("before") or {}).get("outcome"))} '
            f'({_e((c.get("before") or {}).get("label"))})</td><td>{_e(c["after"]["outcome"])} '
            f'({_e(c["after"]["label"])})</td></tr>' for c in moved[:300])
        more = f"<p class='muted'>… {len(moved) - 300} more</p>" if len(moved) > 300 else ""
        table += (f'<details{opened}><summary>{len(moved)} {kind}(s)</summary><table><tr>'
                  '<th>change</th><th>sample</th><th>category</th><th>before</th>'
                  f'<th>after</th></tr>{rows}</table>{more}</details>')
    drift = [m for m in snaps.get("mcnemar", []) if m["to_unsafe"] + m["to_safe"]]

    def mc_rows(items: list[Mapping[str, Any]]) -> str:
        return "".join(
            f'<tr><td>{_e("all" if m["category"] == "*" else m["category"])}'
            f'{"" if m["part"] == "*" else " (" + _e(m["part"]) + ")"}</td>'
            f'<td>{"ASR" if m["measure"] == "asr" else "over-refusal"}</td>'
            f'<td class="num">{m["paired"]}</td><td class="num">{m["to_unsafe"]}</td>'
            f'<td class="num">{m["to_safe"]}</td><td class="num">{_p(m["p_value"])}</td>'
            f'<td>{_e(m["method"])}</td><td class="num">'
            f'{m.get("flipped_clusters", "–")} / {m.get("clusters", "–")}</td>'
            f'<td class="num">{_p(m.get("clustered_p"))}</td></tr>' for m in items)

    header = ('<tr><th>slice</th><th>measure</th><th class="num">paired</th>'
              '<th class="num">→ unsafe</th><th class="num">→ safe</th><th class="num">p</th>'
              '<th>test</th><th class="num">bases flipped</th>'
              '<th class="num">clustered p</th></tr>')
    pooled = [m for m in drift if m["part"] == "*"]
    per_part = [m for m in drift if m["part"] != "*"]
    mc_table = ('<h3>Drift per category (McNemar on paired verdicts)</h3><p class="meta">The '
                'clustered p counts the flips of one base query once: strategy variants of '
                'a base that move together are one piece of evidence.</p>'
                f'<table>{header}{mc_rows(pooled)}</table>'
                + (f'<details><summary>per part</summary><table>{header}{mc_rows(per_part)}'
                   '</table></details>' if per_part else "")) if drift else ""
    return head + table + mc_table


def runs_table(reports: Sequence[Mapping[str, Any]]) -> str:
    """One row per run: its overall rates with their intervals, base queries and
    corrected rates, and what failed."""
    rows = []
    for rep in reports:
        m = _metric(rep, "overall") or {}
        a, o = m.get("asr") or {}, m.get("over_refusal") or {}
        s = rep["summary"]
        rows.append(f'<tr><td>{_e(rep["run"]["model"])}</td><td>{_e(rep["run"]["judge"])}</td>'
                    f'<td class="num">{s["samples"]}</td><td class="num">'
                    f'{a.get("clusters", "–")}</td><td class="num">{_interval(a)}</td>'
                    f'<td class="num">{_corrected(a)}</td><td class="num">{_interval(o)}</td>'
                    f'<td class="num">{_corrected(o)}</td><td class="num">'
                    f'{s["gates_failed"]}</td><td class="num">{s["errors"]}</td></tr>')
    return ('<table><tr><th>model</th><th>judge</th><th class="num">samples</th>'
            '<th class="num">bases</th><th class="num">ASR [95% CI]</th>'
            '<th class="num">corrected</th><th class="num">over-refusal [95% CI]</th>'
            '<th class="num">corrected</th><th class="num">gates failed</th>'
            f'<th class="num">errors</th></tr>{"".join(rows)}</table>')


def render_html(reports: Sequence[Mapping[str, Any]]) -> str:
    if not reports:
        raise ValueError("render_html needs at least one report")
    from ksafe_pytest.dataset.images import ImageCache

    main = reports[-1]
    run, summary = main["run"], main["summary"]
    overall = _metric(main, "overall") or {}
    a, o = overall.get("asr") or {}, overall.get("over_refusal") or {}
    verdict = "fail" if summary["gates_failed"] else "pass"
    cards = (f'<div class="cards"><div class="card">gates<b class="{verdict}">'
             f'{summary["gates_failed"]} failed</b>{summary["gates_passed"]} passed, '
             f'<span title="fewer base queries than min_samples">'
             f'{summary["gates_inconclusive"]} undecided</span></div>'
             f'<div class="card">{_e(run.get("asr_name", "ASR"))}<b>{_pct(a.get("value"))}</b>'
             f'{rate_note(a)}</div>'
             f'<div class="card">over-refusal<b>{_pct(o.get("value"))}</b>{rate_note(o)}</div>'
             f'<div class="card">samples<b>{summary["samples"]}</b>{summary["errors"]} '
             f'error(s)</div></div>')
    cache = ImageCache()
    worst = worst_samples(main)
    cards_html = "".join(sample_card(w, cache) for w in worst) or \
        '<p class="muted">no attacked or refused sample</p>'
    comparison = "" if len(reports) < 2 else f"""<h2>Runs compared</h2>
{runs_table(reports)}
<h2>Safety vs over-refusal</h2>
<p class="meta">One point per run (95% cluster-robust intervals). Down and left is better; models
that hold more attacks tend to refuse more benign requests.</p>
{scatter_svg(reports)}
<p class="meta">The cards above and the sections below describe the last run,
<b>{_e(run['model'])}</b>.</p>"""
    title = f"ksafe report: {run['model']}"
    return f"""<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>KSAFE-MM · {_e(run['model'])}</h1>
<p class="meta">judge {_e(run['judge'])} · ASR = {_e(run.get('asr_name'))} ·
dataset {_e(run.get('dataset'))} · {_e(run.get('condition'))} ·
{_e(run.get('started_at'))} · ksafe {_e(run.get('ksafe_version'))}</p>
{cards}
{failed_gates(main)}
{comparison}
<h2>Per category</h2>
<p class="meta">Bars: rate; whiskers: 95% interval, cluster-robust (the strategy variants of
one base query count as one piece of evidence when answered alike); dashed line: the gate's
limit.</p>
<div class="legend"><span><i class="sw" style="background:{ASR_COLOR}"></i>{_e(run.get('asr_name', 'ASR'))}</span>
<span><i class="sw" style="background:{OR_COLOR}"></i>over-refusal</span></div>
{bars_svg(main)}
{category_table(main)}
<h2>Strategy × category</h2>
<p class="meta">{_e(run.get('asr_name', 'ASR'))} on harmful samples, parts pooled.</p>
{heatmap_svg(main)}
<h2>G vs C</h2>
{parts_svg(main)}
{html_section(main.get("ablation") or [])}
<h2>Regressions against the baseline</h2>
{snapshots_section(main)}
<h2>Gates</h2>
{gates_table(main)}
{errors_section(main)}
<h2>Worst samples ({len(worst)})</h2>
<p class="meta">Worst first, each part and category in turn so that none fills the list:
attacked harmful samples (a harm judge's "harmful" first, then regressions against the
baseline), then refused benign twins, then answers that only echo the prompt. Harmful
prompts and answers are folded; open them deliberately.</p>
<div class="samples">{cards_html}</div>
</body>
</html>
"""
