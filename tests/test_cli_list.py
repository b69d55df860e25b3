from __future__ import annotations

from pathlib import Path

import pytest

from conftest import mini_rows
from ksafe_pytest.cli import main


def test_list_counts_by_category_part_and_strategy(mini_dataset: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--dataset", str(mini_dataset)]) == 0
    out = capsys.readouterr().out
    assert f"{len(mini_rows())} samples" in out
    privacy = next(line for line in out.splitlines() if line.startswith("Privacy"))
    assert privacy.split()[-4:] == ["2", "2", "6", "2"]  # G harmful/benign, C harmful/benign
    pe = next(line for line in out.splitlines() if line.startswith("ProgramExecution"))
    assert pe.split()[1:] == ["0", "22"]


def test_list_names_a_missing_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--dataset", "missing.jsonl"]) == 2
    assert "missing.jsonl: no such dataset file or folder" in capsys.readouterr().err
