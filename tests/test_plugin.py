"""The plugin end to end through pytester: options, inertness, exit codes, gates, xdist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import mini_rows, write_jsonl

LOW_MIN = "version: 1\ndefaults:\n  min_samples: 2\n"


def run(pytester: pytest.Pytester, dataset: Path, *args: str,
        subprocess: bool = False) -> pytest.RunResult:
    argv = ("-p", "no:cacheprovider", f"--ksafe-dataset={dataset}", *args)
    if subprocess:
        return pytester.runpytest_subprocess(*argv)
    return pytester.runpytest(*argv)


def report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_without_model_the_plugin_is_inert(pytester: pytest.Pytester) -> None:
    """No ksafe items, no model client or litellm import, no socket opened."""
    pytester.makeconftest("""
        import sys, socket
        EVENTS = []
        def audit(event, args):
            if event in ("socket.connect", "socket.getaddrinfo", "socket.bind"):
                EVENTS.append(event)
        sys.addaudithook(audit)
        def pytest_sessionfinish(session):
            heavy = [m for m in ("litellm", "aiohttp", "ksafe_pytest.session", "ksafe_pytest.controller",
                                 "ksafe_pytest.engine.runner", "PIL") if m in sys.modules]
            print("HEAVY=", heavy, "SOCKETS=", EVENTS)
    """)
    pytester.makepyfile(test_user="def test_user():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*HEAVY= [] SOCKETS= []*"])
    assert "ksafe:" not in result.stdout.str() and "ksafe::" not in result.stdout.str()


def test_guarded_model_gives_a_mixed_table(pytester: pytest.Pytester,
                                           mini_dataset: Path) -> None:
    out = pytester.path / "r.json"
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", f"--ksafe-report={out}")
    data = report(out)
    assert len(data["samples"]) == len(mini_rows())
    overall = next(m for m in data["metrics"] if m["scope"] == "overall")
    assert 0 < overall["asr"]["value"] < 1  # fooled by some jailbreaks, not all
    standard = next(m for m in data["metrics"]
                    if m["scope"] == "strategy" and m["strategy"] == "Standard")
    program = next(m for m in data["metrics"]
                   if m["scope"] == "strategy" and m["strategy"] == "ProgramExecution")
    assert standard["asr"]["value"] < program["asr"]["value"]
    result.stdout.fnmatch_lines(["*ksafe: ksafe/guarded*", "*non-refusal*"])


def test_comply_all_fails_the_asr_gates(pytester: pytest.Pytester, mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds=LOW_MIN)
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/comply-all")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*gate(s) FAILED:", "  gate[[]C/Privacy/max_asr[]]  *"])
    assert "max_over_refusal] -" not in result.stdout.str()


def test_refuse_all_fails_the_over_refusal_gates(pytester: pytest.Pytester,
                                                 mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds=LOW_MIN)
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/refuse-all")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*gate(s) FAILED:", "  gate[[]G/Violence/max_over_refusal[]]  *"])
    assert "max_asr] -" not in result.stdout.str()


def test_gates_appear_in_junit_xml(pytester: pytest.Pytester, mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds=LOW_MIN)
    xml = pytester.path / "junit.xml"
    run(pytester, mini_dataset, "--ksafe-model=ksafe/comply-all", f"--junitxml={xml}")
    text = xml.read_text(encoding="utf-8")
    assert 'name="gate[C/Privacy/max_asr]"' in text
    assert "C-t07-0000-ProgramExecution" in text


def test_selection_options_narrow_the_samples(pytester: pytest.Pytester,
                                              mini_dataset: Path) -> None:
    out = pytester.path / "r.json"
    run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--ksafe-part=C",
        "--ksafe-category=privacy,Violence", "--ksafe-strategy=ProgramExecution",
        f"--ksafe-report={out}")
    rows = report(out)["samples"]
    assert rows and {(r["part"], r["strategy"]) for r in rows} == {("C", "ProgramExecution")}
    assert {r["category"] for r in rows} == {"Privacy", "Violence"}


def test_keyword_and_marker_selection(pytester: pytest.Pytester, mini_dataset: Path) -> None:
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--collect-only",
                 "-q", "-m", "privacy and programexecution")
    result.stdout.fnmatch_lines(["ksafe::C-t07-0000-ProgramExecution",
                                 "ksafe::C-t07-0001-ProgramExecution"])
    assert "Standard" not in result.stdout.str()
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--collect-only",
                 "-q", "-k", "t03 and Benign")
    assert result.stdout.str().count("ksafe::") == 4  # 2 parts x 2 base queries


def test_limit_takes_a_stable_stratified_subset(pytester: pytest.Pytester,
                                               mini_dataset: Path) -> None:
    first = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--collect-only", "-q",
                "--ksafe-limit=40").stdout.lines
    second = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--collect-only",
                 "-q", "--ksafe-limit=40").stdout.lines
    ids = [line for line in first if line.startswith("ksafe::")]
    assert ids == [line for line in second if line.startswith("ksafe::")]
    assert len(ids) == 40


def test_max_tokens_reaches_every_request(pytester: pytest.Pytester,
                                          mini_dataset: Path) -> None:
    from ksafe_pytest.plugin import _session

    config = pytester.parseconfigure("-p", "no:cacheprovider", f"--ksafe-dataset={mini_dataset}",
                                     "--ksafe-model=ksafe/guarded", "--ksafe-max-tokens=8192")
    ks = _session(config)
    assert {ks.make_request(s).params["max_tokens"] for s in ks.samples} == {8192}
    default = _session(pytester.parseconfigure("-p", "no:cacheprovider",
                                               f"--ksafe-dataset={mini_dataset}",
                                               "--ksafe-model=ksafe/guarded"))
    assert default.make_request(default.samples[0]).params["max_tokens"] == 1024


@pytest.mark.parametrize(("args", "message"), [
    (["--ksafe-category=Nonsense"], "*--ksafe-category: unknown category 'Nonsense';*"),
    (["--ksafe-strategy=programexec"],
     "*unknown strategy 'programexec' (did you mean 'ProgramExecution'?)*"),
    (["--ksafe-part=X"], "*--ksafe-part: unknown part 'X'; expected one of: G, C*"),
    (["--ksafe-limit=zero"], "*--ksafe-limit: expected a number*"),
    (["--ksafe-concurrency=0"], "*--ksafe-concurrency: must be at least 1*"),
    (["--ksafe-max-tokens=many"], "*--ksafe-max-tokens: expected a number, got 'many'*"),
    (["--ksafe-model=ksafe/nope"], "*unknown reference model 'ksafe/nope'*"),
])
def test_bad_option_values_are_named(pytester: pytest.Pytester, mini_dataset: Path,
                                     args: list[str], message: str) -> None:
    argv = ["--ksafe-model=ksafe/guarded", *args] if not args[0].startswith(
        "--ksafe-model") else args
    result = run(pytester, mini_dataset, *argv, subprocess=True)
    assert result.ret in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR)
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str()


def test_invalid_thresholds_file_is_a_usage_error(pytester: pytest.Pytester,
                                                  mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds="defaults:\n  max_asr: 2\n")
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", subprocess=True)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*thresholds.yaml: defaults.max_asr: must be a number*"])


def test_a_thresholds_file_without_limits_says_so(pytester: pytest.Pytester,
                                                 mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds="version: 1\ndefaults:\n  max_asr: null\n"
                      "  max_over_refusal: null\n  max_error_rate: null\n")
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["no gates: *thresholds.yaml sets no limit"])


@pytest.mark.parametrize(("option", "target", "why"), [
    ("report", "a_file/r.json", "a_file is not a folder"),
    ("html", "a_folder", "it is a folder"),
    ("md", "a_file/deeper/r.md", "a_file is not a folder"),
])
def test_a_report_path_that_cannot_be_written_stops_the_run_before_it_starts(
        pytester: pytest.Pytester, mini_dataset: Path, option: str, target: str,
        why: str) -> None:
    (pytester.path / "a_file").write_text("x", encoding="utf-8")
    (pytester.path / "a_folder").mkdir()
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded",
                 f"--ksafe-{option}={target}", subprocess=True)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*--ksafe-{option}: cannot write {target}: *{why}*"])
    assert "ksafe::" not in result.stdout.str()  # nothing ran


def test_a_report_that_fails_to_write_at_the_end_is_one_message(
        pytester: pytest.Pytester, mini_dataset: Path) -> None:
    pytester.makeconftest("""
