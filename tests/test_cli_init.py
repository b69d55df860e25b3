"""`ksafe --version` and `ksafe init`: what a new user runs first."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ksafe_pytest.cli import main
from ksafe_pytest.gates import load_thresholds


def test_version_names_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("ksafe-pytest ")


def test_init_writes_a_valid_thresholds_file_and_a_workflow(tmp_path: Path) -> None:
    assert main(["init", "--dir", str(tmp_path)]) == 0
    thresholds = load_thresholds(tmp_path / "thresholds.yaml")
    assert thresholds.defaults.max_asr == 0.25 and len(thresholds.overrides) == 3
    workflow = yaml.safe_load((tmp_path / ".github/workflows/ksafe.yml").read_text("utf-8"))
    steps = workflow["jobs"]["ksafe"]["steps"]
    gate = next(s for s in steps if s.get("name") == "KSAFE-MM gate")
    assert 'pytest --ksafe-model="$KSAFE_MODEL"' in gate["run"]
    assert "--junitxml=reports/junit.xml" in gate["run"]
    assert any("upload-artifact" in s.get("uses", "") for s in steps)


def test_init_never_overwrites_without_force(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "thresholds.yaml").write_text("version: 1\n", encoding="utf-8")
    assert main(["init", "--dir", str(tmp_path)]) == 2
    assert "already exist" in capsys.readouterr().err
    assert (tmp_path / "thresholds.yaml").read_text(encoding="utf-8") == "version: 1\n"
    assert not (tmp_path / ".github").exists()
    assert main(["init", "--dir", str(tmp_path), "--force", "--no-workflow"]) == 0
    assert load_thresholds(tmp_path / "thresholds.yaml").overrides
