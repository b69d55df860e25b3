"""One exception hierarchy: every error a user can cause says what is wrong and where."""

from __future__ import annotations


class KsafeError(Exception):
    """Base of every error ksafe-pytest raises on purpose; shown without a traceback."""


class ConfigError(KsafeError):
    """An option, environment variable or thresholds file is invalid."""


class DatasetError(KsafeError):
    """A dataset file, row, field or image is invalid."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None,
                 field: str = "") -> None:
        where = path
        if line is not None:
            where += f":{line}"
        if field:
            where += f" field {field!r}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path, self.line, self.field = path, line, field


class ModelSetupError(KsafeError):
    """The model under test cannot be used at all (unknown name, missing key, no extra)."""
