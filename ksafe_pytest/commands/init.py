"""`ksafe init`: a starter thresholds.yaml and a GitHub Actions workflow for the gate."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from ksafe_pytest.errors import ConfigError

# template in ksafe_pytest/data/init/ -> where it goes, relative to --dir
FILES = (("thresholds.yaml", Path("thresholds.yaml")),
         ("workflow.yaml", Path(".github/workflows/ksafe.yml")))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", default=".", help="project folder (default: here)")
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")
    parser.add_argument("--no-workflow", action="store_true",
                        help="write thresholds.yaml only")


def run(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    chosen = FILES[:1] if args.no_workflow else FILES
    existing = [str(root / target) for _, target in chosen if (root / target).exists()]
    if existing and not args.force:
        raise ConfigError(f"{', '.join(existing)} already exist(s); nothing written "
                          "(--force overwrites)")
    for template, target in chosen:
        text = (resources.files("ksafe_pytest") / "data" / "init" / template).read_text(
            encoding="utf-8")
        path = root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    print("next: pytest --ksafe-model=ksafe/guarded   (offline; then your model, see "
          "the comments in the files)")
    return 0
