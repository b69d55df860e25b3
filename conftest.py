"""This repository's own pytest setup.

`pytest --ksafe-model=...` here runs the safety suite alone; plain `pytest` runs the
project's tests alone. (In a user's project the plugin itself is all that is needed.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent / "tests"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if config.getoption("ksafe_model", None) and collection_path.is_relative_to(TESTS):
        return True
    return None
