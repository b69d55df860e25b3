"""pytest hooks of ksafe-pytest. Each hook hands over to the KsafeSession on `config`;
the controller's hooks (results, gates, reports, the xdist prefill) live on the
Controller, registered in pytest_configure where results gather.

Without --ksafe-model every hook returns at once: no collection, no import of model
clients, no network.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from ksafe_pytest.options import add_options, resolve_settings

_KEY = pytest.StashKey["Any"]()


def _session(config: pytest.Config) -> Any:
    return config.stash.get(_KEY, None)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Every process gets the session (selection, items, runner); the process where
    results gather also gets the Controller, registered as a plugin of its own (as
    pytest-xdist registers its DSession only when distributing)."""
    from ksafe_pytest.session import usage_errors

    with usage_errors():
        settings = resolve_settings(config)
    if settings is None:
        return
    from ksafe_pytest.session import KsafeSession, worker_role

    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:  # an xdist worker: its controller gathers the results
        config.stash[_KEY] = KsafeSession(config, settings, role=worker_role(workerinput))
        return
    from ksafe_pytest.controller import Controller
    from ksafe_pytest.quiet import QuietTerminal

    ks = KsafeSession(config, settings)
    config.pluginmanager.register(Controller(ks), "ksafe-controller")
    config.pluginmanager.register(QuietTerminal(), "ksafe-quiet")
    config.stash[_KEY] = ks


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """A sample's failure in any phase reads as one line, not pytest's own frames
    (pytest asks `repr_failure` only for the call phase; an API error fails setup)."""
    report = yield
    if _session(item.config) and call.excinfo is not None:
        short = getattr(item, "short_failure", None)
        line = short(call.excinfo) if short is not None else None
        if line is not None:
            report.longrepr = line
    return report


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection sees the items
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    if ks := _session(config):
        ks.collect(session, items)


def pytest_unconfigure(config: pytest.Config) -> None:
    if ks := _session(config):
        ks.close()
