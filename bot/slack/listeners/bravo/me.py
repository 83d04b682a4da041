"""`/bravo me` (your own recognition profile) and `/bravo export [period]` (managers' CSV)."""

from __future__ import annotations

from bot.domain.leaderboard import LeaderboardRequest, build_profile
from bot.domain.periods import normalise_period
from bot.domain.workspaces import language_of
from bot.slack.exporting import export_to_dm
from bot.slack.listeners.bravo.call import BravoCall
from bot.slack.views.bravo import build_export_started, build_export_usage
from bot.slack.views.leaderboard import render


def handle_bravo_me(call: BravoCall) -> None:
    deps, asker = call.deps, call.asker
    profile = build_profile(
        asker.team,
        asker.user,
        uow=deps.uow(),
        clock=deps.clock,
        directory=asker.directory,
        managers=deps.managers,
        defaults=deps.defaults,
    )
    text, blocks = render(profile)
    call.ack(response_type="ephemeral", text=text, blocks=blocks)


def handle_bravo_export(call: BravoCall) -> None:
    deps, asker = call.deps, call.asker
    language = language_of(asker.team.team_id, uow=deps.uow(), defaults=deps.defaults)
    period = call.request.args[0] if call.request.args else "month"
    if normalise_period(period) is None:
        call.ack(response_type="ephemeral", text=build_export_usage(language, period))
        return
    call.ack(response_type="ephemeral", text=build_export_started(language))
    export_to_dm(
        LeaderboardRequest(team=asker.team, asker=asker.user, period=period),
        deps=deps,
        client=call.client,
        respond=call.respond,
    )
