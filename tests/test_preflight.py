"""Fail fast: missing key, unknown model, unreachable endpoint -> one clear message."""

from __future__ import annotations

import asyncio

import pytest

from ksafe_pytest.dataset import load_dataset
from ksafe_pytest.engine.live import LiveSettings, start_run
from ksafe_pytest.engine.preflight import preflight, run_preflight
from ksafe_pytest.errors import ModelSetupError
from ksafe_pytest.judges import build_judge
from ksafe_pytest.models import ClientSettings, resolve_client
from ksafe_pytest.models.http_client import OpenAIHTTPClient, error_for_status
from ksafe_pytest.records import Request, Sample
from ksafe_pytest.serve import ServeOptions, serve_in_thread


def http(url: str, model: str = "ksafe/guarded", **kw: object) -> OpenAIHTTPClient:
    return OpenAIHTTPClient(model, ClientSettings(api_base=url, **kw))  # type: ignore[arg-type]


def test_a_working_endpoint_and_the_offline_model_pass() -> None:
    with serve_in_thread() as (url, server):
        run_preflight(http(url), {"temperature": 0, "seed": 1})
        assert server.stats.answered == 1
    run_preflight(resolve_client("ksafe/guarded"))


def test_unknown_model_stops_with_the_servers_reason() -> None:
    with serve_in_thread() as (url, _), pytest.raises(ModelSetupError) as info:
        run_preflight(http(url, "ksafe/gaurded"))
    message = str(info.value)
    assert "ksafe/gaurded" in message and "model name" in message and "404" in message


def test_a_used_up_quota_stops_the_run_and_a_plain_429_does_not() -> None:
    quota = ServeOptions(fault_rate=1.0, faults=("quota",))
    with serve_in_thread(quota) as (url, server), pytest.raises(ModelSetupError) as info:
        run_preflight(http(url))
    assert "quota exhausted" in str(info.value) and server.stats.requests == 1
    assert error_for_status(429, '{"error": {"message": "slow down"}}', 1.0).retryable


def test_missing_named_key_stops_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KSAFE_ABSENT_KEY", raising=False)
    with serve_in_thread() as (url, server):
        with pytest.raises(ModelSetupError, match="KSAFE_ABSENT_KEY is not set"):
            run_preflight(http(url, api_key_env="KSAFE_ABSENT_KEY"))
        assert server.stats.requests == 0


def test_unreachable_endpoint() -> None:
    with serve_in_thread() as (url, _):
        pass  # closed: nothing listens on that port now
    client = http(url)
    with pytest.raises(ModelSetupError, match=r"unreachable.*--ksafe-api-base"):
        asyncio.run(preflight(client, attempts=2, pause_s=0.01))


@pytest.mark.parametrize("fault", ["429", "503", "empty", "malformed"])
def test_transient_trouble_does_not_stop_the_run(fault: str) -> None:
    with serve_in_thread(ServeOptions(fault_rate=1.0, faults=(fault,))) as (url, server):
        run_preflight(http(url))
        assert server.stats.requests == 1


def test_an_unreachable_judge_endpoint_stops_the_run_before_the_batch() -> None:
    with serve_in_thread() as (judge_url, _):
        pass  # closed: nothing listens on that port now
    judge = build_judge("ksafe/guarded", settings=ClientSettings(api_base=judge_url))

    def make(sample: Sample) -> Request:
        return Request(sample.id, "ksafe/guarded", sample.text, None, {})

    samples = load_dataset(None)[:2]
    with serve_in_thread() as (url, server):
        with pytest.raises(ModelSetupError, match=r"judge 'ksafe/guarded'.*unreachable.*"
                                                  r"--ksafe-judge-api-base"):
            start_run(http(url), judge, make, "r", samples, LiveSettings(check_judge=True))
        assert server.stats.requests == 1  # the model's probe; no sample was asked
