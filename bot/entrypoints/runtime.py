"""Building the running parts from Settings: engine, services, Slack client, Bolt app."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine, text

from bot.domain.clock import Clock, SystemClock
from bot.domain.deps import Deps
from bot.domain.model import WorkspaceDefaults
from bot.settings import Settings
from bot.slack.app import create_app
from jobs.outbox import run_sender
from jobs.tick import TickReport, tick
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWorkFactory

SLACK_TIMEOUT = 10  # seconds; well under gunicorn's worker timeout


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    services: Deps

    def healthy(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            logging.getLogger(__name__).warning("health check failed", exc_info=True)
            return False
        return True


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def build_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    engine = make_engine(settings.database_url)
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
