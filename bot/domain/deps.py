"""What every service call is given: the unit of work, the clock and the operator's defaults.

A plain bundle built once by the composition root (`bot.entrypoints.runtime`); it runs no queries
of its own. Listeners receive it as `deps` (Bolt's request context), jobs as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.clock import Clock
from bot.domain.model import WorkspaceDefaults
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.tokens import TokenCipher


@dataclass(frozen=True)
class Deps:
    uow: UnitOfWorkFactory
    clock: Clock
    defaults: WorkspaceDefaults = field(default_factory=WorkspaceDefaults)
    managers: tuple[str, ...] = ()
    # Seals installations' tokens (OAuth mode); None in single-workspace mode.
    cipher: TokenCipher | None = None
