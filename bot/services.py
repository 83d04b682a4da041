"""What listeners and jobs are given: the unit of work, the clock and workspace defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.clock import Clock
from bot.domain.library import LIBRARY
from bot.domain.model import WorkspaceDefaults
from bot.domain.ports import UnitOfWorkFactory
from bot.i18n import DEFAULT

BUILTIN_SLUGS = frozenset(p.slug for p in LIBRARY)


@dataclass(frozen=True)
class Services:
    uow: UnitOfWorkFactory
    clock: Clock
    defaults: WorkspaceDefaults = field(default_factory=WorkspaceDefaults)
    managers: tuple[str, ...] = ()

    def language(self, team_id: str | None) -> str:
        """The workspace's language, or the default for a workspace Bravo has not seen yet."""
        if team_id:
            with self.uow() as tx:
                workspace = tx.workspaces.by_team(team_id)
            if workspace:
                return workspace.language
        return self.defaults.language or DEFAULT

    def principle_slugs(self, team_id: str) -> frozenset[str]:
        """The `#tags` that name a principle in this workspace: the built-ins it has not
        switched off, and its own."""
        with self.uow() as tx:
            switches = tx.principles.switches(team_id)
        builtin = {p.slug for p in LIBRARY if switches.get(p.slug, True)}
        own = {slug for slug, on in switches.items() if on and slug not in BUILTIN_SLUGS}
        return frozenset(builtin | own)
