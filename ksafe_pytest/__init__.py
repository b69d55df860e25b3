"""ksafe-pytest: the KSAFE-MM Korean multimodal safety benchmark as a pytest plugin."""

from ksafe_pytest.records import (
    ImageSpec,
    Label,
    Outcome,
    Request,
    Response,
    Sample,
    SampleResult,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "ImageSpec",
    "Label",
    "Outcome",
    "Request",
    "Response",
    "Sample",
    "SampleResult",
    "Verdict",
    "__version__",
]
