"""Inline errors for a refused modal submission (`response_action: errors`): plain text,
under the field it is about."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.domain.errors import (
    AllowanceExhausted,
    BravoError,
    InvalidRecipients,
    ReasonTooLong,
    ReasonTooShort,
    UnknownRecipients,
)
from bot.domain.stories import StoryInvalid
from bot.i18n import join, translator
from bot.slack.ids import Block, View
from bot.slack.views.errors import build_error
from bot.slack.views.text import truncate

INLINE_ERROR_MAX = 2000  # Slack does not document one; long errors are unreadable anyway

# Which input block shows a story problem, by the field the domain names.
STORY_FIELDS: dict[str, Block] = {
    "title": Block.STORY_TITLE,
    "customer": Block.STORY_CUSTOMER,
    "body": Block.STORY_BODY,
    "teammates": Block.STORY_TEAMMATES,
    "principles": Block.STORY_PRINCIPLES,
    "channel": Block.STORY_CHANNEL,
}


# Which kudos modal block shows a refusal from the kudos rules: the reason's, or the recipients'.
_KUDOS_REASON_ERRORS = (ReasonTooShort, ReasonTooLong)


def build_modal_errors(
    error: BravoError, view: Mapping, language: str, names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """`response_action: errors` for a refused submission: block id -> plain-text message.

    Inline errors are plain text, so people are named by `names` (user id -> name), not mentioned.
    """
    _ = translator(language)
    names = names or {}
    if isinstance(error, StoryInvalid):
        errors = {}
        for field, problem in error.problems.items():
            params = dict(problem.params)
            if "people" in params:
                people = [names.get(p, p) for p in params["people"]]  # type: ignore[union-attr]
                params["people"] = join(people, language)
            errors[STORY_FIELDS[field]] = truncate(_(problem.key, **params), INLINE_ERROR_MAX)
        return errors
    if view.get("callback_id") == View.KUDOS:
        block = Block.KUDOS_REASON if isinstance(error, _KUDOS_REASON_ERRORS) else None
        return {block or Block.KUDOS_RECIPIENTS: _kudos_error(error, language, names)}
    return {_first_input(view): truncate(build_error(error, language), INLINE_ERROR_MAX)}


def _kudos_error(error: BravoError, language: str, names: Mapping[str, str]) -> str:
    _ = translator(language)

    def named(ids: Sequence[str]) -> str:
        return join([names.get(i, i) for i in ids], language)

    if isinstance(error, InvalidRecipients):
        people = [*error.params["bots"], *error.params["deactivated"]]  # type: ignore[misc]
        return _("kudos.modal.error.invalid", people=named(people))
    if isinstance(error, UnknownRecipients):
        return _("kudos.modal.error.unknown", people=named(error.params["users"]))  # type: ignore[arg-type]
    if isinstance(error, AllowanceExhausted):
        return _(
            "kudos.modal.error.allowance",
            count=error.params["remaining"],
            allowance=error.params["allowance"],
        )
    return truncate(build_error(error, language), INLINE_ERROR_MAX)


def build_generic_modal_error(view: Mapping, message: str) -> dict[str, str]:
    """An unexpected failure, shown on the first input so the modal stays open."""
    return {_first_input(view): truncate(message, INLINE_ERROR_MAX)}


def _first_input(view: Mapping) -> str:
    for block in view.get("blocks") or []:
        if block.get("type") == "input" and block.get("block_id"):
            return block["block_id"]
    return ""


def people_in(error: BravoError) -> list[str]:
    """The user ids a refusal names, to look their names up for a plain-text inline error."""
    if isinstance(error, StoryInvalid):
        return []  # the story rules name people already
    ids = [*error.params.get("bots", ()), *error.params.get("deactivated", ())]  # type: ignore[misc]
    return [*ids, *error.params.get("users", ())]  # type: ignore[misc]
