"""One self-contained HTML report: opens with no network, no script, nothing to install.

Everything is inline: CSS, SVG charts, images as PNG data URLs rendered from each
sample's spec. A Content-Security-Policy forbids every fetch, so a stray URL could not
phone home even if one slipped in. Korean renders with the system's fonts (font stack with
Apple SD Gothic Neo, Malgun Gothic, Noto Sans KR, Nanum Gothic); nothing heavy is embedded.

Given several runs (`ksafe report RUN1.json RUN2.json ...`), the safety vs over-refusal
scatter shows one point per run; the detailed sections describe the last run.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ksafe_pytest.reports.ablation_view import html_section
from ksafe_pytest.reports.json_report import bound_name, error_causes
from ksafe_pytest.taxonomy import CATEGORIES, PARTS, STRATEGIES

WORST = 24  # samples shown with image and answer
THUMB = 240  # px, longest side of a sample image
ASR_COLOR, OR_COLOR, LIMIT_COLOR = "#c0392b", "#2c6fbb", "#222"
PART_COLORS = {"G": "#2c6fbb", "C": "#e67e22"}
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
svg {{ font-family: {FONT}; font-size: 12px; max-width: 100%; height: auto; }}
.samples {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
  gap: 14px; }}
.sample {{ border: 1px solid #ddd; border-radius: 8px; padding: 10px; overflow-wrap: anywhere; }}
.sample img {{ max-width: 100%; border: 1px solid #eee; display: block; margin: 6px 0; }}
.tag {{ display: inline-block; background: #f1f1f1; border-radius: 4px; padding: 0 6px;
  margin-right: 4px; font-size: .85em; }}
.tag.bad {{ background: #fde2e0; color: #8c1d18; }}
pre {{ white-space: pre-wrap; background: #f7f7f7; padding: 8px; border-radius: 6px;
  margin: 4px 0; font-family: inherit; }}
details > summary {{ cursor: pointer; color: #444; }}
.legend span {{ margin-right: 14px; }}
.sw {{ display: inline-block; width: 10px; height: 10px; margin-right: 4px; }}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def _metric(report: Mapping[str, Any], scope: str, **where: str) -> Mapping[str, Any] | None:
    for m in report["metrics"]:
        if m["scope"] == scope and all(m.get(k) == v for k, v in where.items()):
            return m
    return None


def _limits(report: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, float]]:
    out: dict[tuple[str, str], dict[str, float]] = {}
    for g in report["gates"]:
        if g.get("strategy", "*") == "*":
            out.setdefault((g["part"], g["category"]), {})[g["limit_name"]] = g["limit"]
    return out


# -- charts ----------------------------------------------------------------------------------

def _whisker(x0: float, x1: float, y: float) -> str:
    return (f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#333"/>'
            f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="{y - 4:.1f}" y2="{y + 4:.1f}" stroke="#333"/>'
            f'<line x1="{x1:.1f}" x2="{x1:.1f}" y1="{y - 4:.1f}" y2="{y + 4:.1f}" stroke="#333"/>')


def _axis(x: float, width: float, top: float, bottom: float) -> str:
    out = []
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        xx = x + t * width
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{bottom}" '
                   f'stroke="#eee"/><text x="{xx:.1f}" y="{top - 4}" text-anchor="middle" '
                   f'fill="#777">{int(t * 100)}%</text>')
    return "".join(out)


def bars_svg(report: Mapping[str, Any]) -> str:
    """Per part/category: ASR and over-refusal bars, Wilson 95% whiskers, limit lines."""
    limits = _limits(report)
    rows = [m for m in report["metrics"] if m["scope"] == "part/category"]
    if not rows:
        return '<p class="muted">no per-category metrics</p>'
    label_w, panel_w, gap, row_h, top = 300, 360, 40, 24, 36
    height = top + row_h * len(rows) + 10
    width = label_w + 2 * panel_w + gap + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" role="img" aria-label="ASR and over-refusal per category">']
    panels = (("asr", "max_asr", label_w, ASR_COLOR, report["run"].get("asr_name", "ASR")),
              ("over_refusal", "max_over_refusal", label_w + panel_w + gap, OR_COLOR,
               "over-refusal"))
    for _key, _lim, x0, _color, title in panels:
        out.append(f'<text x="{x0}" y="12" font-weight="bold">{_e(title)}</text>')
        out.append(_axis(x0, panel_w, top - 6, height - 6))
    for i, m in enumerate(rows):
        y = top + i * row_h
        label = f"{m['part']} · {m['category']}"
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        for key, lim, x0, color, _title in panels:
            rate = m[key]
            if not rate["n"]:
                out.append(f'<text x="{x0 + 4}" y="{y + 15}" fill="#999">no samples</text>')
                continue
            w = (rate["value"] or 0) * panel_w
            tip = (f"{label}: {_pct(rate['value'])} ({rate['k']}/{rate['n']}), 95% CI "
                   f"{_pct(rate['low'])}–{_pct(rate['high'])}")
            out.append(f'<g><title>{_e(tip)}</title><rect x="{x0}" y="{y + 5}" '
                       f'width="{w:.1f}" height="{row_h - 10}" fill="{color}" '
                       f'fill-opacity="0.75"/>')
            out.append(_whisker(x0 + rate["low"] * panel_w, x0 + rate["high"] * panel_w,
                                y + row_h / 2))
            out.append("</g>")
            limit = limits.get((m["part"], m["category"]), {}).get(lim)
            if limit is not None:
                xl = x0 + limit * panel_w
                out.append(f'<line x1="{xl:.1f}" x2="{xl:.1f}" y1="{y + 1}" '
                           f'y2="{y + row_h - 1}" stroke="{LIMIT_COLOR}" stroke-width="2" '
                           f'stroke-dasharray="3 2"><title>limit {_pct(limit)}</title></line>')
    out.append("</svg>")
    return "".join(out)


def _heat(value: float) -> str:
    """White (0) to dark red (1)."""
    lo, hi = (250, 250, 250), (165, 15, 21)
    r, g, b = (round(a + (c - a) * value) for a, c in zip(lo, hi, strict=True))
    return f"rgb({r},{g},{b})"


def heatmap_svg(report: Mapping[str, Any]) -> str:
    """Strategy x category ASR on harmful samples (both parts pooled)."""
    cells = {(m["strategy"], m["category"]): m["asr"] for m in report["metrics"]
             if m["scope"] == "category/strategy"}
    strategies = [s for s in STRATEGIES if any(k[0] == s for k in cells)]
    strategies += sorted({k[0] for k in cells} - set(strategies))
    cats = [c for c in CATEGORIES if any(k[1] == c for k in cells)]
    if not cells or not strategies or not cats:
        return '<p class="muted">no strategy x category metrics</p>'
    label_w, cw, ch, top = 170, 78, 26, 120
    width, height = label_w + cw * len(cats) + 90, top + ch * len(strategies) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" role="img" aria-label="ASR by strategy and category">']
    for j, c in enumerate(cats):
        x = label_w + j * cw + cw / 2
        out.append(f'<text transform="translate({x:.1f},{top - 6}) rotate(-40)" '
                   f'font-size="11">{_e(c)}</text>')
    for i, s in enumerate(strategies):
        y = top + i * ch
        out.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{_e(s)}</text>')
        for j, c in enumerate(cats):
            x = label_w + j * cw
            rate = cells.get((s, c))
            if rate is None or not rate["n"]:
                out.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" '
                           f'fill="#f0f0f0"/><text x="{x + cw / 2 - 1}" y="{y + 17}" '
                           f'text-anchor="middle" fill="#aaa">–</text>')
                continue
            v = rate["value"] or 0.0
            fg = "#fff" if v > 0.55 else "#222"
            tip = f"{s} × {c}: {_pct(v)} ({rate['k']}/{rate['n']})"
            out.append(f'<g><title>{_e(tip)}</title><rect x="{x}" y="{y}" width="{cw - 2}" '
                       f'height="{ch - 2}" fill="{_heat(v)}"/><text x="{x + cw / 2 - 1}" '
                       f'y="{y + 17}" text-anchor="middle" fill="{fg}">{_pct(v, 0)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def parts_svg(report: Mapping[str, Any]) -> str:
    """G vs C per category: one dot per part, on ASR and on over-refusal."""
    rows = [m for m in report["metrics"] if m["scope"] == "part/category"]
    parts = [p for p in PARTS if any(m["part"] == p for m in rows)]
    cats = [c for c in CATEGORIES if any(m["category"] == c for m in rows)]
    if not rows:
        return '<p class="muted">no per-part metrics</p>'
    by = {(m["part"], m["category"]): m for m in rows}
    label_w, panel_w, gap, row_h, top = 260, 340, 40, 22, 40
    height = top + row_h * (len(cats) + 1) + 10
    width = label_w + 2 * panel_w + gap + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" role="img" aria-label="G versus C">']
    for k, (key, title) in enumerate((("asr", report["run"].get("asr_name", "ASR")),
                                      ("over_refusal", "over-refusal"))):
        x0 = label_w + k * (panel_w + gap)
        out.append(f'<text x="{x0}" y="14" font-weight="bold">{_e(title)}</text>')
        out.append(_axis(x0, panel_w, top - 6, height - 6))
        for i, c in enumerate(["*", *cats]):
            y = top + i * row_h + row_h / 2
            if k == 0:
                name = "all categories" if c == "*" else c
                bold = ' font-weight="bold"' if c == "*" else ""
                out.append(f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end"{bold}>'
                           f'{_e(name)}</text>')
            for p in parts:
                m = _metric(report, "part", part=p) if c == "*" else by.get((p, c))
                if m is None or not m[key]["n"]:
                    continue
                rate = m[key]
                x = x0 + (rate["value"] or 0) * panel_w
                tip = (f"{p} · {'all categories' if c == '*' else c}: {_pct(rate['value'])} "
                       f"({rate['k']}/{rate['n']})")
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{PART_COLORS.get(p, "#555")}" '
                           f'fill-opacity="0.85"><title>{_e(tip)}</title></circle>')
    out.append("</svg>")
    legend = "".join(f'<span><i class="sw" style="background:{PART_COLORS.get(p, "#555")}">'
                     f'</i>{_e(p)}</span>' for p in parts)
    return f'<div class="legend">{legend}</div>' + "".join(out)


def scatter_svg(reports: Sequence[Mapping[str, Any]]) -> str:
    """Safety vs over-refusal trade-off: one point per run, Wilson whiskers both ways."""
    size, pad = 420, 60
    width, height = size + pad + 200, size + pad + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" role="img" aria-label="ASR versus over-refusal per model">']
    x0, y0 = pad, 20

    def px(v: float) -> float:
        return x0 + v * size

    def py(v: float) -> float:
        return y0 + (1 - v) * size

    for t in (0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<line x1="{px(t):.1f}" x2="{px(t):.1f}" y1="{y0}" y2="{y0 + size}" '
                   f'stroke="#eee"/><line x1="{x0}" x2="{x0 + size}" y1="{py(t):.1f}" '
                   f'y2="{py(t):.1f}" stroke="#eee"/>'
                   f'<text x="{px(t):.1f}" y="{y0 + size + 16}" text-anchor="middle" '
                   f'fill="#777">{int(t * 100)}%</text><text x="{x0 - 6}" y="{py(t) + 4:.1f}" '
                   f'text-anchor="end" fill="#777">{int(t * 100)}%</text>')
    out.append(f'<text x="{x0 + size / 2}" y="{y0 + size + 36}" text-anchor="middle">'
               f'over-refusal (benign samples refused)</text>')
    out.append(f'<text transform="translate(14,{y0 + size / 2}) rotate(-90)" '
               f'text-anchor="middle">ASR (harmful samples attacked)</text>')
    palette = ("#c0392b", "#2c6fbb", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d")
    for i, rep in enumerate(reports):
        m = _metric(rep, "overall")
        if m is None or not m["asr"]["n"] or not m["over_refusal"]["n"]:
            continue
        a, o = m["asr"], m["over_refusal"]
        color = palette[i % len(palette)]
        cx, cy = px(o["value"]), py(a["value"])
        tip = (f"{rep['run']['model']}: ASR {_pct(a['value'])} [{_pct(a['low'])}–"
               f"{_pct(a['high'])}], over-refusal {_pct(o['value'])} [{_pct(o['low'])}–"
               f"{_pct(o['high'])}]")
        out.append(f'<g><title>{_e(tip)}</title>'
                   f'<line x1="{px(o["low"]):.1f}" x2="{px(o["high"]):.1f}" y1="{cy:.1f}" '
                   f'y2="{cy:.1f}" stroke="{color}"/><line x1="{cx:.1f}" x2="{cx:.1f}" '
                   f'y1="{py(a["low"]):.1f}" y2="{py(a["high"]):.1f}" stroke="{color}"/>'
                   f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{color}"/>'
                   f'<text x="{cx + 9:.1f}" y="{cy - 7:.1f}" fill="{color}">'
                   f'{_e(rep["run"]["model"])}</text></g>')
    out.append("</svg>")
    return "".join(out)


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


def worst_samples(report: Mapping[str, Any], limit: int = WORST) -> list[Mapping[str, Any]]:
    """Attacked harmful samples (full compliance first), then refused benign ones."""
    rows = report["samples"]
    attacked = [r for r in rows if r["intent"] == "harmful" and r.get("attacked")]
    attacked.sort(key=lambda r: (r["verdict"]["label"] != "compliance",
                                 r["strategy"] == "Standard", r["id"]))
    refused = [r for r in rows if r["intent"] == "benign"
               and r["verdict"]["label"] in ("refusal", "partial")]
    refused.sort(key=lambda r: r["id"])
    share = max(limit * 2 // 3, limit - len(refused))
    return attacked[:share] + refused[:limit - min(share, len(attacked))]


def sample_card(row: Mapping[str, Any], cache: Any) -> str:
    harmful = row["intent"] == "harmful"
    url, why = image_data_url(row.get("image"), cache)
    img = (f'<img src="{url}" alt="{_e(row["id"])} image">' if url
           else f'<p class="muted">{_e(why)}</p>')
    v = row["verdict"]
    tags = (f'<span class="tag">{_e(row["part"])}</span><span class="tag">'
            f'{_e(row["category"])}</span><span class="tag">{_e(row["strategy"])}</span>'
            f'<span class="tag bad">{_e(row["intent"])}: {_e(v["label"])}</span>')
    evidence = ", ".join(str(e) for e in v.get("evidence") or [])
    prompt = f"<pre>{_e(row.get('prompt'))}</pre>"
    answer = f"<pre>{_e(row.get('answer'))}</pre>"
    if harmful:  # the jailbreak and the harmful answer stay folded until asked for
        prompt = f"<details><summary>prompt</summary>{prompt}</details>"
        answer = (f"<details><summary>answer (may contain harmful content)</summary>"
                  f"{answer}</details>")
    else:
        prompt = f"<details open><summary>prompt</summary>{prompt}</details>"
        answer = f"<details open><summary>answer</summary>{answer}</details>"
    return (f'<div class="sample"><b>{_e(row["id"])}</b><br>{tags}{img}{prompt}{answer}'
            f'<div class="muted">judge {_e(v.get("judge"))}: {_e(evidence)}</div></div>')


# -- tables ----------------------------------------------------------------------------------

def gates_table(report: Mapping[str, Any]) -> str:
    gates = sorted(report["gates"], key=lambda g: ({"fail": 0, "pass": 1}.get(g["status"], 2),
                                                    g["id"]))
    if not gates:
        return '<p class="muted">no gates</p>'
    decided = [g for g in gates if g["status"] in ("fail", "pass")]
    undecided = [g for g in gates if g["status"] not in ("fail", "pass")]
    out = _gate_rows(decided) if decided else '<p class="muted">no gate had enough samples</p>'
    if undecided:
        out += (f"<details><summary>{len(undecided)} gate(s) not decided (fewer samples "
                f"than min_samples)</summary>{_gate_rows(undecided)}</details>")
    return out


def _gate_rows(gates: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for g in gates:
        cls = {"fail": "fail", "pass": "pass"}.get(g["status"], "muted")
        rows.append(f'<tr><td class="{cls}">{_e(g["status"])}</td><td>{_e(g["id"])}</td>'
                    f'<td class="num">{_pct(g["value"])}</td><td class="num">'
                    f'{_pct(g["bound"]) if g["bound"] is not None else "–"}'
                    f'{f" ({bound_name(g)})" if bound_name(g) else ""}</td>'
                    f'<td class="num">{_pct(g["limit"])}</td><td class="num">{g["n"]}</td></tr>')
    return ('<table><tr><th>status</th><th>gate</th><th class="num">value</th>'
            '<th class="num">compared</th><th class="num">limit</th><th class="num">n</th>'
            f'</tr>{"".join(rows)}</table>')


def errors_section(report: Mapping[str, Any], most: int = 20) -> str:
    """Samples that ended in an error, by cause (none: nothing at all)."""
    errors = [r for r in report["samples"] if r["verdict"]["label"] == "error"]
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
            f'<td class="num">{m["to_safe"]}</td><td class="num">'
            f'{"&lt;1e-6" if m["p_value"] < 1e-6 else format(m["p_value"], ".3g")}</td>'
            f'<td>{_e(m["method"])}</td></tr>' for m in items)

    header = ('<tr><th>slice</th><th>measure</th><th class="num">paired</th>'
              '<th class="num">→ unsafe</th><th class="num">→ safe</th><th class="num">p</th>'
              '<th>test</th></tr>')
    pooled = [m for m in drift if m["part"] == "*"]
    per_part = [m for m in drift if m["part"] != "*"]
    mc_table = ('<h3>Drift per category (McNemar on paired verdicts)</h3>'
                f'<table>{header}{mc_rows(pooled)}</table>'
                + (f'<details><summary>per part</summary><table>{header}{mc_rows(per_part)}'
                   '</table></details>' if per_part else "")) if drift else ""
    return head + table + mc_table


def runs_table(reports: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for rep in reports:
        m = _metric(rep, "overall") or {}
        a, o = m.get("asr") or {}, m.get("over_refusal") or {}
        s = rep["summary"]
        rows.append(f'<tr><td>{_e(rep["run"]["model"])}</td><td>{_e(rep["run"]["judge"])}</td>'
                    f'<td class="num">{s["samples"]}</td><td class="num">{_pct(a.get("value"))}'
                    f'</td><td class="num">{_pct(o.get("value"))}</td><td class="num">'
                    f'{s["gates_failed"]}</td><td class="num">{s["errors"]}</td></tr>')
    return ('<table><tr><th>model</th><th>judge</th><th class="num">samples</th>'
            '<th class="num">ASR</th><th class="num">over-refusal</th>'
            '<th class="num">gates failed</th><th class="num">errors</th></tr>'
            f'{"".join(rows)}</table>')


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
             f'{summary["gates_inconclusive"]} n&lt;min</div>'
             f'<div class="card">{_e(run.get("asr_name", "ASR"))}<b>{_pct(a.get("value"))}</b>'
             f'95% CI {_pct(a.get("low"))}–{_pct(a.get("high"))}</div>'
             f'<div class="card">over-refusal<b>{_pct(o.get("value"))}</b>95% CI '
             f'{_pct(o.get("low"))}–{_pct(o.get("high"))}</div>'
             f'<div class="card">samples<b>{summary["samples"]}</b>{summary["errors"]} '
             f'error(s)</div></div>')
    cache = ImageCache()
    worst = worst_samples(main)
    cards_html = "".join(sample_card(r, cache) for r in worst) or \
        '<p class="muted">no attacked or refused sample</p>'
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
<h2>Runs compared</h2>
{runs_table(reports)}
<h2>Safety vs over-refusal</h2>
<p class="meta">One point per run (95% Wilson intervals). Down and left is better; models
that hold more attacks tend to refuse more benign requests.</p>
{scatter_svg(reports)}
<h2>Per category</h2>
<p class="meta">Bars: rate; whiskers: 95% Wilson interval; dashed line: the gate's limit.</p>
<div class="legend"><span><i class="sw" style="background:{ASR_COLOR}"></i>{_e(run.get('asr_name', 'ASR'))}</span>
<span><i class="sw" style="background:{OR_COLOR}"></i>over-refusal</span></div>
{bars_svg(main)}
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
<p class="meta">Attacked harmful samples first, then refused benign ones. Harmful prompts and
answers are folded; open them deliberately.</p>
<div class="samples">{cards_html}</div>
</body>
</html>
"""
