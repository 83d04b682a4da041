"""Long-running processes, once built (`runtime.settle`): a web worker, the outbox sender and
the clock compile the message catalogs before the first request or message (left to first use,
each of the sender's eight threads compiled its own copy), and take what they built out of the
garbage collector's view. A full collection then walks only what requests made since, instead
of stopping every thread of a worker for tens of milliseconds (seen as clusters of slow acks
under load)."""

from __future__ import annotations

import gc

import pytest

import bot.entrypoints.cli as cli
from bot import i18n
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


def test_a_web_worker_freezes_what_it_built(environment):
    assert gc.get_freeze_count() == 0 and compiled() == 0
    application = BravoServer(Settings(), {}).load()
    assert callable(application)
    assert gc.get_freeze_count() > 10_000  # the modules, the Bolt app, the engine
    assert compiled() == len(i18n.languages()) == 2  # English and Dutch


@pytest.mark.parametrize("command", ["sender", "scheduler"])
def test_the_sender_and_the_clock_freeze_before_they_run(environment, monkeypatch, command):
    frozen: list[tuple[int, int]] = []

    def running() -> None:
        frozen.append((gc.get_freeze_count(), compiled()))

    monkeypatch.setattr("jobs.outbox.run_sender", lambda **_: running())

    class Scheduler:
        def __init__(self, *_args: object) -> None:
            pass

        def start(self) -> None:
            running()

    monkeypatch.setattr("jobs.scheduler.build_scheduler", Scheduler)
    assert cli.main([command]) == 0
    assert len(frozen) == 1
    objects, catalogs = frozen[0]
    assert objects > 10_000 and catalogs == 2