import errno
import ksafe_pytest.reports.json_report as json_report

def _disk_full(path, ks):
    raise OSError(errno.ENOSPC, "No space left on device", str(path))

json_report.write_report = _disk_full
""")
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded",
                 "--ksafe-report=r.json", subprocess=True)
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    result.stdout.fnmatch_lines(["ksafe: cannot write r.json: No space left on device"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


@pytest.mark.parametrize(("row", "field", "value", "expected"), [
    (3, "category", "Gossip", "*bad.jsonl:4 field 'category': unknown value 'Gossip'*"),
    # a broken image stops even an offline run, whose model never opens it: the data is bad
    (2, "image", "photo.png", "*bad.jsonl:3 field 'image': *photo.png is not an image*"),
])
def test_a_bad_dataset_row_stops_the_run_naming_file_line_and_field(
        pytester: pytest.Pytester, row: int, field: str, value: str, expected: str) -> None:
    (pytester.path / "photo.png").write_bytes(b"GIF89a but not really")
    rows = mini_rows(per_category=1)
    rows[row][field] = value
    bad = write_jsonl(pytester.path / "bad.jsonl", rows)
    result = run(pytester, bad, "--ksafe-model=ksafe/guarded", subprocess=True)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([expected])
    assert "Traceback" not in result.stderr.str()


@pytest.mark.parametrize("stop", [["-x"], ["--maxfail=3"]])
def test_stopping_at_the_first_failures_gates_nothing(pytester: pytest.Pytester,
                                                      mini_dataset: Path,
                                                      stop: list[str]) -> None:
    """-x / --maxfail end the run early: the samples not reached are not errors, and a
    part of the run is neither gated nor reported (before: every gate failed on a 100%
    error rate of samples that never ran)."""
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/comply-all", "--ksafe-strict",
                 "--ksafe-report=r.json", *stop)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*ksafe: ksafe/comply-all · stopped early*",
                                 "stopping after * failures: * of 132 samples ran; no gate "
                                 "evaluated, no baseline or report written"])
    out = result.stdout.str()
    assert "gate[" not in out and "error rate" not in out and "response cache" not in out
    assert not (pytester.path / "r.json").exists()


def test_strict_mode_fails_attacked_and_refused_samples(pytester: pytest.Pytester,
                                                        mini_dataset: Path) -> None:
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/comply-all", "--ksafe-strict",
                 "-m", "harmful")
    # the failure line names the sample and why (pytest 9 also repeats it in the summary)
    result.stdout.fnmatch_lines(["*G-t00-0000-Standard: *attack succeeded*"])
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/refuse-all", "--ksafe-strict",
                 "-m", "benign")
    result.stdout.fnmatch_lines(["*G-t00-0000-Benign: *benign request refused*"])


def test_xdist_gives_the_same_metrics_and_gates(pytester: pytest.Pytester,
                                                mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds=LOW_MIN)
    serial, parallel = pytester.path / "serial.json", pytester.path / "parallel.json"
    a = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", f"--ksafe-report={serial}",
            subprocess=True)
    b = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", f"--ksafe-report={parallel}",
            "-n", "2", subprocess=True)
    assert a.ret == b.ret
    one, two = report(serial), report(parallel)
    assert one["metrics"] == two["metrics"]
    assert one["gates"] == two["gates"]
    assert [s["verdict"] for s in one["samples"]] == [s["verdict"] for s in two["samples"]]
    b.stdout.fnmatch_lines(["*ksafe: ksafe/guarded*"])


def test_text_only_sends_the_image_words_as_text(pytester: pytest.Pytester,
                                                 mini_dataset: Path) -> None:
    out = pytester.path / "r.json"
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--ksafe-text-only",
                 f"--ksafe-report={out}")
    result.stdout.fnmatch_lines(["*ksafe: ksafe/guarded · text-only · judge rules*"])
    data = report(out)
    assert data["run"]["condition"] == "text-only"
    assert len(data["samples"]) == len(mini_rows())


def test_text_only_request_carries_no_image(pytester: pytest.Pytester,
                                            mini_dataset: Path) -> None:
    from ksafe_pytest.dataset import load_jsonl
    from ksafe_pytest.models.reference import TEXT_ONLY_MARK
    from ksafe_pytest.options import resolve_settings
    from ksafe_pytest.session import KsafeSession

    config = pytester.parseconfigure("--ksafe-model=ksafe/guarded", "--ksafe-text-only",
                                     f"--ksafe-dataset={mini_dataset}")
    ks = KsafeSession(config, resolve_settings(config))
    sample = load_jsonl(mini_dataset)[0]
    request = ks.make_request(sample)
    assert request.image is None
    assert request.text == sample.text + TEXT_ONLY_MARK + sample.image.text_content()


def test_json_report_is_valid_json_with_one_sample_per_line(pytester: pytest.Pytester,
                                                            mini_dataset: Path) -> None:
    out = pytester.path / "r.json"
    run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", f"--ksafe-report={out}")
    data = report(out)
    assert list(data)[-1] == "samples" and {"run", "metrics", "gates"} <= set(data)
    lines = out.read_text(encoding="utf-8").splitlines()
    sample_lines = [line for line in lines if line.lstrip(",").startswith('{"id": ')]
    assert len(sample_lines) == len(data["samples"]) == len(mini_rows())
    assert "전세 사기" in out.read_text(encoding="utf-8")  # Korean stays readable


@pytest.mark.parametrize("option", ["--ksafe-model=", "--ksafe-judge=", "--ksafe-limit= "])
def test_an_option_given_empty_is_a_usage_error(pytester: pytest.Pytester,
                                                mini_dataset: Path, option: str) -> None:
    model = [] if option.startswith("--ksafe-model") else ["--ksafe-model=ksafe/guarded"]
    result = pytester.runpytest(f"--ksafe-dataset={mini_dataset}", *model, option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    name = option.split("=")[0]
    result.stderr.fnmatch_lines([f"*{name} is empty (an unset variable?)*"])


def test_an_empty_ini_option_is_a_usage_error(pytester: pytest.Pytester,
                                              mini_dataset: Path) -> None:
    pytester.makeini("[pytest]\nksafe_judge =\n")
    result = pytester.runpytest(f"--ksafe-dataset={mini_dataset}", "--ksafe-model=ksafe/guarded")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*ini option ksafe_judge is empty*"])


@pytest.mark.parametrize("workers", [0, 2])
def test_the_controller_is_registered_only_where_results_gather(
        pytester: pytest.Pytester, mini_dataset: Path, workers: int) -> None:
    """Plain pytest: the one process has it. Under xdist: the controller, no worker."""
    if workers:
        pytest.importorskip("xdist")
    roles = pytester.path / "roles"
    roles.mkdir()
    pytester.makeconftest(f"""
        import os
        def pytest_sessionfinish(session):
            config = session.config
            role = "worker" if hasattr(config, "workerinput") else "main"
            has = config.pluginmanager.has_plugin("ksafe-controller")
            with open(os.path.join({str(roles)!r}, f"{{role}}-{{os.getpid()}}"), "w") as f:
                f.write(str(has))
    """)
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded",
                 *(["-n", str(workers)] if workers else []), subprocess=True)
    assert result.ret in (0, 1)
    seen = sorted((p.name.split("-")[0], p.read_text()) for p in roles.iterdir())
    assert seen == [("main", "True")] + [("worker", "False")] * workers
