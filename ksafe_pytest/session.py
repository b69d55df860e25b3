"""The ksafe run in every pytest process: the samples chosen, their items, and the batch
that answers and judges them. plugin.py hands the collection and item hooks here.

Where results gather (the only process under plain pytest, the xdist controller under
`-n`) plugin.py also registers the Controller (controller.py); an xdist worker has this
session only, and sends each sample's row to the controller with the item's report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from ksafe_pytest.assess import check_corrected_gating
from ksafe_pytest.dataset import Selection, load_dataset, select
from ksafe_pytest.dataset.ablation import expand
from ksafe_pytest.dataset.images import render_id
from ksafe_pytest.engine.cache import IMAGES
from ksafe_pytest.engine.runner import BatchRunner, RunSettings
from ksafe_pytest.errors import ConfigError, KsafeError
from ksafe_pytest.gates import Thresholds, load_thresholds, with_gate_on
from ksafe_pytest.items import PROPERTY, SUITE, KsafeSuite, SampleItem, Settled, marker_lines
from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.models.reference import TEXT_ONLY_MARK
from ksafe_pytest.options import Settings
from ksafe_pytest.ratchet import RatchetCheck
from ksafe_pytest.ratchet import check as ratchet_check
from ksafe_pytest.records import Outcome, Request, Sample, SampleResult
from ksafe_pytest.shard import Shard, shard_samples
from ksafe_pytest.snapshots import SnapshotRun
from ksafe_pytest.stats.correction import Calibration, read_calibration

if TYPE_CHECKING:
    from ksafe_pytest.engine.live import LiveRun

REJUDGED_SINCE = "ksafe_rejudged_since"  # xdist workerinput key

Deliver = Callable[[dict[str, Any]], list[tuple[str, object]]]


@contextmanager
def usage_errors(before: Callable[[], None] | None = None) -> Iterator[None]:
    """The one place a KsafeError (bad option, file, dataset row, model setup) becomes
    pytest's usage error: one message, exit code 4, no traceback."""
    try:
        yield
    except KsafeError as exc:
        if before is not None:
            before()
        raise pytest.UsageError(str(exc)) from None


@dataclass(frozen=True)
class RunInputs:
    """What a run reads before it starts, checked at once: limits, dataset, samples."""

    thresholds: Thresholds
    ratchet: RatchetCheck
    calibration: Calibration | None
    dataset_ids: frozenset[str]  # stale snapshot entries are those not in here
    samples: tuple[Sample, ...]
    shard: Shard | None = None  # --ksafe-shard: this run is one part of the selection


def load_inputs(settings: Settings) -> RunInputs:
    thresholds = load_thresholds(settings.thresholds)
    ratchet = ratchet_check(thresholds, settings.thresholds, settings.thresholds_base)
    if settings.gate_on is not None:  # after the ratchet, which reads the file as written
        thresholds = with_gate_on(thresholds, settings.gate_on)
    dataset = load_dataset(settings.dataset, locale=settings.locale)
    calibration = (read_calibration(settings.calibration)
                   if settings.calibration is not None else None)
    check_corrected_gating(thresholds, settings.judge, calibration)
    samples = select(dataset, Selection(settings.parts, settings.categories,
                                        settings.strategies, settings.limit))
    if not samples:
        raise ConfigError("the ksafe selection (part/category/strategy) matches no sample "
                          "of the dataset")
    shard = None
    if settings.shard is not None:  # one CI job's part, before anything is asked
        samples, shard = shard_samples(samples, *settings.shard)
    if settings.ablation:  # each harmful sample also with a neutral image and none
        samples = expand(samples)
    return RunInputs(thresholds, ratchet, calibration, frozenset(s.id for s in dataset),
                     tuple(samples), shard)


@dataclass(frozen=True)
class Role:
    """How this process's batch runs: the controller draws progress and checks the model
    and judges; an xdist worker does neither (its controller did)."""

    progress: bool | None  # None: on a terminal; False: never
    preflight: bool  # probe the model before the batch (unless all is cached)
    check_judge: bool
    probed: bool = False  # a probe was sent already: some answers are new
    rejudged_since: float | None = None  # worker: take only verdicts stored since then


CONTROLLER = Role(progress=None, preflight=True, check_judge=True)


def worker_role(workerinput: dict[str, Any]) -> Role:
    return Role(progress=False, preflight=False, check_judge=False,
                rejudged_since=workerinput.get(REJUDGED_SINCE))


def send_to_controller(row: dict[str, Any]) -> list[tuple[str, object]]:
    """A worker's row rides on its item's report as a JSON string property (primitives
    only: anything else crashes the worker)."""
    return [(PROPERTY, json.dumps(row, ensure_ascii=False))]


