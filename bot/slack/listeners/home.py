"""The App Home tab, published each time someone opens it."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.home import home_page
from bot.slack.directory import SlackDirectory
from bot.slack.ids import Event
from bot.slack.parsing.payloads import team_of
from bot.slack.views.home import build_home

HOME_TAB = "home"


def register(app: App) -> None:
    app.event(Event.APP_HOME_OPENED)(handle_app_home_opened)


def handle_app_home_opened(event: dict, body: dict, client: WebClient, deps: Deps) -> None:
    if event.get("tab") != HOME_TAB:  # the Messages tab fires this event too
        return
    page = home_page(
        team_of(body),
        event["user"],
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        defaults=deps.defaults,
        managers=deps.managers,
    )
    client.views_publish(user_id=event["user"], view=build_home(page))
