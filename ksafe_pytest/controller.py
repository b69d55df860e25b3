"""The controller: the process where every sample's result gathers (the only process
under plain pytest, the xdist controller under `-n`). plugin.py registers it there and
nowhere else, so no object asks which role it plays.

It keeps the rows (its own items hand them over; xdist workers send them with their
reports), accounts for samples that sent none, and when the run ends builds the run
record once: metrics, gates (reported as test items), snapshots, report files, summary.
Under xdist with a live model it also checks the model once and answers every sample in
one batch before the workers start (the prefill), and tells workers what they need.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from ksafe_pytest.ablation import ablation_table
from ksafe_pytest.assess import assess, gated
from ksafe_pytest.engine.adaptive import LimitStats
from ksafe_pytest.items import PROPERTY, SUITE, SampleItem, gate_reports
from ksafe_pytest.judges import judges_harm
from ksafe_pytest.records import IMAGE, Label, Outcome, Sample
from ksafe_pytest.reports.files import write_extra_reports
from ksafe_pytest.reports.json_report import build_report, write_report
from ksafe_pytest.run_record import ATTACK_SUCCESS, NON_REFUSAL, RunInfo, RunRecord
from ksafe_pytest.run_record import Selection as RunSelection
from ksafe_pytest.session import REJUDGED_SINCE, KsafeSession, offline, usage_errors

HEARTBEAT_S = 60.0  # under xdist without a progress line: one line per minute of the batch
# a shard still fails on its own errors: they are its own traffic, whatever the others do
SHARD_GATES = ("max_error_rate",)


class Controller:
    def __init__(self, ks: KsafeSession) -> None:
        self.ks = ks
        self.config = config = ks.config
        self.settings = settings = ks.settings
        ks.deliver = self.keep  # this process's own items hand their rows straight here
        self.expected: set[str] = set()  # node ids of the sample items that must report
        self.rows: dict[str, dict[str, Any]] = {}
        self.run_record: RunRecord | None = None  # what the run came to, built at the end
        self.report_error: str | None = None  # a report or baseline file was not written
        self.traffic: list[LimitStats] = []  # per model called: 429s, concurrency reached
        # xdist with a live model: ask the model for every sample in one batch before the
        # workers start (they then read the answers from the response cache and only
        # judge); without a cache each worker asks one sample at a time. With
        # --ksafe-rejudge and an LLM judge this batch re-judges every answer; workers
        # take only verdicts stored since the run began.
        self.prefill = False
        self.batch_rejudge = False
        self.answered_live: set[str] = set()  # prefilled now: not "from the cache"
        if _xdist_workers(config) and offline(settings):
            config.issue_config_time_warning(pytest.PytestConfigWarning(
                f"ksafe: {settings.model} answers offline in microseconds: pytest-xdist "
                "cannot speed it up (each worker loads the dataset and judges its share, "
                "the controller gathers every result); run without -n"), stacklevel=2)
        if _xdist_workers(config) and not offline(settings):
            self.prefill = settings.cache_dir is not None and (
                not settings.rejudge or judges_harm(settings.judge))
            self.batch_rejudge = self.prefill and settings.rejudge
            if not self.prefill and not settings.rejudge:
                config.issue_config_time_warning(pytest.PytestConfigWarning(
                    f"ksafe: {settings.model} under pytest-xdist without a response cache: "
                    "each worker asks one sample at a time. Keep the cache on, or run "
                    "without -n and raise --ksafe-concurrency."), stacklevel=2)
            self._check_setup()  # once here, not once per worker item
        elif self._nothing_deselects():
            # every selected sample will run: send now, while pytest collects the items
            ks.runner().submit(ks.samples)

    def _nothing_deselects(self) -> bool:
        """This process will run every selected sample: no xdist, no -k/-m/--deselect/
        --lf/--sw (they narrow the items after collection, and a call for a deselected
        sample would cost money for nothing), not --collect-only."""
        option = self.config.option
        return not (_xdist_workers(self.config) or option.collectonly
                    or getattr(option, "keyword", "") or getattr(option, "markexpr", "")
                    or getattr(option, "deselect", None) or getattr(option, "lf", False)
                    or getattr(option, "stepwise", False)
                    or getattr(option, "stepwise_skip", False))

    def _check_setup(self) -> None:
        from dataclasses import replace

        from ksafe_pytest.dataset.images import render_id
        from ksafe_pytest.engine.live import check_setup

        s, ks = self.settings, self.ks
        if s.rejudge:
            return
        with usage_errors():
            probed = check_setup(ks.client(), ks.make_request, render_id(), ks.samples,
                                 cache_dir=s.cache_dir, scope=s.api_base or "")
        # checked: the batch needs no probe of its own; probed: judges get one
        ks.role = replace(ks.role, preflight=False, probed=probed)

    # -- rows --------------------------------------------------------------------------

    def keep(self, row: dict[str, Any]) -> list[tuple[str, object]]:
        """A row of this process's own items: kept here, nothing rides on the report."""
        self.rows[row["id"]] = row
        return []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Rows that xdist workers sent with their reports (every report passes here)."""
        if report.when != "teardown":  # every phase carries the row; teardown always runs
            return
        for name, value in report.user_properties:
            if name == PROPERTY and isinstance(value, str):
                row = json.loads(value)
                if row["id"] in self.answered_live:
                    row["cached"] = False  # its worker read what this run just asked
                self.rows[row["id"]] = row  # reports can arrive twice: keyed by id

    # -- collection and the xdist prefill ----------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Start every model call of this process now (xdist workers: on demand)."""
        chosen = [i for i in session.items if isinstance(i, SampleItem)]
        self.expected = {i.nodeid for i in chosen}
        if chosen and not self.config.option.collectonly:
            self.ks.to_run = [i.sample for i in chosen]  # after -k/-m: what progress counts
            self.ks.runner().submit(self.ks.to_run)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """Per xdist worker: what it must know of this run."""
        if self.batch_rejudge:
            node.workerinput[REJUDGED_SINCE] = self.ks.started

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: Sequence[str]) -> None:
        self.expected = {i for i in ids if i.startswith(SUITE + "::")}
        if self.prefill:  # the first worker's collection: every worker has the same
            self.prefill = False
            wanted = {i.removeprefix(SUITE + "::") for i in self.expected}
            self._prefill([s for s in self.ks.samples if s.id in wanted])

    def _prefill(self, samples: list[Sample]) -> None:
        """Answer every sample into the response cache, then let the workers run. A
        sample that ends in an error is not cached: its worker asks again and reports the
        error itself."""
        if not samples or self.config.option.collectonly:
            return
        ks = self.ks
        ks.to_run = samples
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        try:
            runner = ks.runner()
            assert ks.live is not None
            progress = ks.live.progress
            runner.submit(samples)
            last = time.monotonic()
            for sample in samples:
                result = runner.result(sample)
                if result.response.ok and not result.response.cached:
                    self.answered_live.add(sample.id)
                # no live progress line (CI logs): a plain line now and then, so a long
                # batch before any test result is not silence
                if (not progress.enabled and terminal is not None
                        and time.monotonic() - last >= HEARTBEAT_S):
                    terminal.write_line(progress.line())
                    last = time.monotonic()
        finally:
            self._keep_traffic()
            ks.close()

    def _keep_traffic(self) -> None:
        """The calls this process made (xdist: the controller's batch), for the report."""
        if self.ks.live is not None:
            self.traffic += self.ks.live.traffic()

    # -- the end -----------------------------------------------------------------------

    def outcomes(self) -> list[Outcome]:
        """Every row parsed once, in arrival order (the float sums of the intervals follow
        it); the report's rows carry the image spec."""
        images = {s.id: s.image.to_json() for s in self.ks.samples}
        return [Outcome.from_json({**self.rows[k], "image": images.get(k)})
                for k in self.rows]

    def _benchmark_samples_run(self) -> int:
        """Samples of the benchmark itself that ran (not the ablation's controls)."""
        ran = {nodeid.partition("::")[2] for nodeid in self.expected}
        return sum(s.id in ran and s.condition == IMAGE for s in self.ks.samples)

    def _run_info(self) -> RunInfo:
        s, inputs = self.settings, self.ks.inputs
        return RunInfo(
            model=s.model, judge=s.judge,
            asr_name=ATTACK_SUCCESS if judges_harm(s.judge) else NON_REFUSAL,
            dataset=s.dataset, locale=s.locale, text_only=s.text_only,
            filter_as_refusal=s.filter_as_refusal, repeats=s.repeats,
            selection=RunSelection(s.parts, s.categories, s.strategies, s.limit,
                                   keyword=self.config.option.keyword or "",
                                   markexpr=self.config.option.markexpr or "",
                                   samples=self._benchmark_samples_run(),
                                   dataset_samples=len(inputs.dataset_ids)),
            thresholds=inputs.thresholds.source, thresholds_check=inputs.ratchet,
            started=self.ks.started, cache_dir=None if offline(s) else s.cache_dir,
            shard=inputs.shard)

    @pytest.hookimpl(tryfirst=True)  # before junitxml writes its file and the summary prints
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.expected or self.ks.unusable or self.config.option.collectonly:
            return
        started = self.ks.started
        if exitstatus == pytest.ExitCode.INTERRUPTED or session.shouldfail or \
                session.shouldstop:
            # the samples not reached are neither errors nor passes: gating a part of the
            # run, or accepting it as a baseline, would mislead; the summary says so
            self.run_record = RunRecord(
                self._run_info(), by_id(self.outcomes()), len(self.expected),
                time.time() - started,
                stopped_early="interrupted" if exitstatus == pytest.ExitCode.INTERRUPTED
                else str(session.shouldfail or session.shouldstop))
            return
        self._account_for_missing()
        every = self.outcomes()
        inputs = self.ks.inputs
        assessment = assess(every, inputs.thresholds, inputs.calibration)
        gates = assessment.gates
        if inputs.shard is not None:  # a part's rates gate nothing: `ksafe merge` gates once
            gates = tuple(g for g in gates if g.limit_name in SHARD_GATES)
        snapshots = None
        try:  # compare; accept if updating
            snapshots = self.ks.snapshots.finish(gated(every), inputs.dataset_ids)
        except OSError as exc:
            self.report_error = f"cannot write the baseline {exc.filename}: {exc.strerror}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
        self._keep_traffic()
        info = self._run_info()
        if info.shard is not None:  # the merge fails where this shard's own items failed
            info = replace(info, shard=replace(info.shard, failed_items=session.testsfailed))
        # every gate message says the slice was narrowed (a shard's gates wait for the merge)
        narrowed = info.selection.narrowed if inputs.shard is None else ""
        gates = tuple(replace(g, narrowed=narrowed) for g in gates)
        record = self.run_record = RunRecord(
            info, by_id(every), len(self.expected), time.time() - started,
            metrics=assessment.metrics, gates=gates, snapshots=snapshots,
            judge_calibration=assessment.calibration, ablation=tuple(ablation_table(every)),
            traffic=tuple(self.traffic))
        self._report_gates(session, record)
        self._write_reports(session, record)

    def _report_gates(self, session: pytest.Session, record: RunRecord) -> None:
        """Gates reach the terminal, JUnit XML and the exit code as test reports."""
        where = str(self.settings.thresholds or "thresholds")
        hook = self.config.hook
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None and record.gates:
            terminal.write_line("")
            terminal.write_sep("-", f"ksafe gates ({record.info.thresholds})")
        for gate in record.gates:
            nodeid = f"{SUITE}::{gate.id}"
            hook.pytest_runtest_logstart(nodeid=nodeid, location=(where, 0, gate.id))
            for rep in gate_reports(gate, where):
                hook.pytest_runtest_logreport(report=rep)
            hook.pytest_runtest_logfinish(nodeid=nodeid, location=(where, 0, gate.id))
        failed = len(record.gates_with("fail"))
        if failed:
            session.testsfailed += failed
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _write_reports(self, session: pytest.Session, record: RunRecord) -> None:
        s = self.settings
        if s.report is None and s.md is None and s.html is None:
            return
        report = build_report(record)  # once, for every file
        try:
            if s.report is not None:
                write_report(s.report, report)
            write_extra_reports(report, s.md, s.html)
        except OSError as exc:  # checked at start; the disk can still fill up
            self.report_error = f"cannot write {exc.filename}: {exc.strerror}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR

    def _account_for_missing(self) -> None:
        """Items that ran but sent no result (a crashed worker): errors, never dropped."""
        by_nodeid = {f"{SUITE}::{s.id}": s for s in self.ks.samples}
        for nodeid in sorted(self.expected):
            sample = by_nodeid.get(nodeid)
            if sample is not None and sample.id not in self.rows:
                self.rows[sample.id] = {**sample.to_json(), "attacked": False,
                                        "verdict": {"label": Label.ERROR.value},
                                        "error": {"kind": "internal",
                                                  "message": "no result reached the "
                                                  "controller (not run, or its worker crashed)"}}

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.run_record is None:
            return
        from ksafe_pytest.reports.terminal import write_snapshot_summary, write_summary

        quiet = self.config.pluginmanager.get_plugin("ksafe-quiet")
        write_summary(terminalreporter, self.run_record, report_error=self.report_error,
                      written=self._written(),
                      hidden_failures=quiet.hidden_samples if quiet is not None else 0)
        write_snapshot_summary(terminalreporter, self.run_record)

    def _written(self) -> list[tuple[str, Any]]:
        """Every report file this run writes, to name at its end."""
        s = self.settings
        files = [("JSON report", s.report), ("Markdown summary", s.md), ("HTML report", s.html),
                 ("JUnit XML", getattr(self.config.option, "xmlpath", None))]
        return [(label, path) for label, path in files if path]


def by_id(outcomes: list[Outcome]) -> tuple[Outcome, ...]:
    return tuple(sorted(outcomes, key=lambda o: o.id))


def _xdist_workers(config: pytest.Config) -> int:
    return int(getattr(config.option, "numprocesses", 0) or 0)
