"""Long-running processes, once built (`runtime.settle`): a web worker, the outbox sender and
the clock compile the message catalogs before the first request or message (left to first use,
each of the sender's eight threads compiled its own copy), and take what they built out of the
garbage collector's view. A full collection then walks only what requests made since, instead
of stopping every thread of a worker for tens of milliseconds (seen as clusters of slow acks
under load)."""

from __future__ import annotations

import gc
import signal

import pytest

import bot.entrypoints.cli as cli
from bot import i18n
from bot.domain.workspaces import LANGUAGES
from bot.entrypoints.server import BravoServer
from bot.settings import Settings


@pytest.fixture
def environment(monkeypatch, tmp_path, standin):
    for name, value in {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bravo.db'}",
        "SLACK_BOT_TOKEN": "xoxb-heap",
        "SLACK_SIGNING_SECRET": "heap-secret",
        "SLACK_API_URL": standin.api_url,
    }.items():
        monkeypatch.setenv(name, value)
    gc.unfreeze()
    i18n._translations.cache_clear()
    i18n.translator.cache_clear()
    yield
    gc.unfreeze()


def compiled() -> int:
    return i18n._translations.cache_info().currsize


def frozen(thing: object) -> bool:
    """Out of the collector's view: `gc.get_objects()` leaves out what `gc.freeze()` took."""
    assert gc.is_tracked(thing)
    return not any(o is thing for o in gc.get_objects())


def test_a_web_worker_freezes_what_it_built(environment):
    assert gc.get_freeze_count() == 0 and compiled() == 0
    server = BravoServer(Settings(), {})
    application = server.load()
    server.checkpointer.stop()
    assert frozen(application)  # frozen after the app was built, with it
    assert compiled() == len(LANGUAGES) == 2  # English and Dutch


@pytest.mark.parametrize("command", ["sender", "scheduler"])
def test_the_sender_and_the_clock_freeze_before_they_run(environment, monkeypatch, command):
    seen: list[tuple[bool, int]] = []
    monkeypatch.setattr(signal, "signal", lambda *_: None)  # pytest keeps its own handlers

    def running(built: object) -> None:
        seen.append((frozen(built), compiled()))

    # What each was built with before it runs: the sender's units of work, the clock's runtime.
    monkeypatch.setattr("jobs.outbox.run_sender", lambda **kwargs: running(kwargs["uow"]))

    class Scheduler:
        def __init__(self, tick) -> None:
            cells = (cell.cell_contents for cell in tick.__closure__)
            self.runtime = next(c for c in cells if hasattr(c, "services"))

        def start(self) -> None:
            running(self.runtime)

    monkeypatch.setattr("jobs.scheduler.build_scheduler", Scheduler)
    assert cli.main([command]) == 0
    assert seen == [(True, 2)]
