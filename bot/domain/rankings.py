"""Leaderboard value types: which recognitions count, and how people rank. Pure data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.model import Kind, Source


@dataclass(frozen=True, slots=True)
class Slice:
    """Which recognitions count. `members` restricts the ranked people (a user group)."""

    start: datetime | None = None
    end: datetime | None = None
    channel: str | None = None
    members: tuple[str, ...] | None = None
    principle: str | None = None
    kind: Kind | None = None
    source: Source | None = None  # how they were given: mention, reaction, ...

    @property
    def everything(self) -> bool:
        """No window, channel, principle or source: the all-time totals answer it."""
        return (
            self.start is None
            and self.channel is None
            and self.principle is None
            and self.source is None
        )


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: str
    place: int  # equal totals share a place (1, 1, 3)
    total: int
    success: int = 0

    @property
    def recovery(self) -> int:
        return self.total - self.success


@dataclass(frozen=True, slots=True)
class Ranking:
    top: tuple[Standing, ...] = ()
    mine: Standing | None = None  # the asker's (or the profile subject's) standing
    people: int = 0  # how many people are ranked
    total: int = 0
    success: int = 0

    @property
    def more(self) -> int:
        return max(self.people - len(self.top), 0)
