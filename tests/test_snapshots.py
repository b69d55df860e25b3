"""Regression snapshots end to end (pytester, subprocess): baseline, regressions fail,
improvements pass, partial updates keep the rest, other models and baselines never delete,
`-n 2` equals serial, syrupy's own cleanup leaves ksafe files alone."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import mini_rows, write_jsonl

SNAPS = "__ksafe_snapshots__"


@pytest.fixture
def dataset(pytester: pytest.Pytester) -> Path:
    return write_jsonl(pytester.path / "mini.jsonl", mini_rows(per_category=1))


def run(pytester: pytest.Pytester, dataset: Path, model: str, *args: str,
        report: str = "r.json") -> tuple[pytest.RunResult, dict]:
    out = pytester.path / report
    out.unlink(missing_ok=True)
    junit = out.with_suffix(".xml")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--ksafe-dataset={dataset}", f"--ksafe-model={model}",
        f"--ksafe-report={out}", f"--junitxml={junit}", *args)
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    result.junit = junit  # type: ignore[attr-defined]
    return result, data


def files(root: Path, baseline: str = "default") -> dict[str, str]:
    folder = root / SNAPS / baseline
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.ambr"))}


def entries(root: Path, baseline: str = "default") -> dict[str, str]:
    """sample id -> its entry text, over all files of a baseline."""
    out: dict[str, str] = {}
    for text in files(root, baseline).values():
        for block in text.split("# name: ")[1:]:
            name, _, body = block.partition("\n")
            out[name] = body
    return out


def failed_ids(result: pytest.RunResult) -> set[str]:
    """Every failed sample, from the JUnit XML: the terminal shows only the first few."""
    tree = ET.parse(result.junit)  # type: ignore[attr-defined]
    return {case.get("name", "") for case in tree.iter("testcase")
            if case.find("failure") is not None and not case.get("name", "").startswith("gate[")}


def changes(data: dict, kind: str) -> set[str]:
    return {c["id"] for c in data["snapshots"]["changes"] if c["change"] == kind}


def ideal_baseline(pytester: pytest.Pytester, dataset: Path) -> dict[str, str]:
    """Harmful samples held, benign answered: built by two updates (the second a subset)."""
    run(pytester, dataset, "ksafe/refuse-all", "--snapshot-update")
    run(pytester, dataset, "ksafe/comply-all", "--snapshot-update", "-m", "benign")
    return entries(pytester.path)


def test_first_run_has_no_baseline_and_update_writes_few_stable_files(
        pytester: pytest.Pytester, dataset: Path) -> None:
    result, data = run(pytester, dataset, "ksafe/guarded")
    assert result.ret == 0, result.stdout.str()
    assert not (pytester.path / SNAPS).exists()  # nothing written without --snapshot-update
    assert data["snapshots"]["counts"]["new"] == len(mini_rows(per_category=1))
    result.stdout.fnmatch_lines(["*no baseline 'default' yet*--snapshot-update*"])

    result, data = run(pytester, dataset, "ksafe/guarded", "--snapshot-update",
                       "--ksafe-snapshot-text")
    assert result.ret == 0
    written = files(pytester.path)
    assert len(written) == 22  # one file per part and category, not one per sample
    assert len(entries(pytester.path)) == len(mini_rows(per_category=1))
    text = "".join(written.values())
    assert "보이스피싱" in text or "전세" in text or "죄송" in text  # Korean stays readable
    assert "\\u" not in text
    assert "2026-" not in text and "started" not in text  # no timestamps
    ids = [b.partition("\n")[0] for b in written["C-privacy.ambr"].split("# name: ")[1:]]
    assert ids == sorted(ids) and ids
    assert written["C-privacy.ambr"].startswith("# serializer version: 1\n")

    result, data = run(pytester, dataset, "ksafe/guarded", "--snapshot-update",
                       "--ksafe-snapshot-text")
    assert files(pytester.path) == written  # byte-stable on a re-run
    assert data["snapshots"]["files_written"] == []
    assert data["snapshots"]["counts"]["same"] == len(mini_rows(per_category=1))


def test_regressions_fail_and_only_regressions(pytester: pytest.Pytester,
                                               dataset: Path) -> None:
    before = ideal_baseline(pytester, dataset)
    held = {k for k, v in before.items() if '"held"' in v}
    answered = {k for k, v in before.items() if '"answered"' in v}
    assert held and answered and len(held) + len(answered) == len(before)

    result, data = run(pytester, dataset, "ksafe/comply-all")
    assert result.ret == 1
    assert failed_ids(result) == held  # harmful newly attacked; benign stay answered
    assert changes(data, "regression") == held
    assert data["snapshots"]["counts"]["failed"] == len(held)
    assert entries(pytester.path) == before  # a failing run writes nothing
    result.stdout.fnmatch_lines(["*REGRESSION *harmful request newly attacked*"])

    result, data = run(pytester, dataset, "ksafe/refuse-all")
    assert failed_ids(result) == answered  # benign newly refused
    assert changes(data, "regression") == answered
    assert data["snapshots"]["counts"]["same"] == len(held)


def test_improvements_pass(pytester: pytest.Pytester, dataset: Path) -> None:
    run(pytester, dataset, "ksafe/comply-all", "--snapshot-update")
    result, data = run(pytester, dataset, "ksafe/refuse-all", "-m", "harmful")
    assert result.ret == 0, result.stdout.str()
    assert data["snapshots"]["counts"]["regression"] == 0
    assert data["snapshots"]["counts"]["improvement"] == len(
        [r for r in mini_rows(per_category=1) if r["intent"] == "harmful"])
    result.stdout.fnmatch_lines(["*improvement*harmful request now held*"])


def test_update_of_a_subset_keeps_every_other_entry(pytester: pytest.Pytester,
                                                    dataset: Path) -> None:
    before = ideal_baseline(pytester, dataset)
    before_files = files(pytester.path)

    result, _ = run(pytester, dataset, "ksafe/comply-all", "--snapshot-update",
                    "--ksafe-category=privacy")
    assert result.ret == 0
    after = entries(pytester.path)
    assert after.keys() == before.keys()
    changed = {k for k in after if after[k] != before[k]}
    assert changed and all("-t07-" in k for k in changed)  # Privacy is category 7
    assert {n for n, t in files(pytester.path).items() if before_files[n] != t} == {
        "G-privacy.ambr", "C-privacy.ambr"}

    result, _ = run(pytester, dataset, "ksafe/comply-all", "--snapshot-update",
                    "-k", "Benign")
    assert entries(pytester.path).keys() == before.keys()

    result, _ = run(pytester, dataset, "ksafe/refuse-all", "--snapshot-update",
                    "--ksafe-limit=5")
    assert entries(pytester.path).keys() == before.keys()


def test_other_baselines_are_never_touched(pytester: pytest.Pytester,
                                           dataset: Path) -> None:
    run(pytester, dataset, "ksafe/guarded", "--snapshot-update")
    before = files(pytester.path)
    result, _ = run(pytester, dataset, "ksafe/refuse-all", "--snapshot-update",
                    "--ksafe-baseline=refuser", "--ksafe-part=C")
    assert result.ret == 0
    assert files(pytester.path) == before
    assert len(files(pytester.path, "refuser")) == 11
    # and comparing with the other baseline: refuse-all against itself is clean
    result, data = run(pytester, dataset, "ksafe/refuse-all", "--ksafe-baseline=refuser",
                       "--ksafe-part=C")
    assert data["snapshots"]["counts"]["regression"] == 0
    assert data["snapshots"]["counts"]["same"] > 0


def test_xdist_gives_the_same_results_and_files_as_serial(pytester: pytest.Pytester,
                                                          dataset: Path) -> None:
    pytest.importorskip("xdist")
    ideal_baseline(pytester, dataset)
    serial, serial_data = run(pytester, dataset, "ksafe/comply-all")
    parallel, parallel_data = run(pytester, dataset, "ksafe/comply-all", "-n", "2")
    assert failed_ids(serial) == failed_ids(parallel) and failed_ids(serial)
    assert serial.ret == parallel.ret == 1
    assert serial_data["snapshots"] == parallel_data["snapshots"]

    baseline = files(pytester.path)
    run(pytester, dataset, "ksafe/comply-all", "--snapshot-update", "-k", "C-")
    serial_files = files(pytester.path)
    for name, text in baseline.items():  # back to the ideal baseline
        (pytester.path / SNAPS / "default" / name).write_text(text, encoding="utf-8")
    result, _ = run(pytester, dataset, "ksafe/comply-all", "--snapshot-update", "-k", "C-",
                    "-n", "2")
    assert result.ret == 0
    assert files(pytester.path) == serial_files
    assert not list((pytester.path / SNAPS).rglob("*.tmp"))
    assert not list((pytester.path / SNAPS).rglob("*.lock"))


def test_syrupy_cleanup_in_the_same_run_leaves_ksafe_files_alone(
        pytester: pytest.Pytester, dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project test using syrupy's `snapshot` fixture, updated in the same run as a
    ksafe subset: syrupy deletes its own unused snapshots, never ksafe's."""
    # syrupy skips its cleanup in an xdist worker, which it tells by this variable: when
    # this suite itself runs under -n, the inner run would inherit it
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    pytester.makepyfile(test_user="def test_user(snapshot):\n    assert {'a': 1} == snapshot\n")
    ideal_baseline(pytester, dataset)
    before = files(pytester.path)
    assert before and (pytester.path / "__snapshots__" / "test_user.ambr").exists()
    stale = pytester.path / "__snapshots__" / "test_gone.ambr"
    stale.write_text("# serializer version: 1\n# name: test_gone\n  1\n# ---\n")
    result, _ = run(pytester, dataset, "ksafe/refuse-all", "--snapshot-update",
                    "--ksafe-category=privacy")
    assert result.ret == 0, result.stdout.str()
    assert not stale.exists()  # syrupy's cleanup did run ...
    after = files(pytester.path)
    assert after.keys() == before.keys()  # ... and left every ksafe file in place
    assert {n for n in after if after[n] != before[n]} == {"G-privacy.ambr",
                                                           "C-privacy.ambr"}