class KsafeSession:
    def __init__(self, config: pytest.Config, settings: Settings, *,
                 role: Role = CONTROLLER, deliver: Deliver = send_to_controller) -> None:
        self.config = config
        self.settings = settings
        self.role = role
        self.deliver = deliver  # where a sample's row goes
        self.started = time.time()
        with usage_errors():
            self.inputs = load_inputs(settings)
            self.snapshots = SnapshotRun.open(settings.snapshots)  # reads the baseline
        self.samples: list[Sample] = list(self.inputs.samples)
        self.to_run: list[Sample] = self.samples  # narrowed by -k/-m after collection
        self._runner: BatchRunner | None = None
        self.unusable = False  # the model or judge could not be set up
        self.live: LiveRun | None = None  # cache, rate limit, progress and the batch
        for line in marker_lines(self.samples):
            config.addinivalue_line("markers", line)

    # -- collection --------------------------------------------------------------------

    def collect(self, session: pytest.Session, items: list[pytest.Item]) -> None:
        suite = KsafeSuite.from_parent(session, name=SUITE, nodeid=SUITE,
                                       make_items=self._make_items)
        collected: list[pytest.Item | pytest.Collector] = [*suite.collect()]
        items.extend(i for i in collected if isinstance(i, pytest.Item))
        # the items join after pytest's own collection: one collect report tells the
        # terminal ("collected N items", --co's closing count) and other plugins about them
        session.ihook.pytest_collectreport(
            report=pytest.CollectReport(suite.nodeid, "passed", None, collected))

    def _make_items(self, suite: KsafeSuite) -> list[SampleItem]:
        return [
            SampleItem.from_parent(suite, name=s.id, sample=s, settle=self.settle)
            for s in self.samples
        ]

    # -- running -----------------------------------------------------------------------

    def runner(self) -> BatchRunner:
        if self._runner is None:
            from ksafe_pytest.engine.live import LiveSettings, start_run
            from ksafe_pytest.judges import build_judge

            s = self.settings
            run_settings = RunSettings(concurrency=s.concurrency, timeout_s=s.timeout_s,
                                       retries=s.retries,
                                       rate_limit_wait_s=s.rate_limit_wait_s,
                                       adaptive=s.adaptive)
            role = self.role
            with usage_errors(self._mark_unusable):
                client = self.client()
                judge = build_judge(
                    s.judge, cache_dir=s.cache_dir, concurrency=s.concurrency,
                    refresh=s.rejudge and role.rejudged_since is None,
                    fresh_since=role.rejudged_since,
                    client_factory=self._judge_client_factory(run_settings))
                # cache, --ksafe-rpm, one preflight probe (only if something is uncached),
                # progress line, and the batch itself
                self.live = start_run(
                    client, judge, self.make_request, render_id(), self.to_run,
                    LiveSettings(run_settings, cache_dir=s.cache_dir, scope=s.api_base or "",
                                 rpm=s.rpm, repeats=s.repeats, cache_only=s.rejudge,
                                 progress=role.progress, preflight=role.preflight,
                                 probed=role.probed, check_judge=role.check_judge,
                                 filter_as_refusal=s.filter_as_refusal))
            self._runner = self.live.runner
        return self._runner

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

    def client(self) -> ModelClient:
        from ksafe_pytest.models import ClientSettings, resolve_client

        s = self.settings
        return resolve_client(s.model, ClientSettings(
            api_base=s.api_base, api_key_env=s.api_key_env, timeout_s=s.timeout_s,
            concurrency=s.concurrency,
            image_dir=str(s.cache_dir / IMAGES) if s.cache_dir else None))

    def _mark_unusable(self) -> None:
        self.unusable = True  # nothing was asked: no gates, no summary

    def make_request(self, sample: Sample) -> Request:
        params = {"temperature": 0, "max_tokens": self.settings.max_tokens, "seed": 0}
        if self.settings.text_only:
            words = sample.image.text_content()
            text = f"{sample.text}{TEXT_ONLY_MARK}{words}" if words else sample.text
            return Request(sample.id, self.settings.model, text, None, params)
        return Request(sample.id, self.settings.model, sample.text,
                       sample.image if sample.sends_image else None, params)

    def settle(self, sample: Sample) -> Settled:
        """A sample's result, its row handed on (`deliver`), and what fails it."""
        result = self.runner().result(sample)
        row = result.to_json()
        outcome = Outcome.from_json(row)
        properties: list[tuple[str, object]] = [
            ("ksafe_label", outcome.label.value), ("ksafe_attacked", outcome.attacked),
            ("ksafe_judge", outcome.judge), *self.deliver(row)]
        problems = () if result.is_error else (*self._strict(result),
                                               *self.snapshots.check(outcome))
        return Settled(result, tuple(properties), problems)

    def _strict(self, result: SampleResult) -> list[str]:
        """--ksafe-strict: an attacked harmful sample or a refused benign one fails."""
        problems: list[str] = []
        if self.settings.strict:
            v = result.verdict
            if result.sample.intent == "harmful" and v.attack_succeeded():
                problems.append(f"attack succeeded ({v.label.value}; "
                                f"{', '.join(v.evidence)})")
            if result.sample.intent == "benign" and v.refused:
                problems.append(f"benign request refused ({v.label.value}; "
                                f"{', '.join(v.evidence)})")
        return problems

    def close(self) -> None:
        if self.live is not None:
            self.live.close()
        self.live = self._runner = None


def offline(settings: Settings) -> bool:
    """An offline reference model: answers are computed, never cached."""
    from ksafe_pytest.models.reference import PREFIX

    return settings.model.startswith(PREFIX) and settings.api_base is None
