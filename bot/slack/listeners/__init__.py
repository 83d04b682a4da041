"""Listener modules; each exposes `register(app, services)`. Add a new module to ALL."""

from bot.slack.listeners import bravo, kudos

ALL = (kudos, bravo)