def test_a_snapshot_dir_inside_syrupys_folder_is_refused(pytester: pytest.Pytester,
                                                         dataset: Path) -> None:
    result, _ = run(pytester, dataset, "ksafe/guarded",
                    "--ksafe-snapshot-dir=tests/__snapshots__/ksafe")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*must not lie inside a '__snapshots__' folder*"])


def test_an_unwritable_snapshot_dir_stops_an_update_before_it_runs(
        pytester: pytest.Pytester, dataset: Path) -> None:
    (pytester.path / "a_file").write_text("x", encoding="utf-8")
    result, _ = run(pytester, dataset, "ksafe/guarded", "--snapshot-update",
                    "--ksafe-snapshot-dir=a_file/snaps")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--ksafe-snapshot-dir a_file/snaps: cannot write the "
                                 "baseline 'default' there: *a_file is not a folder*"])
    assert "ksafe::" not in result.stdout.str()
    result, _ = run(pytester, dataset, "ksafe/guarded", "--ksafe-snapshot-dir=a_file/snaps")
    assert result.ret == 0  # only reading: no baseline there yet, nothing to write


def test_a_malformed_baseline_is_a_clear_error(pytester: pytest.Pytester,
                                               dataset: Path) -> None:
    run(pytester, dataset, "ksafe/guarded", "--snapshot-update")
    path = pytester.path / SNAPS / "default" / "C-privacy.ambr"
    path.write_text(path.read_text(encoding="utf-8").replace('"held"', 'held', 1),
                    encoding="utf-8")
    result, _ = run(pytester, dataset, "ksafe/guarded")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*C-privacy.ambr: snapshot 'C-*' field 'outcome': "
                                 "invalid JSON*"])
    assert "Traceback" not in result.stderr.str()


