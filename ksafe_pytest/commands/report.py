"""`ksafe report RUN1.json [RUN2.json ...] -o out.html`: one self-contained HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ksafe_pytest.reports.compare import load_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reports", nargs="+", help="JSON reports (--ksafe-report), one per run")
    parser.add_argument("-o", "--output", default="ksafe-report.html",
                        help="HTML file to write (default ksafe-report.html)")
    parser.add_argument("--md", default=None, help="also write a Markdown summary of the "
                        "last run here")


def run(args: argparse.Namespace) -> int:
    from ksafe_pytest.fileio import write_atomic
    from ksafe_pytest.reports.html import render_html
    from ksafe_pytest.reports.markdown import render_markdown

    reports = [load_report(p) for p in args.reports]
    out = Path(args.output)
    write_atomic(out, render_html(reports))
    print(f"wrote {out} ({len(reports)} run(s))")
    if args.md:
        write_atomic(Path(args.md), render_markdown(reports[-1]))
        print(f"wrote {args.md}")
    return 0
