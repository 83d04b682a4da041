"""Listener modules; each exposes `register(app, services)`. Add a new module to ALL."""

from bot.slack.listeners import (
    applause,
    bravo,
    channel,
    home,
    kudos,
    kudos_modal,
    leaderboard,
    lifecycle,
    stories,
)

ALL = (kudos, bravo, kudos_modal, stories, applause, home, channel, leaderboard, lifecycle)
