"""Refusals as readable messages: every domain error, in the user's language."""

from __future__ import annotations

from bot.domain.errors import AllowanceExhausted, BravoError, InvalidRecipients
from bot.i18n import join, translator
from bot.slack.views.text import escape, local_time, mention

# Parameters that repeat what the person typed: shown as text, never as Slack markup.
TYPED = ("setting", "slug")


def build_error(error: BravoError, language: str) -> str:
    """A refusal as one readable message in the user's language."""
    _ = translator(language)
    params = dict(error.params)
    for name in TYPED:
        if isinstance(params.get(name), str):
            params[name] = escape(params[name])
    if isinstance(error, InvalidRecipients):
        parts = []
        if params["bots"]:
            parts.append(
                _("kudos.error.bots", people=join([mention(u) for u in params["bots"]], language))
            )
        if params["deactivated"]:
            parts.append(
                _(
                    "kudos.error.deactivated",
                    people=join([mention(u) for u in params["deactivated"]], language),
                )
            )
        return " ".join([*parts, _("kudos.error.invalid_suffix")])
    if isinstance(error, AllowanceExhausted):
        resets = local_time(error.resets_at)
        remaining, allowance = error.params["remaining"], error.params["allowance"]
        if remaining == 0:
            return _("kudos.error.allowance_used", count=allowance, resets=resets)
        return _(
            error.key,
            count=remaining,
            requested=error.params["requested"],
            allowance=allowance,
            resets=resets,
        )
    if "reason" in params:  # a catalog key saying what a good value looks like
        params["hint"] = _(params.pop("reason"))
    if "users" in params:
        params["people"] = join([mention(u) for u in params.pop("users")], language)
    return _(error.key, **params)
