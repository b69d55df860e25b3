"""The image-ablation table in every report: terminal lines, Markdown and an HTML chart.

All three read the report's JSON form (`report["ablation"]`, rows of `AblationRow.to_json`),
so a report file renders the same as the run that wrote it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

CONDITIONS = ("image", "neutral-image", "text-only")
COLOURS = {"image": "#c0392b", "neutral-image": "#e59866", "text-only": "#95a5a6"}
ALL = "*"

Row = Mapping[str, Any]


def _by_category(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if r["strategy"] == ALL and r["category"] != ALL]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _diff(d: Mapping[str, Any]) -> str:
    if d["value"] is None:
        return "-"
    mark = " *" if d["image_raises"] else ""
    return f"{d['value']:+.1%} [{d['low']:+.1%}, {d['high']:+.1%}] p={d['p_value']:.3g}{mark}"


def image_effect_labels(rows: Sequence[Row]) -> list[str]:
    """part/category where the image significantly raises the rate over both controls."""
    return [f"{r['part']}/{r['category']}" for r in _by_category(rows)
            if r["differences"] and all(d["image_raises"] for d in r["differences"])]


def terminal_lines(rows: Sequence[Row], asr_name: str) -> list[str]:
    if not rows:
        return []
    head = f"{'part/category':<40}" + "".join(f"{c:>15}" for c in CONDITIONS)
    lines = ["", f"image ablation ({asr_name} of harmful samples; pairs matched by sample, "
                 "base queries as clusters)", head]
    for r in _by_category(rows):
        name = f"{r['part']}/{r['category']}"
        rates = "".join(f"{_pct(r['rates'].get(c, {}).get('value')):>15}" for c in CONDITIONS)
        lines.append(f"{name:<40}{rates}")
    raised = image_effect_labels(rows)
    lines.append("the image significantly raises the rate (p < 0.05 against both controls): "
                 + (", ".join(raised) if raised else "in no category"))
    return lines


def markdown_lines(rows: Sequence[Row]) -> list[str]:
    if not rows:
        return []
    lines = ["", "### Image ablation", "",
             "| part/category | image | neutral image | text only | image - neutral | "
             "image - text only |", "|---|---:|---:|---:|---|---|"]
    for r in _by_category(rows):
        rates = [_pct(r["rates"].get(c, {}).get("value")) for c in CONDITIONS]
        diffs = [_diff(d) for d in r["differences"]]
        lines.append(f"| {r['part']}/{r['category']} | " + " | ".join(rates + diffs) + " |")
    raised = image_effect_labels(rows)
    lines += ["", "`*`: the image significantly raises the rate (clustered McNemar, "
                  "p < 0.05). " + ("Categories where it does against both controls: "
                                   + ", ".join(raised) if raised else
                                   "It does so in no category against both controls.")]
    return lines


def ablation_svg(rows: Sequence[Row]) -> str:
    """Grouped bars: each category's rate under the three conditions, with whiskers."""
    cats = _by_category(rows)
    if not cats:
        return ""
    left, bar, gap, top = 260, 9, 8, 30
    width = 760
    scale = (width - left - 60) / max(0.05, max(
        (r["rates"].get(c, {}).get("high") or 0) for r in cats for c in CONDITIONS))
    height = top + len(cats) * (3 * bar + gap) + 20
    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           'aria-label="attack rate by image condition">']
    for i, c in enumerate(CONDITIONS):
        out.append(f'<rect x="{left + i * 130}" y="6" width="10" height="10" '
                   f'fill="{COLOURS[c]}"/><text x="{left + i * 130 + 14}" y="15" '
                   f'font-size="11">{c}</text>')
    y = top
    for r in cats:
        label = html.escape(f"{r['part']}/{r['category']}")
        mark = " *" if all(d["image_raises"] for d in r["differences"]) else ""
        out.append(f'<text x="{left - 6}" y="{y + 2 * bar}" font-size="11" '
                   f'text-anchor="end">{label}{mark}</text>')
        for c in CONDITIONS:
            rate = r["rates"].get(c)
            if rate and rate["value"] is not None:
                w = rate["value"] * scale
                out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 1}" '
                           f'fill="{COLOURS[c]}"><title>{c}: {_pct(rate["value"])} '
                           f'(n={rate["n"]}, {rate["clusters"]} clusters)</title></rect>')
                lo, hi = left + rate["low"] * scale, left + rate["high"] * scale
                mid = y + (bar - 1) / 2
                out.append(f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{mid}" y2="{mid}" '
                           'stroke="#333" stroke-width="1"/>')
            y += bar
        y += gap
    out.append("</svg>")
    return "".join(out)


def html_section(rows: Sequence[Row]) -> str:
    if not rows:
        return ""
    raised = image_effect_labels(rows)
    note = ("The image significantly raises the rate against both controls in: "
            + html.escape(", ".join(raised)) if raised
            else "The image raises the rate significantly in no category against both "
                 "controls.")
    body = "".join(
        f"<tr><td>{html.escape(r['part'] + '/' + r['category'])}</td>"
        + "".join(f"<td>{_pct(r['rates'].get(c, {}).get('value'))}</td>" for c in CONDITIONS)
        + "".join(f"<td>{html.escape(_diff(d))}</td>" for d in r["differences"]) + "</tr>"
        for r in _by_category(rows))
    return ("<section><h2>Image ablation: is it the image?</h2>"
            f"<p>{note} Each harmful sample was asked with its image, with a neutral image of "
            "the same kind, and with no image; differences are paired by sample with base "
            "queries as clusters (* p &lt; 0.05).</p>"
            + ablation_svg(rows)
            + "<table><tr><th>part/category</th><th>image</th><th>neutral image</th>"
              "<th>text only</th><th>image - neutral</th><th>image - text only</th></tr>"
            + body + "</table></section>")
