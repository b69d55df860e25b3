"""Fail fast before a batch: one cheap probe instead of 14k identical errors.

A missing API key, an unknown model name, a used-up quota or an unreachable endpoint fails
every request the same way. One tiny text-only request before the batch turns that into one clear
`ModelSetupError`. Transient trouble (429, 5xx, a slow answer) does not stop the run: the
batch's own retries and error accounting deal with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ksafe_pytest.errors import ModelSetupError
from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.records import ErrorKind, Request

if TYPE_CHECKING:
    from ksafe_pytest.judges.base import Judge

PROBE_TEXT = "안녕하세요. '네'라고만 답해 주세요."
PROBE_ID = "ksafe-preflight"


@dataclass(frozen=True)
class Role:
    """Who is checked, for the messages: the model under test or a judge model, and the
    option that points it at another endpoint (the plugin's, or a CLI command's)."""

    name: str = "model"
    api_base_option: str = "--ksafe-api-base"


MODEL = Role()
JUDGE = Role("judge", "--ksafe-judge-api-base")
CLI_JUDGE = Role("judge", "--judge-api-base")  # `ksafe judge`, `ksafe calibrate`


def check_key(client: ModelClient, role: Role = MODEL) -> None:
    """Raise ModelSetupError when the client's API key is missing (no request made)."""
    missing = getattr(client, "missing_key", None)
    why = missing() if callable(missing) else None
    if why:
        who = f"the {role.name}: " if role.name != MODEL.name else ""
        raise ModelSetupError(f"{who}{why}: set it, or pass {role.api_base_option} for an "
                              "endpoint that needs no key")


async def preflight(client: ModelClient, params: Mapping[str, Any] | None = None,
                    attempts: int = 3, pause_s: float = 0.5, role: Role = MODEL) -> None:
    """Raise ModelSetupError when `client` cannot serve this run at all.

    `params` should be the run's generation parameters, so that a parameter the model
    rejects (e.g. `seed`) is reported here, once. `role`: who, for the message.
    """
    check_key(client, role)
    request = Request(PROBE_ID, client.model, PROBE_TEXT, None, dict(params or {}))
    for attempt in range(attempts):
        try:
            response = await client.complete(request)
        except Exception as exc:  # a client bug: say so before the batch, not 14k times
            raise ModelSetupError(f"{role.name} {client.model!r}: the client failed on a probe "
                                  f"request: {type(exc).__name__}: {exc}") from None
        error = response.error
        if error is None:
            return
        if error.kind in (ErrorKind.CLIENT, ErrorKind.QUOTA):
            raise ModelSetupError(f"{role.name} {client.model!r} cannot be used: {error.message}")
        if error.kind is ErrorKind.CONNECTION:
            if attempt + 1 < attempts:
                await asyncio.sleep(pause_s * 2 ** attempt)
                continue
            raise ModelSetupError(f"{role.name} {client.model!r}: the endpoint is unreachable "
                                  f"({error.message}); check {role.api_base_option} and "
                                  "that the server is running")
        return  # 429, 5xx, timeout, empty or odd answer: transient, the batch retries


def run_preflight(client: ModelClient, params: Mapping[str, Any] | None = None,
                  role: Role = MODEL) -> None:
    """Synchronous form for the plugin (outside any running event loop)."""
    async def probe() -> None:
        try:
            await preflight(client, params, role=role)
        finally:
            # the probe's loop ends here: close its session; the batch opens a new one
            await client.aclose()

    asyncio.run(probe())


def check_judge_models(judge: Judge, *, probe: bool, role: Role = JUDGE) -> None:
    """A judge model without a key or endpoint would turn every sample into the same
    error: say it once, before the batch (`probe`: with one request, else the key only)."""
    for client in judge.clients():
        if probe:
            run_preflight(client, {"temperature": 0}, role=role)
        else:
            check_key(client, role=role)
