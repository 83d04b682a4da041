"""Operational tables: the health row `/healthz` writes, and the audit log of erasures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, SlackId
from storage.types import UTCDateTime


class HealthRow(Base):
    """One row `/healthz` writes, to prove the database takes writes (not only reads)."""

    __tablename__ = "health"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditRow(Base):
    """What an admin did that cannot be undone (erasing a person), and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str] = mapped_column(SlackId)
    subject: Mapped[str] = mapped_column(String(64))  # a pseudonym, never the person's id
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
