"""The report files a run writes besides the JSON report: Markdown and HTML.

Both are rendered from the JSON report's dict, so `ksafe report` and a pytest run draw
the same pictures from the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ksafe_pytest.fileio import write_atomic


def write_extra_reports(report: Mapping[str, Any], md: Path | None,
                        html: Path | None) -> list[Path]:
    """Write --ksafe-md and --ksafe-html (from the JSON report's dict) when asked; returns
    what it wrote."""
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
