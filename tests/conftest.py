"""Shared fixtures: real databases (SQLite always, PostgreSQL with TEST_DATABASE_URL), the Slack
stand-in, and `bravo serve` running under gunicorn as a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.domain.clock import FixedClock
from bot.domain.deps import Deps
from bot.domain.model import WorkspaceDefaults
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Base
from storage.uow import UnitOfWorkFactory
from tests.slack_standin import SignedClient, SlackStandIn

SECRET = "test-signing-secret-0123456789abcdef"
TOKEN = "xoxb-test-token"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]

GIVER, BO, CY, DEE, EVA = "U0GIVER", "U0BO", "U0CY", "W0DEE", "U0EVA"
BOT, GONE, SUPPORT_GROUP, BIG_GROUP = "U0HELPBOT", "U0GONE", "S0SUPPORT", "S0EVERYONE"


def _pg_url() -> str:
    url = PG_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Database:
    """A migrated, empty database: a SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.schema = None
        if backend == "sqlite":
            self.url = f"sqlite:///{tmp / 'bravo.db'}"
        else:
            self.schema = "t_" + uuid.uuid4().hex[:12]
            admin = make_engine(_pg_url())
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            admin.dispose()
            sep = "&" if "?" in _pg_url() else "?"
            self.url = f"{_pg_url()}{sep}options=-csearch_path%3D{self.schema}"
        self.engine: Engine = make_engine(self.url)
        upgrade(self.engine)

    def clean(self) -> None:
        with self.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())

    def scalar(self, sql: str, **params: object):
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params: object) -> list:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params))

    def drop(self) -> None:
        self.engine.dispose()
        if self.schema:
            admin = make_engine(_pg_url())
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path) -> Iterator[Database]:
    database = Database(request.param, tmp_path)
    yield database
    database.drop()


@pytest.fixture
def uow(db) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(make_session_factory(db.engine))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))


@pytest.fixture
def services(uow, clock) -> Deps:
    return Deps(uow=uow, clock=clock, defaults=WorkspaceDefaults(timezone="Europe/Amsterdam"))


def populate(slack: SlackStandIn) -> SlackStandIn:
    slack.add_user(GIVER, "Ana Giver", is_admin=True)
    slack.add_user(BO, "Bo Berg")
    slack.add_user(CY, "Cy Chen", tz="America/New_York")
    slack.add_user(DEE, "Dee Diaz")
    slack.add_user(EVA, "Eva Eriksen")
    slack.add_user(BOT, "Help Bot", is_bot=True)
    slack.add_user(GONE, "Gone Person", deleted=True)
    slack.add_group(SUPPORT_GROUP, [GIVER, BO, CY])
    members = [f"U0M{i:03d}" for i in range(30)]
    for member in members:
        slack.add_user(member, f"Member {member}")
    slack.add_group(BIG_GROUP, [GIVER, *members])
    return slack


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as slack:
        yield populate(slack)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServedBravo:
    """`bravo serve` as a subprocess (the real gunicorn), with its stand-in and database."""

    secret = SECRET  # what the app verifies and the test client signs with

    def __init__(self, db: Database, slack: SlackStandIn, tmp: Path) -> None:
        self.db, self.slack = db, slack
        self.port = free_port()
        self.log = open(tmp / f"serve-{self.port}.log", "w+b")  # noqa: SIM115 - closed in stop()
        self.log_mark = 0  # where the current test's part of the log begins
        self.env = self.environment(tmp)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.entrypoints.cli", "serve"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=tmp,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.before_ready()
        self._wait_healthy()
        self.client = SignedClient(self.url, self.secret, self.slack)

    def environment(self, tmp: Path) -> dict[str, str]:
        """The process environment: this machine's, without any Slack or Bravo setting."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
        env.update(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=self.secret,
            SLACK_API_URL=self.slack.api_url,
            DATABASE_URL=self.db.url,
            BRAVO_TIMEZONE="Europe/Amsterdam",
            PORT=str(self.port),
            WEB_CONCURRENCY="2",
            LOG_LEVEL="WARNING",
        )
        return env

    def before_ready(self) -> None:
        """Anything the stand-in must know once the URL is known, before the first request."""

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("bravo serve exited:\n" + self.output())
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("bravo serve did not become healthy:\n" + self.output())

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def errors(self) -> list[str]:
        """The errors `bravo serve` logged since the current test began (a listener that raised)."""
        logged = Path(self.log.name).read_bytes()[self.log_mark :].decode(errors="replace")
        return [line for line in logged.splitlines() if " ERROR " in line or "[ERROR]" in line]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module", params=BACKENDS)
def served(request, tmp_path_factory) -> Iterator[ServedBravo]:
    tmp = tmp_path_factory.mktemp(f"serve-{request.param}")
    database = Database(request.param, tmp)
    slack = populate(SlackStandIn()).start()
    bravo = ServedBravo(database, slack, tmp)
    yield bravo
    bravo.stop()
    slack.stop()
    database.drop()


@pytest.fixture
def bravo(served) -> Iterator[ServedBravo]:
    """The served app with an empty database and a fresh call log for each test."""
    served.db.clean()
    served.slack.reset()
    served.log_mark = Path(served.log.name).stat().st_size
    yield served
    # Let messages still being sent after the ack land before the next test cleans up.
    deadline = time.monotonic() + 10
    while (
        served.db.scalar("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
        and time.monotonic() < deadline
    ):
        time.sleep(0.02)
