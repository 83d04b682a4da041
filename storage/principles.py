"""A workspace's own principles and its switches for the built-in ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.domain.model import WorkspacePrinciple
from storage.dialect import dialect_insert
from storage.driver import Prepared
from storage.models import PrincipleRow, WorkspaceRow

_P, _W = PrincipleRow.__table__, WorkspaceRow.__table__
# Runs for every `/kudos` (which #tags are principles here): built once.
_SWITCHES = Prepared(
    select(_P.c.slug, _P.c.enabled)
    .join(_W, _W.c.id == _P.c.workspace_id)
    .where(_W.c.team_id == bindparam("team_id"))
)


class PrincipleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def switches(self, team_id: str) -> dict[str, bool]:
        """Slug -> enabled, for the workspace's own principles and switched built-ins."""
        rows = _SWITCHES.execute(self.session, {"team_id": team_id})
        return {slug: bool(enabled) for slug, enabled in rows}

    def for_workspace(self, workspace_id: int) -> dict[str, WorkspacePrinciple]:
        rows = self.session.scalars(
            select(PrincipleRow).where(PrincipleRow.workspace_id == workspace_id)
        )
        return {
            r.slug: WorkspacePrinciple(r.slug, r.custom, r.enabled, r.title, r.explanation)
            for r in rows
        }

    def add_custom(
        self, workspace_id: int, slug: str, title: str, explanation: str, *, by: str, now: datetime
    ) -> bool:
        """Store a new custom principle; False when the slug is taken in this workspace."""
        result = self.session.execute(
            dialect_insert(self.session, PrincipleRow)
            .values(
                workspace_id=workspace_id,
                slug=slug,
                custom=True,
                enabled=True,
                title=title,
                explanation=explanation,
                created_by=by,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "slug"])
            .returning(PrincipleRow.slug)
        )
        return result.first() is not None

    def set_enabled(
        self, workspace_id: int, slug: str, enabled: bool, *, by: str, now: datetime
    ) -> None:
        stmt = dialect_insert(self.session, PrincipleRow).values(
            workspace_id=workspace_id,
            slug=slug,
            custom=False,
            enabled=enabled,
            created_by=by,
            created_at=now,
        )
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["workspace_id", "slug"], set_={"enabled": stmt.excluded.enabled}
            )
        )
