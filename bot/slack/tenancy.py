"""Single-workspace mode serves one workspace: the one its bot token belongs to. A request from
any other team (or, for an org-wide install, another enterprise) is answered politely and goes
no further, so nothing is stored for it and nothing is posted with this workspace's token."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.i18n import translator

log = logging.getLogger(__name__)
JSON = {"content-type": "application/json;charset=utf-8"}


@dataclass(frozen=True)
class HomeTeam:
    """Who the bot token belongs to (from `auth.test`)."""

    team_id: str | None
    enterprise_id: str | None = None
    org_wide: bool = False

    def serves(self, team_id: str | None, enterprise_id: str | None) -> bool:
        if self.org_wide:
            return enterprise_id is not None and enterprise_id == self.enterprise_id
        return team_id is not None and team_id == self.team_id


def home_team(auth_test: dict) -> HomeTeam:
    return HomeTeam(
        team_id=auth_test.get("team_id"),
        enterprise_id=auth_test.get("enterprise_id"),
        org_wide=bool(auth_test.get("is_enterprise_install")),
    )


def only_home_team(home: HomeTeam, *, language: str) -> Callable[..., BoltResponse | None]:
    """A global middleware; it runs before any listener and opens no database session."""

    def serve_only_home_team(
        request: BoltRequest, context: BoltContext, next_: Callable[[], None]
    ) -> BoltResponse | None:
        if home.serves(context.team_id, context.enterprise_id):
            next_()
            return None
        body = request.body
        log.warning(
            "refused a request from team %s (enterprise %s): not installed here",
            context.team_id,
            context.enterprise_id,
        )
        if "command" in body:
            text = translator(language)("trust.not_installed")
            answer = json.dumps({"response_type": "ephemeral", "text": text})
            return BoltResponse(status=200, body=answer, headers=JSON)
        return BoltResponse(status=200, body="")

    return serve_only_home_team
