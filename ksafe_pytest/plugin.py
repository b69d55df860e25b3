"""pytest hooks of ksafe-pytest. Each hook hands over to the KsafeSession on `config`.

Without --ksafe-model every hook returns at once: no collection, no import of model
clients, no network.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
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
    settings = resolve_settings(config)
    if settings is not None:
        from ksafe_pytest.session import KsafeSession

        config.stash[_KEY] = ks = KsafeSession(config, settings)
        if not ks.is_worker:
            config.pluginmanager.register(_ResultCollector(ks), "ksafe-results")


class _ResultCollector:
    """Controller only: every report, also those replayed from xdist workers, passes here."""

    def __init__(self, ks: Any) -> None:
        self.ks = ks

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.ks.record(report)


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


def pytest_collection_finish(session: pytest.Session) -> None:
    if ks := _session(session.config):
        ks.collection_finished(session)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    if ks := _session(node.config):
        ks.configure_node(node.workerinput)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: Sequence[str]) -> None:
    if ks := _session(node.config):
        ks.worker_collected(ids)


@pytest.hookimpl(tryfirst=True)  # before junitxml writes its file and the summary prints
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if ks := _session(session.config):
        ks.finish(session, exitstatus)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    ks = _session(config)
    if ks is not None and ks.run_record is not None:
        from ksafe_pytest.reports.terminal import write_snapshot_summary, write_summary

        write_summary(terminalreporter, ks.run_record, report_error=ks.report_error,
                      report=ks.settings.report)
        write_snapshot_summary(terminalreporter, ks.run_record)


def pytest_unconfigure(config: pytest.Config) -> None:
    if ks := _session(config):
        ks.close()
