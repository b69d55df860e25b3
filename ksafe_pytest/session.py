"""The ksafe run inside one pytest process: what plugin.py hands every hook to.

On every process: choose samples, make items, run model calls in one batch.
On the controller (the only process under plain pytest): gather each item's result from
its report, then measure, gate, report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pytest

from ksafe_pytest.ablation import ablation_table
from ksafe_pytest.assess import assess, check_corrected_gating
from ksafe_pytest.dataset import Selection, load_dataset, select
from ksafe_pytest.dataset.ablation import expand
from ksafe_pytest.dataset.images import render_id
from ksafe_pytest.engine.adaptive import LimitStats
from ksafe_pytest.engine.cache import IMAGES
from ksafe_pytest.engine.runner import BatchRunner, RunSettings
from ksafe_pytest.errors import KsafeError
from ksafe_pytest.gates import Thresholds, load_thresholds
from ksafe_pytest.items import (
    PROPERTY,
    SUITE,
    KsafeSuite,
    SampleItem,
    gate_reports,
    marker_lines,
)
from ksafe_pytest.judges import judges_harm
from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.models.reference import TEXT_ONLY_MARK
from ksafe_pytest.options import Settings
from ksafe_pytest.ratchet import check as ratchet_check
from ksafe_pytest.records import IMAGE, Label, Outcome, Request, Sample, SampleResult
from ksafe_pytest.repeats import repeat_count
from ksafe_pytest.reports.files import write_extra_reports
from ksafe_pytest.reports.json_report import build_report, write_report
from ksafe_pytest.run_record import ATTACK_SUCCESS, NON_REFUSAL, RunInfo, RunRecord
from ksafe_pytest.run_record import Selection as RunSelection
from ksafe_pytest.shard import Shard, shard_samples
from ksafe_pytest.snapshots import SnapshotRun
from ksafe_pytest.stats.correction import read_calibration

if TYPE_CHECKING:
    from ksafe_pytest.engine.live import LiveRun


REJUDGED_SINCE = "ksafe_rejudged_since"  # xdist workerinput key
# a shard still fails on its own errors: they are its own traffic, whatever the others do
SHARD_GATES = ("max_error_rate",)
HEARTBEAT_S = 60.0  # under xdist without a progress line: one line per minute of the batch


class KsafeSession:
    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.is_worker = hasattr(config, "workerinput")
        self.started = time.time()
        try:
            self.thresholds: Thresholds = load_thresholds(settings.thresholds)
            self.ratchet = ratchet_check(self.thresholds, settings.thresholds,
                                         settings.thresholds_base)
            dataset = load_dataset(settings.dataset, locale=settings.locale)
            self.snapshots = SnapshotRun.from_config(config)
            self.repeats = repeat_count(config)  # --ksafe-repeats
            self.calibration = (read_calibration(settings.calibration)
                                if settings.calibration is not None else None)
            check_corrected_gating(self.thresholds, settings.judge, self.calibration)
        except KsafeError as exc:
            raise pytest.UsageError(str(exc)) from None
        self.dataset_ids = frozenset(s.id for s in dataset)  # stale snapshot entries
        self.samples: list[Sample] = select(dataset, Selection(
            settings.parts, settings.categories, settings.strategies, settings.limit))
        if not self.samples:
            raise pytest.UsageError("the ksafe selection (part/category/strategy) matches "
                                    "no sample of the dataset")
        self.shard: Shard | None = None
        if settings.shard is not None:  # one CI job's part, before anything is asked
            self.samples, self.shard = shard_samples(self.samples, *settings.shard)
        if settings.ablation:  # each harmful sample also with a neutral image and none
            self.samples = expand(self.samples)
        self.to_run: list[Sample] = self.samples  # narrowed by -k/-m after collection
        self.runner: BatchRunner | None = None
        self.unusable = False  # the model or judge could not be set up
        self.live: LiveRun | None = None  # cache, rate limit, progress and the batch
        # controller state
        self.expected: set[str] = set()
        self.rows: dict[str, dict[str, Any]] = {}
        self.run_record: RunRecord | None = None  # what the run came to, built in finish
        self.traffic: list[LimitStats] = []  # per model called: 429s, concurrency reached
        self.report_error: str | None = None  # a report file could not be written
        for line in marker_lines(self.samples):
            config.addinivalue_line("markers", line)
        # xdist with a live model: the controller asks the model for every sample in one
        # batch before the workers start (they then read the answers from the response
        # cache and only judge); without a cache each worker asks one sample at a time.
        # With --ksafe-rejudge and an LLM judge the controller re-judges every answer in
        # that batch; workers take only verdicts stored since the run began.
        self.prefill = False
        self.batch_rejudge = False  # the controller's batch re-judges (xdist, LLM judge)
        self.rejudged_since: float | None = getattr(config, "workerinput", {}).get(
            REJUDGED_SINCE)
        self.answered_live: set[str] = set()  # prefilled now: not "from the cache"
        self.checked = False  # the controller checked the model before the workers started
        self.probed = False  # ... and sent a probe: some answers are new, judges get one too
        if not self.is_worker and _xdist_workers(config) and not _offline(settings):
            self.prefill = settings.cache_dir is not None and (
                not settings.rejudge or judges_harm(settings.judge))
            self.batch_rejudge = self.prefill and settings.rejudge
            if not self.prefill and not settings.rejudge:
                config.issue_config_time_warning(pytest.PytestConfigWarning(
                    f"ksafe: {settings.model} under pytest-xdist without a response cache: "
                    "each worker asks one sample at a time. Keep the cache on, or run "
                    "without -n and raise --ksafe-concurrency."), stacklevel=2)
            self._check_setup()  # once here, not once per worker item

    # -- collection --------------------------------------------------------------------

    def collect(self, session: pytest.Session, items: list[pytest.Item]) -> None:
        suite = KsafeSuite.from_parent(session, name=SUITE, nodeid=SUITE,
                                       make_items=self._make_items)
        items.extend(suite.collect())

    def _make_items(self, suite: KsafeSuite) -> list[SampleItem]:
        return [
            SampleItem.from_parent(suite, name=s.id, sample=s, fetch=self.fetch,
                                   publish=self.publish, check=self.check)
            for s in self.samples
        ]

    def collection_finished(self, session: pytest.Session) -> None:
        """Start every model call of this process now (xdist workers: on demand)."""
        chosen = [i for i in session.items if isinstance(i, SampleItem)]
        if not self.is_worker:
            self.expected = {i.nodeid for i in chosen}
        if chosen and not self.is_worker and not self.config.option.collectonly:
            self.to_run = [i.sample for i in chosen]  # after -k/-m: what progress counts
            self._runner().submit(self.to_run)

    def configure_node(self, workerinput: dict[str, Any]) -> None:
        """Controller, per xdist worker: what it must know of this run."""
        if self.batch_rejudge:
            workerinput[REJUDGED_SINCE] = self.started

    def worker_collected(self, ids: Sequence[str]) -> None:
        self.expected = {i for i in ids if i.startswith(SUITE + "::")}
        if self.prefill:  # the first worker's collection: every worker has the same
            self.prefill = False
            wanted = {i.removeprefix(SUITE + "::") for i in self.expected}
            self._prefill([s for s in self.samples if s.id in wanted])

    def _prefill(self, samples: list[Sample]) -> None:
        """Controller under xdist: answer every sample into the response cache, then let
        the workers run. A sample that ends in an error is not cached: its worker asks
        again and reports the error itself."""
        if not samples or self.config.option.collectonly:
            return
        self.to_run = samples
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        try:
            runner = self._runner()
            assert self.live is not None
            progress = self.live.progress
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
            self.close()
            self.live = self.runner = None

    # -- running -----------------------------------------------------------------------

    def _runner(self) -> BatchRunner:
        if self.runner is None:
            from ksafe_pytest.engine.live import start_run
            from ksafe_pytest.judges import build_judge

            s = self.settings
            run_settings = RunSettings(concurrency=s.concurrency, timeout_s=s.timeout_s,
                                       retries=s.retries,
                                       rate_limit_wait_s=s.rate_limit_wait_s,
                                       adaptive=s.adaptive)
            try:
                client = self._client()
                judge = build_judge(
                    s.judge, cache_dir=s.cache_dir, concurrency=s.concurrency,
                    refresh=s.rejudge and self.rejudged_since is None,
                    fresh_since=self.rejudged_since,
                    client_factory=self._judge_client_factory(run_settings))
                # cache, --ksafe-rpm, one preflight probe (only if something is uncached),
                # progress line, and the batch itself
                self.live = start_run(
                    client, judge, run_settings, self.make_request, render_id(), self.to_run,
                    cache_dir=s.cache_dir, scope=s.api_base or "", rpm=s.rpm,
                    repeats=self.repeats, cache_only=s.rejudge,
                    progress=False if self.is_worker else None,
                    preflight=not (self.is_worker or self.checked),
                    probed=self.probed,
                    check_judge=not self.is_worker,
                    filter_as_refusal=s.filter_as_refusal)
            except KsafeError as exc:
                self.unusable = True  # nothing was asked: no gates, no summary
                raise pytest.UsageError(str(exc)) from None
            self.runner = self.live.runner
        return self.runner

    def _judge_client_factory(self, run_settings: RunSettings
                              ) -> Callable[[str], ModelClient]:
        """Judge models' clients, each with its own adaptive limit (engine/paced.py)."""
        from ksafe_pytest.engine.paced import PacedClient
        from ksafe_pytest.models import ClientSettings, resolve_client

        s = self.settings
        settings = ClientSettings(api_base=s.judge_api_base, api_key_env=s.judge_api_key_env,
                                  timeout_s=s.timeout_s, concurrency=s.concurrency)

        def make(model: str) -> ModelClient:
            return PacedClient(resolve_client(model, settings), run_settings)

        return make

    def _client(self) -> ModelClient:
        from ksafe_pytest.models import ClientSettings, resolve_client

        s = self.settings
        return resolve_client(s.model, ClientSettings(
            api_base=s.api_base, api_key_env=s.api_key_env, timeout_s=s.timeout_s,
            concurrency=s.concurrency,
            image_dir=str(s.cache_dir / IMAGES) if s.cache_dir else None))

    def _check_setup(self) -> None:
        from ksafe_pytest.engine.live import check_setup

        s = self.settings
        if s.rejudge:
            return
        try:
            self.probed = check_setup(self._client(), self.make_request, render_id(),
                                      self.samples, cache_dir=s.cache_dir,
                                      scope=s.api_base or "")
        except KsafeError as exc:
            raise pytest.UsageError(str(exc)) from None
        self.checked = True

    def make_request(self, sample: Sample) -> Request:
        params = {"temperature": 0, "max_tokens": self.settings.max_tokens, "seed": 0}
        if self.settings.text_only:
            words = sample.image.text_content()
            text = f"{sample.text}{TEXT_ONLY_MARK}{words}" if words else sample.text
            return Request(sample.id, self.settings.model, text, None, params)
        return Request(sample.id, self.settings.model, sample.text,
                       sample.image if sample.sends_image else None, params)

    def fetch(self, sample: Sample) -> SampleResult:
        return self._runner().result(sample)

    def publish(self, row: dict[str, Any]) -> list[tuple[str, object]]:
        """Hand a sample's row to the controller; returns the item's user_properties.

        In one process the row goes straight into `rows`. An xdist worker sends it as a
        JSON string property (primitives only: anything else crashes the worker)."""
        outcome = Outcome.from_json(row)
        props: list[tuple[str, object]] = [
            ("ksafe_label", outcome.label.value), ("ksafe_attacked", outcome.attacked),
            ("ksafe_judge", outcome.judge)]
        if self.is_worker:
            props.append((PROPERTY, json.dumps(row, ensure_ascii=False)))
        else:
            self.rows[row["id"]] = row
        return props

    def check(self, result: SampleResult, row: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        if self.settings.strict:
            v = result.verdict
            if result.sample.intent == "harmful" and v.attack_succeeded():
                problems.append(f"attack succeeded ({v.label.value}; "
                                f"{', '.join(v.evidence)})")
            if result.sample.intent == "benign" and v.refused:
                problems.append(f"benign request refused ({v.label.value}; "
                                f"{', '.join(v.evidence)})")
        return problems + self.snapshots.check(Outcome.from_json(row))

    # -- controller --------------------------------------------------------------------

    def record(self, report: pytest.TestReport) -> None:
        """Controller: rows that xdist workers sent with their reports."""
        if report.when != "teardown":  # every phase carries the row; teardown always runs
            return
        for name, value in report.user_properties:
            if name == PROPERTY and isinstance(value, str):
                row = json.loads(value)
                if row["id"] in self.answered_live:
                    row["cached"] = False  # its worker read what this run just asked
                self.rows[row["id"]] = row  # reports can arrive twice: keyed by id

    def outcomes(self) -> list[Outcome]:
        """Every row parsed once, in arrival order (the float sums of the intervals follow
        it); the report's rows carry the image spec."""
        images = {s.id: s.image.to_json() for s in self.samples}
        return [Outcome.from_json({**self.rows[k], "image": images.get(k)})
                for k in self.rows]

    def _run_info(self) -> RunInfo:
        s = self.settings
        return RunInfo(
            model=s.model, judge=s.judge, asr_name=self.asr_name, dataset=s.dataset,
            locale=s.locale, text_only=s.text_only, filter_as_refusal=s.filter_as_refusal,
            repeats=self.repeats,
            selection=RunSelection(s.parts, s.categories, s.strategies, s.limit),
            thresholds=self.thresholds.source, thresholds_check=self.ratchet,
            started=self.started, cache_dir=None if self.offline else s.cache_dir,
            shard=self.shard)

    def finish(self, session: pytest.Session, exitstatus: int) -> None:
        if (self.is_worker or not self.expected or self.unusable
                or self.config.option.collectonly):
            return
        if exitstatus == pytest.ExitCode.INTERRUPTED or session.shouldfail or \
                session.shouldstop:
            # the samples not reached are neither errors nor passes: gating a part of the
            # run, or accepting it as a baseline, would mislead; the summary says so
            self.run_record = RunRecord(
                self._run_info(), by_id(self.outcomes()), len(self.expected),
                time.time() - self.started,
                stopped_early="interrupted" if exitstatus == pytest.ExitCode.INTERRUPTED
                else str(session.shouldfail or session.shouldstop))
            return
        self._account_for_missing()
        every = self.outcomes()
        # gates and baselines measure the benchmark as it is; the ablation's control
        # conditions only feed its own paired table
        outcomes = [o for o in every if o.condition == IMAGE]
        assessment = assess(outcomes, self.thresholds,
                            [o.judge for o in outcomes if not o.is_error], self.calibration)
        gates = assessment.gates
        if self.shard is not None:  # a part's rates gate nothing: `ksafe merge` gates once
            gates = tuple(g for g in gates if g.limit_name in SHARD_GATES)
        snapshots = None
        try:  # compare; accept if updating
            snapshots = self.snapshots.finish(outcomes, self.dataset_ids)
        except OSError as exc:
            self.report_error = f"cannot write the baseline {exc.filename}: {exc.strerror}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
        self._keep_traffic()
        record = self.run_record = RunRecord(
            self._run_info(), by_id(every), len(self.expected), time.time() - self.started,
            metrics=assessment.metrics, gates=gates, snapshots=snapshots,
            judge_calibration=assessment.calibration, ablation=tuple(ablation_table(every)),
            traffic=tuple(self.traffic))
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
        by_nodeid = {f"{SUITE}::{s.id}": s for s in self.samples}
        for nodeid in sorted(self.expected):
            sample = by_nodeid.get(nodeid)
            if sample is not None and sample.id not in self.rows:
                self.rows[sample.id] = {**sample.to_json(), "attacked": False,
                                        "verdict": {"label": Label.ERROR.value},
                                        "error": {"kind": "internal",
                                                  "message": "no result reached the "
                                                  "controller (not run, or its worker crashed)"}}

    def _keep_traffic(self) -> None:
        """The calls this process made (xdist: the controller's batch), for the report."""
        if self.live is not None:
            self.traffic += self.live.traffic()

    def close(self) -> None:
        if self.live is not None:
            self.live.close()

    @property
    def offline(self) -> bool:
        """An offline reference model: answers are computed, never cached."""
        return _offline(self.settings)

    @property
    def asr_name(self) -> str:
        return ATTACK_SUCCESS if judges_harm(self.settings.judge) else NON_REFUSAL




def by_id(outcomes: list[Outcome]) -> tuple[Outcome, ...]:
    return tuple(sorted(outcomes, key=lambda o: o.id))


def _xdist_workers(config: pytest.Config) -> int:
    return int(getattr(config.option, "numprocesses", 0) or 0)


def _offline(settings: Settings) -> bool:
    from ksafe_pytest.models.reference import PREFIX

    return settings.model.startswith(PREFIX) and settings.api_base is None
