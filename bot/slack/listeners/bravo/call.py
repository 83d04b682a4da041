"""One `/bravo` call as a subcommand sees it: who asks, what they typed, and how to answer."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.domain.admin import Admin
from bot.domain.deps import Deps
from bot.domain.model import TeamRef
from bot.slack.directory import SlackDirectory
from bot.slack.parsing.bravo import BravoCommand


@dataclass(frozen=True)
class BravoCall:
    ack: Ack
    request: BravoCommand
    asker: Admin
    command: dict
    client: WebClient
    respond: Respond
    deps: Deps


def admin_of(team: TeamRef, user: str, client: WebClient, deps: Deps) -> Admin:
    """Who is asking, with what the domain needs to check they may."""
    return Admin(team, user, SlackDirectory(client), deps.defaults, deps.managers)
