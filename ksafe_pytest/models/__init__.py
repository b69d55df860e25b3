"""Model clients: which transport serves a model string."""

from __future__ import annotations

from ksafe_pytest.models.base import ClientSettings, ModelClient
from ksafe_pytest.models.reference import PREFIX, ReferenceModel


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
