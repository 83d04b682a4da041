"""The Directory port over Slack's Web API: users.info, users.list, usergroups.users.list."""

from __future__ import annotations

from collections.abc import Iterator

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.model import Person

_MISSING = {"user_not_found", "users_not_found", "no_such_subteam", "subteam_not_found"}


def _person(user: dict) -> Person:
    return Person(
        user_id=user["id"],
        name=user.get("real_name") or user.get("name") or "",
        tz=user.get("tz"),
        is_admin=bool(user.get("is_admin")),
        is_owner=bool(user.get("is_owner") or user.get("is_primary_owner")),
        is_bot=bool(user.get("is_bot") or user.get("is_app_user")) or user["id"] == "USLACKBOT",
        deleted=bool(user.get("deleted")),
    )


class SlackDirectory:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def person(self, user_id: str) -> Person | None:
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in _MISSING:
                return None
            raise
        return _person(user)

    def everyone(self) -> Iterator[Person]:
        """Every member, 200 per call (users.list is Tier 2: the clock's client waits on 429)."""
        cursor = None
        while True:
            page = self.client.users_list(limit=200, cursor=cursor)
            yield from (_person(user) for user in page.get("members", []))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def group_members(self, group_id: str) -> list[str] | None:
        try:
            return list(self.client.usergroups_users_list(usergroup=group_id)["users"])
        except SlackApiError as exc:
            if exc.response.get("error") in _MISSING:
                return None
            raise
