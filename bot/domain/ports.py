"""What the domain needs from the outside world, as protocols (Slack and storage implement them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from bot.domain.model import Person

if TYPE_CHECKING:
    from storage.uow import UnitOfWork


class Directory(Protocol):
    """Who is who in the workspace (Slack's users.info and usergroups.users.list)."""

    def person(self, user_id: str) -> Person | None:
        """The person, or None when Slack does not know the id."""

    def group_members(self, group_id: str) -> list[str] | None:
        """User ids in a user group, or None when the group does not exist."""

    def everyone(self) -> Iterator[Person]:
        """Every member of the workspace (users.list, page by page)."""


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
