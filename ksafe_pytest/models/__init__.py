"""Model clients: which transport serves a model string."""

from __future__ import annotations

from dataclasses import dataclass

from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.models.reference import PREFIX, ReferenceModel


@dataclass(frozen=True)
class ClientSettings:
    api_base: str | None = None
    api_key_env: str | None = None  # name of the env var holding the key, never the key
    timeout_s: float = 60.0
    transport: str = "auto"  # auto | http | litellm
    concurrency: int = 64  # calls in flight: sizes the HTTP client's connection pool
    image_dir: str | None = None  # keep rendered PNGs here (e.g. <cache>/images) for re-runs


def resolve_client(model: str, settings: ClientSettings | None = None) -> ModelClient:
    """`ksafe/<name>` -> offline reference model; with an api_base -> the direct
    OpenAI-compatible HTTP client (litellm costs ~5 ms CPU per call); else litellm."""
    settings = settings or ClientSettings()
    if model.startswith(PREFIX) and settings.api_base is None:
        return ReferenceModel(model)
    use_http = settings.transport == "http" or (
        settings.transport == "auto" and settings.api_base is not None)
    if use_http:
        from ksafe_pytest.models.http_client import OpenAIHTTPClient

        return OpenAIHTTPClient(model, settings)
    from ksafe_pytest.models.litellm_client import LiteLLMClient

    return LiteLLMClient(model, settings)


__all__ = ["ClientSettings", "ModelClient", "resolve_client"]