def test_no_snapshots_flag_turns_the_check_off(pytester: pytest.Pytester,
                                               dataset: Path) -> None:
    ideal_baseline(pytester, dataset)
    result, data = run(pytester, dataset, "ksafe/comply-all", "--ksafe-no-snapshots")
    assert failed_ids(result) == set()
    assert data["snapshots"] is None


def test_samples_removed_from_the_dataset_are_pruned_only_on_request(
        pytester: pytest.Pytester, dataset: Path) -> None:
    run(pytester, dataset, "ksafe/guarded", "--snapshot-update")
    rows = mini_rows(per_category=1)
    kept_rows, gone = rows[:-3], {r["id"] for r in rows[-3:]}
    smaller = write_jsonl(pytester.path / "smaller.jsonl", kept_rows)

    result, data = run(pytester, smaller, "ksafe/guarded", "-m", "harmful")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*3 baseline entries name samples not in this dataset*"
                                 "--ksafe-snapshot-prune removes them"])
    assert data["snapshots"]["not_in_dataset"] == 3 and gone <= set(entries(pytester.path))

    # -m narrows what runs, not the dataset: only the 3 removed samples go
    result, data = run(pytester, smaller, "ksafe/guarded", "-m", "harmful",
                       "--ksafe-snapshot-prune")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*removed 3 entries of samples no longer in the dataset*"])
    assert set(entries(pytester.path)) == {r["id"] for r in kept_rows}
    assert data["snapshots"]["pruned"] is True
