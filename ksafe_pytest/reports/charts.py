"""The HTML report's charts, as inline SVG drawn from the JSON report's dict: rates per
category with 95% whiskers (cluster-robust) and limit lines, the strategy x category heatmap, G vs C,
and the safety vs over-refusal scatter of several runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ksafe_pytest.taxonomy import CATEGORIES, PARTS, STRATEGIES

ASR_COLOR, OR_COLOR, LIMIT_COLOR = "#c0392b", "#2c6fbb", "#222"
PART_COLORS = {"G": "#2c6fbb", "C": "#e67e22"}


def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def find_metric(report: Mapping[str, Any], scope: str, **where: str) -> Mapping[str, Any] | None:
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
    """Per part/category: ASR and over-refusal bars, 95% whiskers (cluster-robust), limit
    lines."""
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
        out.append(f'<text x="{x0}" y="12" font-weight="bold">{esc(title)}</text>')
        out.append(_axis(x0, panel_w, top - 6, height - 6))
    for i, m in enumerate(rows):
        y = top + i * row_h
        label = f"{m['part']} · {m['category']}"
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{esc(label)}</text>')
        for key, lim, x0, color, _title in panels:
            rate = m[key]
            if not rate["n"]:
                out.append(f'<text x="{x0 + 4}" y="{y + 15}" fill="#999">no samples</text>')
                continue
            w = (rate["value"] or 0) * panel_w
            bases = f", {rate['clusters']} bases" if rate.get("clusters") else ""
            tip = (f"{label}: {pct(rate['value'])} ({rate['k']}/{rate['n']}{bases}), 95% CI "
                   f"{pct(rate['low'])}–{pct(rate['high'])}")
            out.append(f'<g><title>{esc(tip)}</title><rect x="{x0}" y="{y + 5}" '
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
                           f'stroke-dasharray="3 2"><title>limit {pct(limit)}</title></line>')
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
                   f'font-size="11">{esc(c)}</text>')
    for i, s in enumerate(strategies):
        y = top + i * ch
        out.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{esc(s)}</text>')
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
            tip = f"{s} × {c}: {pct(v)} ({rate['k']}/{rate['n']})"
            out.append(f'<g><title>{esc(tip)}</title><rect x="{x}" y="{y}" width="{cw - 2}" '
                       f'height="{ch - 2}" fill="{_heat(v)}"/><text x="{x + cw / 2 - 1}" '
                       f'y="{y + 17}" text-anchor="middle" fill="{fg}">{pct(v, 0)}</text></g>')
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
        out.append(f'<text x="{x0}" y="14" font-weight="bold">{esc(title)}</text>')
        out.append(_axis(x0, panel_w, top - 6, height - 6))
        for i, c in enumerate(["*", *cats]):
            y = top + i * row_h + row_h / 2
            if k == 0:
                name = "all categories" if c == "*" else c
                bold = ' font-weight="bold"' if c == "*" else ""
                out.append(f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end"{bold}>'
                           f'{esc(name)}</text>')
            for p in parts:
                m = find_metric(report, "part", part=p) if c == "*" else by.get((p, c))
                if m is None or not m[key]["n"]:
                    continue
                rate = m[key]
                x = x0 + (rate["value"] or 0) * panel_w
                tip = (f"{p} · {'all categories' if c == '*' else c}: {pct(rate['value'])} "
                       f"({rate['k']}/{rate['n']})")
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{PART_COLORS.get(p, "#555")}" '
                           f'fill-opacity="0.85"><title>{esc(tip)}</title></circle>')
    out.append("</svg>")
    legend = "".join(f'<span><i class="sw" style="background:{PART_COLORS.get(p, "#555")}">'
                     f'</i>{esc(p)}</span>' for p in parts)
    return f'<div class="legend">{legend}</div>' + "".join(out)


def scatter_svg(reports: Sequence[Mapping[str, Any]]) -> str:
    """Safety vs over-refusal trade-off: one point per run, 95% whiskers both ways."""
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
        m = find_metric(rep, "overall")
        if m is None or not m["asr"]["n"] or not m["over_refusal"]["n"]:
            continue
        a, o = m["asr"], m["over_refusal"]
        color = palette[i % len(palette)]
        cx, cy = px(o["value"]), py(a["value"])
        tip = (f"{rep['run']['model']}: ASR {pct(a['value'])} [{pct(a['low'])}–"
               f"{pct(a['high'])}], over-refusal {pct(o['value'])} [{pct(o['low'])}–"
               f"{pct(o['high'])}]")
        out.append(f'<g><title>{esc(tip)}</title>'
                   f'<line x1="{px(o["low"]):.1f}" x2="{px(o["high"]):.1f}" y1="{cy:.1f}" '
                   f'y2="{cy:.1f}" stroke="{color}"/><line x1="{cx:.1f}" x2="{cx:.1f}" '
                   f'y1="{py(a["low"]):.1f}" y2="{py(a["high"]):.1f}" stroke="{color}"/>'
                   f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{color}"/>'
                   f'<text x="{cx + 9:.1f}" y="{cy - 7:.1f}" fill="{color}">'
                   f'{esc(rep["run"]["model"])}</text></g>')
    out.append("</svg>")
    return "".join(out)
