"""`/bravo principles`, `/bravo principle add <title> :: <explanation>`, `principle on|off`."""

from __future__ import annotations

from bot.domain import admin
from bot.domain.workspaces import language_of
from bot.slack.listeners.bravo.call import BravoCall
from bot.slack.views.bravo import (
    build_principle_added,
    build_principle_switched,
    build_principle_usage,
    build_principles,
    build_principles_text,
)


def handle_bravo_principles(call: BravoCall) -> None:
    deps = call.deps
    language, found = admin.principles(
        call.asker.team, deps.defaults, uow=deps.uow(), clock=deps.clock
    )
    call.ack(
        response_type="ephemeral",
        text=build_principles_text(language),
        blocks=build_principles(language, found),
    )


def handle_bravo_principle_add(call: BravoCall) -> None:
    deps, asker = call.deps, call.asker
    language = language_of(asker.team.team_id, uow=deps.uow(), defaults=deps.defaults)
    if len(call.request.args) != 2:
        call.ack(response_type="ephemeral", text=build_principle_usage(language))
        return
    slug, language = admin.add_own_principle(
        asker, *call.request.args, uow=deps.uow(), clock=deps.clock
    )
    call.ack(response_type="ephemeral", text=build_principle_added(language, slug))


def handle_bravo_principle_switch(call: BravoCall) -> None:
    on = call.request.action == "principle-on"
    slug = call.request.args[0]
    language = admin.switch_library_principle(
        call.asker, slug, on, uow=call.deps.uow(), clock=call.deps.clock
    )
    call.ack(response_type="ephemeral", text=build_principle_switched(language, slug, on))
