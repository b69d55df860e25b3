"""The report files a run writes besides the JSON report: Markdown and HTML.

Both are rendered from the JSON report's dict, so `ksafe report` and a pytest run draw
the same pictures from the same data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ksafe_pytest.fileio import write_atomic

if TYPE_CHECKING:
    from ksafe_pytest.session import KsafeSession


def write_extra_reports(ks: KsafeSession) -> list[Path]:
    """Controller: write --ksafe-md and --ksafe-html when asked; returns what it wrote."""
    md, html = ks.settings.md, ks.settings.html
    if not md and not html:
        return []
    from ksafe_pytest.reports.json_report import build_report

    report: dict[str, Any] = build_report(ks)
    written: list[Path] = []
    if md:
        from ksafe_pytest.reports.markdown import render_markdown

        write_atomic(md, render_markdown(report))
        written.append(md)
    if html:
        from ksafe_pytest.reports.html import render_html

        write_atomic(html, render_html([report]))
        written.append(html)
    return written
