"""Building the running parts from Settings: engine, services, Slack client, Bolt app."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool

from bot import i18n
from bot.domain.clock import Clock, SystemClock
from bot.domain.deps import Deps
from bot.domain.health import Health, check_health
from bot.domain.model import Workspace, WorkspaceDefaults
from bot.domain.workspaces import LANGUAGES
from bot.entrypoints.cipher import FernetCipher
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.clients import WorkspaceClients
from bot.slack.keepalive import KeptAliveWebClient
from jobs.outbox import run_sender
from jobs.outbox_clients import Clients
from jobs.tick import TickReport, tick
from storage.checkpoint import BACKSTOP_PAGES, Checkpointer
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


# Libraries whose INFO lines are start-up chatter (Alembic's plugin set-up, APScheduler's "Added
# job"); an operator reads Bravo's own lines instead. LOG_LEVEL=DEBUG lets them speak again.
QUIET_LIBRARIES = ("alembic", "apscheduler")


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if logging.getLogger().level > logging.DEBUG:
        for name in QUIET_LIBRARIES:
            logging.getLogger(name).setLevel(logging.WARNING)
    # Bolt reads SLACK_BOT_TOKEN from the environment itself and warns, once per worker, that
    # the client Bravo gives it wins; that is the intent, so the warning says nothing.
    logging.getLogger("bravo.bolt").addFilter(_not_token_unused)


def _not_token_unused(record: logging.LogRecord) -> bool:
    return record.getMessage() != warning_client_prioritized_and_token_skipped()


def build_runtime(settings: Settings, *, clock: Clock | None = None, web: bool = False) -> Runtime:
    """`web`: for the request path, whose statements give up in time to answer Slack; the
    clock, the sender and the CLI may wait longer for a lock."""
    lock = REQUEST_SQLITE_LOCK_TIMEOUT if settings.is_sqlite else REQUEST_PG_LOCK_TIMEOUT
    timeouts = dict(lock_timeout=lock, statement_timeout=REQUEST_STATEMENT_TIMEOUT) if web else {}
    if web and settings.is_sqlite:  # its checkpoints run in a thread (`start_checkpointer`)
        timeouts["wal_autocheckpoint"] = BACKSTOP_PAGES
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
        cipher=cipher(settings),
    )
    return Runtime(settings, engine, services)


def start_checkpointer(runtime: Runtime) -> Checkpointer | None:
    """A web worker's SQLite checkpoints, in a thread of their own (`storage.checkpoint`). Not
    for an in-memory database: it has no log, and its one shared connection is the requests'."""
    if not runtime.settings.is_sqlite or isinstance(runtime.engine.pool, StaticPool):
        return None
    return Checkpointer(runtime.engine).start()


def settle() -> None:
    """For a long-running process, once it is built: the message catalogs are compiled now
    (not by the first requests or messages, each thread compiling its own copy), and what
    exists then (modules, the app, the engine, the catalogs) lives as long as the process, so
    it leaves the garbage collector's view (`gc.freeze`). Without that each full collection
    walked every one of those objects again, stopping all of a web worker's threads for
    60-110 ms, a few times a minute under load."""
    i18n.load(LANGUAGES)
    gc.collect()
    gc.freeze()


def cipher(settings: Settings) -> FernetCipher | None:
    key = settings.encryption_key
    return FernetCipher(key.get_secret_value()) if key else None


def slack_client(
    settings: Settings, token: str | None = None, *, kind: type[WebClient] = WebClient
) -> WebClient:
    """A client on `SLACK_API_URL`: with `token`, else the single workspace's bot token (none
    in OAuth mode, where Bolt puts each request's installation token on its own client)."""
    if token is None and settings.slack_bot_token and not settings.oauth_enabled:
        token = settings.slack_bot_token.get_secret_value()
    return kind(token=token, base_url=settings.slack_api_url, timeout=SLACK_TIMEOUT)


class RateLimitRetryExceptPosts(RateLimitErrorRetryHandler):
    """Sleeps out a 429 and tries again, except on `chat.postMessage`: posts go through
    `jobs.fanout`, which holds only the limited channel and lets the pool's worker post
    elsewhere meanwhile (sleeping there would stall a worker for Retry-After seconds)."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if request.url.rstrip("/").endswith("/chat.postMessage"):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def clock_client(settings: Settings, token: str | None = None) -> WebClient:
    """The clock's and the sender's client: it may sleep on a 429 (never in a request thread)
    for its one-at-a-time calls (member sync, history reads); never for a post. Its calls
    reuse the calling thread's open connection (`bot.slack.keepalive`): thousands a minute."""
    client = slack_client(settings, token, kind=KeptAliveWebClient)
    client.retry_handlers.append(RateLimitRetryExceptPosts(max_retry_count=2))
    return client


@dataclass(frozen=True)
class JobClients:
    """The clients of work done outside a request: by workspace (posts, member sync) and by
    workspace id (the outbox). One client in single-workspace mode; in OAuth mode each
    workspace's own bot token, looked up in the installation store."""

    client_for: Callable[[Workspace], WebClient]
    outbox: Clients


def job_clients(runtime: Runtime) -> JobClients:
    settings = runtime.settings
    if not settings.oauth_enabled:
        client = clock_client(settings)
        return JobClients(client_for=lambda _ws: client, outbox=client)
    secret = settings.slack_client_secret
    clients = WorkspaceClients(
        runtime.services,
        make_client=lambda token: clock_client(settings, token),
        client_id=settings.slack_client_id or "",
        client_secret=secret.get_secret_value() if secret else "",
    )
    return JobClients(client_for=clients, outbox=clients.by_id)


def _as_job_clients(clients: JobClients | WebClient) -> JobClients:
    if isinstance(clients, WebClient):
        return JobClients(client_for=lambda _ws: clients, outbox=clients)
    return clients


def run_tick(runtime: Runtime, client: JobClients | WebClient) -> TickReport:
    services = runtime.services
    clients = _as_job_clients(client)
    return tick(
        uow=services.uow,
        clock=services.clock,
        client_for=clients.client_for,
        managers=services.managers,
        outbox_client=clients.outbox,
        retention_days=runtime.settings.retention_days,
        concurrency=runtime.settings.post_concurrency,
        outbox_concurrency=runtime.settings.sender_concurrency,
    )


def start_sender_thread(runtime: Runtime, client: JobClients | WebClient) -> threading.Event:
    """The outbox sender in a daemon thread (socket mode, the demo); set the event to stop it."""
    stop = threading.Event()
    services = runtime.services
    threading.Thread(
        target=run_sender,
        kwargs=dict(
            uow=services.uow,
            client=_as_job_clients(client).outbox,
            clock=services.clock,
            stop=stop,
            concurrency=runtime.settings.sender_concurrency,
        ),
        name="bravo-sender",
        daemon=True,
    ).start()
    return stop


def build_app(runtime: Runtime) -> App:
    return create_app(
        runtime.settings, deps=runtime.services, client=slack_client(runtime.settings)
    )
