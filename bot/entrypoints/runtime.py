"""Building the running parts from Settings: engine, services, Slack client, Bolt app."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine

from bot.domain.clock import Clock, SystemClock
from bot.domain.deps import Deps
from bot.domain.health import Health, check_health
from bot.domain.model import WorkspaceDefaults
from bot.settings import Settings
from bot.slack.app import create_app
from jobs.outbox import run_sender
from jobs.tick import TickReport, tick
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWorkFactory

SLACK_TIMEOUT = 10  # seconds; well under gunicorn's worker timeout
# The web workers answer Slack within 3 s, most of it spent before the ack: a statement may wait
# this long for a lock (SQLite's busy timeout, PostgreSQL's lock_timeout) or run this long
# (PostgreSQL's statement_timeout) before the request fails with "Bravo is busy". Each wait has
# its own limit: /kudos may wait twice before its ack on SQLite (a stale member cache, then the
# BEGIN IMMEDIATE), three times on PostgreSQL (the cache, the giver's row lock, a table).
REQUEST_SQLITE_LOCK_TIMEOUT = 1.2
REQUEST_PG_LOCK_TIMEOUT = 0.8
REQUEST_STATEMENT_TIMEOUT = 2.0


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    services: Deps

    def healthy(self) -> Health:
        """`/healthz`: a short read-and-write transaction; one log line when it fails."""
        health = check_health(uow=self.services.uow(), clock=self.services.clock)
        if not health.ok:
            logging.getLogger(__name__).warning("health check failed: %s", health.reason)
        return health

    @property
    def signing_secret(self) -> str:
        """HTTP mode's request signing secret; the CLI refuses to serve without one."""
        secret = self.settings.slack_signing_secret
        return secret.get_secret_value() if secret else ""


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def build_runtime(settings: Settings, *, clock: Clock | None = None, web: bool = False) -> Runtime:
    """`web`: for the request path, whose statements give up in time to answer Slack; the
    clock, the sender and the CLI may wait longer for a lock."""
    lock = REQUEST_SQLITE_LOCK_TIMEOUT if settings.is_sqlite else REQUEST_PG_LOCK_TIMEOUT
    timeouts = dict(lock_timeout=lock, statement_timeout=REQUEST_STATEMENT_TIMEOUT) if web else {}
    engine = make_engine(settings.database_url, **timeouts)
    services = Deps(
        uow=UnitOfWorkFactory(make_session_factory(engine)),
        clock=clock or SystemClock(),
        defaults=WorkspaceDefaults(
            timezone=settings.timezone,
            language=settings.language,
            stories_channel=settings.stories_channel,
            principle_channel=settings.principle_channel,
            digest_channel=settings.digest_channel,
        ),
        managers=settings.managers,
    )
    return Runtime(settings, engine, services)


def slack_client(settings: Settings) -> WebClient:
    token = settings.slack_bot_token
    return WebClient(
        token=token.get_secret_value() if token else None,
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT,
    )


def clock_client(settings: Settings) -> WebClient:
    """The clock's client: it may sleep on a 429 (never in a request thread)."""
    client = slack_client(settings)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def run_tick(runtime: Runtime, client: WebClient) -> TickReport:
    services = runtime.services
    return tick(
        uow=services.uow,
        clock=services.clock,
        client_for=lambda _ws: client,
        managers=services.managers,
        outbox_client=client,
    )


def start_sender_thread(runtime: Runtime, client: WebClient) -> threading.Event:
    """The outbox sender in a daemon thread (socket mode, the demo); set the event to stop it."""
    stop = threading.Event()
    services = runtime.services
    threading.Thread(
        target=run_sender,
        kwargs=dict(uow=services.uow, client=client, clock=services.clock, stop=stop),
        name="bravo-sender",
        daemon=True,
    ).start()
    return stop


def build_app(runtime: Runtime) -> App:
    return create_app(
        runtime.settings, deps=runtime.services, client=slack_client(runtime.settings)
    )
