"""Is this process able to serve? It is when the database takes a short read-and-write
transaction; `/healthz` asks this, so a load balancer stops sending work to a process whose
database is read-only, locked or gone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.errors import BravoError
from bot.domain.ports import UnitOfWork

REASON_LIMIT = 120
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Health:
    ok: bool
    reason: str | None = None


def check_health(*, uow: UnitOfWork, clock: Clock) -> Health:
    """Read and write the health row in one transaction; unhealthy with a short reason if not."""
    try:
        with uow:
            uow.health.touch(clock.now())
            uow.commit()
    except Exception as exc:  # noqa: BLE001 - any failure to write means unhealthy, said why
        return Health(False, "database: " + short_reason(exc))
    return Health(True)


def short_reason(exc: BaseException) -> str:
    """The driver's own first line ("database is locked", "canceling statement due to lock
    timeout"), with any URL (which may carry credentials) cut out, kept short."""
    if isinstance(exc, BravoError) and exc.__cause__ is not None:  # `Busy`: the lock wait
        exc = exc.__cause__
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    text = _URL.sub("<url>", lines[0] if lines else "") or type(cause).__name__
    return text[:REASON_LIMIT]
