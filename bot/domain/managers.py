"""Who counts as a manager (SPEC 1): workspace admins and owners, members of the configured
manager user group, and the user ids in BRAVO_MANAGERS."""

from __future__ import annotations

from collections.abc import Collection

from bot.domain.model import Person


def is_manager(
    user_id: str,
    person: Person | None,
    *,
    configured: Collection[str] = (),
    group_members: Collection[str] = (),
) -> bool:
    """True for admins/owners (from users.info), manager-group members and configured ids."""
    if user_id in configured or user_id in group_members:
        return True
    return bool(person and (person.is_admin or person.is_owner))
