"""`ksafe merge SHARD.json...`: the shards of one run (`--ksafe-shard=K/N`) gated once.

Checks that the reports are the N parts of one run, measures and gates the whole, writes
the reports the plugin writes, and exits as the unsplit run would: 0, 1 when a gate fails
or a sample item failed in a shard (strict, regression), 4 when the reports do not belong together.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

USAGE_ERROR = 4  # as pytest's usage error: the unsplit run would not have started


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reports", nargs="+", help="the JSON reports of every shard "
                        "(--ksafe-shard=K/N --ksafe-report=...)")
    parser.add_argument("-o", "--output", default=None, help="write the merged JSON report")
    parser.add_argument("--thresholds", default=None, help="thresholds file (default: the "
                        "one the shards name)")
    parser.add_argument("--calibration", default=None, help="the judge calibration file "
                        "the shards ran with (--ksafe-calibration)")
    parser.add_argument("--md", default=None, help="write a Markdown summary here")
    parser.add_argument("--html", default=None, help="write the HTML report here")
    parser.add_argument("--junitxml", default=None, help="write the gates as JUnit XML here")
    parser.add_argument("--baselines", nargs="+", default=None, metavar="FOLDER",
                        help="each shard's baseline folder after --snapshot-update, in the "
                        "reports' order: their entries are merged into --baseline-into")
    parser.add_argument("--baseline-into", default=None, metavar="FOLDER",
                        help="the baseline folder to accept the shards' entries into (e.g. "
                        "__ksafe_snapshots__/default)")


class _Lines:
    """What the plugin's summary writes to pytest's terminal, to stdout."""

    def write_sep(self, sep: str, title: str, **_: Any) -> None:
        print(f" {title} ".center(88, sep))

    def write_line(self, line: str, **_: Any) -> None:
        print(line)


def run(args: argparse.Namespace) -> int:
    from ksafe_pytest.errors import ConfigError
    from ksafe_pytest.merge import merge, merge_baselines
    from ksafe_pytest.reports.compare import load_report
    from ksafe_pytest.reports.files import write_extra_reports
    from ksafe_pytest.reports.json_report import build_report, write_report
    from ksafe_pytest.reports.terminal import write_summary
    from ksafe_pytest.stats.correction import read_calibration

    try:
        reports = [load_report(p) for p in args.reports]
        calibration = read_calibration(args.calibration) if args.calibration else None
        merged = merge(reports, args.thresholds, calibration)
        if bool(args.baselines) != bool(args.baseline_into):
            raise ConfigError("--baselines and --baseline-into go together")
        accepted = merge_baselines(reports, args.baselines, args.baseline_into) \
            if args.baselines else 0
    except ConfigError as exc:
        print(f"ksafe merge: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    record = merged.record
    written = [(label, path) for label, path in (
        ("JSON report", args.output), ("Markdown summary", args.md),
        ("HTML report", args.html), ("JUnit XML", args.junitxml)) if path]
    write_summary(_Lines(), record, written=written)
    report = build_report(record)
    if args.output:
        write_report(Path(args.output), report)
    write_extra_reports(report, Path(args.md) if args.md else None,
                        Path(args.html) if args.html else None)
    if args.junitxml:
        write_junit(Path(args.junitxml), report)
    if accepted:
        print(f"baseline: {accepted:,} entries of {len(args.baselines)} shard(s) accepted "
              f"into {args.baseline_into}")
    if merged.failed_items:
        print(f"{merged.failed_items} sample item(s) failed in the shards (--ksafe-strict, "
              "regressions against the baseline): the unsplit run fails on them too")
    failed = bool(record.gates_with("fail")) or merged.failed_items > 0
    return 1 if failed else 0


def write_junit(path: Path, report: dict[str, Any]) -> None:
    """One test case per gate: failed, skipped (inconclusive) or passed."""
    import xml.etree.ElementTree as ET

    from ksafe_pytest.fileio import write_atomic
    from ksafe_pytest.untrusted import xml_safe

    gates = report["gates"]
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name="ksafe", tests=str(len(gates)),
                          failures=str(sum(g["status"] == "fail" for g in gates)),
                          skipped=str(sum(g["status"] == "inconclusive" for g in gates)))
    for g in gates:
        case = ET.SubElement(suite, "testcase", classname="ksafe", name=xml_safe(g["id"]))
        if g["status"] == "fail":
            ET.SubElement(case, "failure", message=xml_safe(g.get("message") or g["id"]))
        elif g["status"] == "inconclusive":
            ET.SubElement(case, "skipped", message="inconclusive: too few base queries")
    write_atomic(path, ET.tostring(root, encoding="unicode"))
