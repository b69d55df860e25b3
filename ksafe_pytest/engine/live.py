"""One call that sets up a run's batch: cache, rate limit, preflight, progress, runner.

The plugin's session calls `start_run` once per process and `LiveRun.close` at the end;
everything a live model needs beyond the client is decided here, in one place:
- offline reference models (`ksafe/<name>` without an API base) answer in microseconds:
  no cache, no preflight;
- the preflight probe runs only when some sample is not cached yet, so a fully cached
  re-run needs no network and no key;
- each answer is written to the cache as it arrives (resume after a kill).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ksafe_pytest.engine.adaptive import LimitStats
from ksafe_pytest.engine.cache import ResponseCache, SessionCounts
from ksafe_pytest.engine.paced import PacedClient
from ksafe_pytest.engine.preflight import check_judge_models, run_preflight
from ksafe_pytest.engine.progress import Progress
from ksafe_pytest.engine.ratelimit import RateLimiter
from ksafe_pytest.engine.runner import BatchRunner, Pipeline, RunSettings
from ksafe_pytest.judges.base import Judge
from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.models.reference import ReferenceModel
from ksafe_pytest.records import Request, Sample


@dataclass
class LiveRun:
    runner: BatchRunner
    store: ResponseCache | None
    progress: Progress
    preflight_done: bool

    def cache_counts(self) -> SessionCounts | None:
        return self.store.counts() if self.store is not None else None

    def traffic(self) -> list[LimitStats]:
        """Calls, 429s and the concurrency reached, per model that was called: the model
        under test and each judge model (an offline reference model is not traffic)."""
        pipeline = self.runner.pipeline
        out = []
        if pipeline.limit is not None and not isinstance(pipeline.client, ReferenceModel):
            out.append(pipeline.limit.stats(pipeline.client.model, "model"))
        out += [c.stats() for c in pipeline.judge.clients() if isinstance(c, PacedClient)
                and not isinstance(c.client, ReferenceModel)]
        return [s for s in out if s.calls]

    def close(self) -> None:
        self.runner.close()
        self.progress.close()
        if self.store is not None:
            self.store.close()


@dataclass(frozen=True)
class LiveSettings:
    """How one process runs its batch, beyond the model and the judge.

    `scope` should be the API base URL (or ""); `progress`: None draws on the terminal
    when there is one, False never (xdist workers, `-q -q`); `cache_only`
    (--ksafe-rejudge): answers come from the cache alone, no call is made;
    `preflight=False`: the caller checked the model already (xdist: the controller did),
    `probed`: and sent it a probe (some answers are new); `check_judge`: check the LLM
    judge models too (key, and a probe when needed); `filter_as_refusal`: a
    content-filter block is a refusal, not an error."""

    run: RunSettings = field(default_factory=RunSettings)
    cache_dir: Path | str | None = None
    scope: str = ""
    rpm: float | None = None
    params: Mapping[str, Any] | None = None
    repeats: int = 1
    progress: bool | None = None
    progress_label: str = "ksafe"
    cache_only: bool = False
    preflight: bool = True
    probed: bool = False
    check_judge: bool = False
    filter_as_refusal: bool = False


def start_run(client: ModelClient, judge: Judge, make_request: Callable[[Sample], Request],
              render_id: str, samples: Sequence[Sample], live_settings: LiveSettings
              ) -> LiveRun:
    """Build the batch for `samples`; raises ModelSetupError (a KsafeError) when the model
    cannot be used at all."""
    o = live_settings
    settings, cache_dir, cache_only = o.run, o.cache_dir, o.cache_only
    live = not isinstance(client, ReferenceModel)
    store = ResponseCache(cache_dir, scope=o.scope) if live and cache_dir is not None else None
    preflight_done = live and o.preflight and not cache_only and _probe_if_needed(
        client, store, make_request, render_id, samples, o.params)
    if o.check_judge:
        # new answers (or --ksafe-rejudge) will be judged: probe each judge model once;
        # otherwise (all cached, maybe offline) only check that its key is there
        check_judge_models(judge, probe=preflight_done or o.probed or cache_only)
    limiter = RateLimiter(o.rpm) if o.rpm else None
    pipeline = Pipeline(client, judge, settings, make_request, render_id, store,
                        limiter=limiter, repeats=o.repeats, cache_only=cache_only,
                        filter_as_refusal=o.filter_as_refusal)
    line = Progress(len(samples), label=o.progress_label, enabled=o.progress)
    runner = BatchRunner(pipeline, settings.concurrency, on_result=line.update)
    line.flight = pipeline.limit
    return LiveRun(runner, store, line, preflight_done)


def check_setup(client: ModelClient, make_request: Callable[[Sample], Request],
                render_id: str, samples: Sequence[Sample], *,
                cache_dir: Path | str | None = None, scope: str = "") -> bool:
    """The preflight alone, for the xdist controller before its workers start: one probe
    unless every sample is cached. Raises ModelSetupError; True when a probe ran."""
    if isinstance(client, ReferenceModel):
        return False
    store = ResponseCache(cache_dir, scope=scope) if cache_dir is not None else None
    try:
        return _probe_if_needed(client, store, make_request, render_id, samples, None)
    finally:
        if store is not None:
            store.close()


def _probe_if_needed(client: ModelClient, store: ResponseCache | None,
                     make_request: Callable[[Sample], Request], render_id: str,
                     samples: Sequence[Sample], params: Mapping[str, Any] | None) -> bool:
    if not _needs_network(store, make_request, render_id, samples):
        return False
    first = make_request(samples[0]).params if samples else {}
    run_preflight(client, params if params is not None else first)
    return True


def _needs_network(store: ResponseCache | None, make_request: Callable[[Sample], Request],
                   render_id: str, samples: Sequence[Sample]) -> bool:
    if store is None:
        return bool(samples)
    return any(not store.has(make_request(s).key(render_id)) for s in samples)
