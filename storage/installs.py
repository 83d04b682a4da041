"""Installations and OAuth state. Tokens arrive here already sealed (ciphertext)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.domain.tokens import Install
from storage.dialect import dialect_insert
from storage.models_install import InstallationRow, OAuthStateRow

_FIELDS = tuple(f.name for f in fields(Install))


def _install(row: InstallationRow) -> Install:
    return Install(**{name: getattr(row, name) for name in _FIELDS})


class InstallationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, install: Install) -> None:
        """Insert, or replace what is stored under the same key (a reinstall, a token rotation)."""
        values = {name: getattr(install, name) for name in _FIELDS}
        statement = dialect_insert(self.session, InstallationRow).values(
            install_key=install.key, **values
        )
        self.session.execute(
            statement.on_conflict_do_update(index_elements=["install_key"], set_=values)
        )

    def find(self, key: str) -> Install | None:
        row = self.session.scalar(select(InstallationRow).where(InstallationRow.install_key == key))
        return _install(row) if row else None

    def delete(self, key: str) -> bool:
        done = self.session.execute(
            delete(InstallationRow).where(InstallationRow.install_key == key)
        )
        return bool(done.rowcount)

    def all_keys(self) -> list[str]:
        return list(
            self.session.scalars(select(InstallationRow.install_key).order_by(InstallationRow.id))
        )

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(InstallationRow)) or 0


class OAuthStateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, state: str, expires_at: datetime) -> None:
        self.session.add(OAuthStateRow(state=state, expires_at=expires_at))

    def consume(self, state: str, now: datetime) -> bool:
        """One DELETE: of two callbacks racing with the same state, only one deletes the row."""
        done = self.session.execute(
            delete(OAuthStateRow).where(
                OAuthStateRow.state == state, OAuthStateRow.expires_at > now
            )
        )
        # Expired states are swept on the way: nothing else reads them.
        self.session.execute(delete(OAuthStateRow).where(OAuthStateRow.expires_at <= now))
        return done.rowcount == 1
