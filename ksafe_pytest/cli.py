"""The `ksafe` command: each subcommand lives in its own module and registers here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from ksafe_pytest.errors import KsafeError

# name -> module defining `add_arguments(parser)` and `run(args) -> int`; imported lazily
# so that `ksafe list` never pays for litellm or aiohttp.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("ksafe_pytest.commands.list_samples", "samples, categories and strategies"),
    "diff": ("ksafe_pytest.commands.diff", "compare two JSON reports: deltas and flipped samples"),
    "report": ("ksafe_pytest.commands.report", "render JSON reports as one HTML file"),
    "merge": ("ksafe_pytest.commands.merge", "gate the shards of one run (--ksafe-shard) once"),
    "build": ("ksafe_pytest.commands.build", "run the construction pipeline (write the JSONL)"),
    "serve": ("ksafe_pytest.commands.serve", "reference models behind an OpenAI-compatible server"),
    "cache": ("ksafe_pytest.commands.cache", "response cache: stats or clear"),
    "judge": ("ksafe_pytest.commands.judge", "label a JSONL of answers (refusal/partial/...)"),
    "calibrate": ("ksafe_pytest.commands.calibrate", "judge agreement with hand labels"),
    "init": ("ksafe_pytest.commands.init", "write a starter thresholds.yaml and CI workflow"),
    "thresholds": ("ksafe_pytest.commands.thresholds", "propose tighter limits from a passing run"),
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ksafe-pytest")
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ksafe", description="KSAFE-MM safety benchmark tools")
    parser.add_argument("--version", action="version", version=f"ksafe-pytest {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        sub_parser.set_defaults(_module=module)
        import_module(module).add_arguments(sub_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = import_module(args._module).run
    try:
        return run(args)
    except KsafeError as exc:
        print(f"ksafe {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"ksafe {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
