"""Listener modules: each exposes `register(app)`, binding its `handle_*` functions to triggers.
Add a new module to ALL. Listeners receive the `Deps` bundle as `deps` (from the request context).
"""

from slack_bolt import App

from bot.slack.listeners import (
    applause,
    bravo,
    channel,
    conversation,
    home,
    kudos,
    kudos_modal,
    leaderboard,
    lifecycle,
    stories,
)

# conversation before applause: both listen to reactions, and Bolt runs the first that matches.
ALL = (
    kudos,
    bravo,
    kudos_modal,
    stories,
    conversation,
    applause,
    home,
    channel,
    leaderboard,
    lifecycle,
)


def register_listeners(app: App) -> None:
    for module in ALL:
        module.register(app)
