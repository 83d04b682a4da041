"""The story and kudos modals, what they say after a story is shared, and their inline errors."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View as SdkView

from bot.domain.errors import (
    AllowanceExhausted,
    BravoError,
    InvalidRecipients,
    ReasonTooLong,
    ReasonTooShort,
    UnknownRecipients,
)
from bot.domain.kudos import MAX_RECIPIENTS, REASON_MAX, REASON_MIN
from bot.domain.model import Kind
from bot.domain.principles import Principle
from bot.domain.stories import (
    BODY_MAX,
    BODY_MIN,
    CUSTOMER_MAX,
    PRINCIPLES_MAX,
    TEAMMATES_MAX,
    TITLE_MAX,
    FormContext,
    StoryInvalid,
)
from bot.domain.story_model import StoryShared
from bot.i18n import join, translator
from bot.slack.ids import Action, Block, View
from bot.slack.views.errors import build_error
from bot.slack.views.text import channel, mentions, truncate

METADATA_MAX = 3000
OPTIONS_MAX = 100
OPTION_TEXT = 75
INLINE_ERROR_MAX = 2000  # Slack does not document one; long errors are unreadable anyway


@dataclass(frozen=True, slots=True)
class StoryPrefill:
    """What the story modal opens with (from `/story` text or a message)."""

    title: str = ""
    body: str = ""
    teammates: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    kind: Kind | None = None
    origin_channel: str | None = None
    source_permalink: str | None = None


@dataclass(frozen=True, slots=True)
class KudosPrefill:
    """What the kudos modal opens with (a principle from a button, the channel it was used in)."""

    recipients: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    origin_channel: str | None = None


# Which input block shows a story problem, by the field the domain names.
STORY_FIELDS: dict[str, Block] = {
    "title": Block.STORY_TITLE,
    "customer": Block.STORY_CUSTOMER,
    "body": Block.STORY_BODY,
    "teammates": Block.STORY_TEAMMATES,
    "principles": Block.STORY_PRINCIPLES,
    "channel": Block.STORY_CHANNEL,
}


def metadata(origin_channel: str | None, permalink: str | None = None) -> str:
    """The modal's private_metadata: where it was opened and from which message (JSON)."""
    data = {"channel": origin_channel, "permalink": permalink}
    text = json.dumps(data, separators=(",", ":"))
    if len(text) > METADATA_MAX:  # never for a real permalink; keep the channel at least
        text = json.dumps({"channel": origin_channel}, separators=(",", ":"))
    return text


def _principle_options(
    principles: Sequence[Principle], chosen: Sequence[str]
) -> tuple[list[Option], list[Option]]:
    options = [
        Option(value=p.slug, text=truncate(p.title, OPTION_TEXT)) for p in principles[:OPTIONS_MAX]
    ]
    initial = [o for o in options if o.value in chosen]
    return options, initial


def _kind_options(language: str) -> list[Option]:
    _ = translator(language)
    return [
        Option(
            value=kind.value,
            text=_(f"modal.kind.{kind.value}"),
            description=_(f"modal.kind.{kind.value}.hint"),
        )
        for kind in Kind
    ]


def _kind_input(block: Block, language: str, chosen: Kind | None, hint: str) -> InputBlock:
    _ = translator(language)
    options = _kind_options(language)
    initial = next((o for o in options if chosen and o.value == chosen.value), None)
    return InputBlock(
        block_id=block,
        label=_("modal.kind.label"),
        optional=True,
        hint=hint,
        element=RadioButtonsElement(
            action_id=Action.FIELD, options=options, initial_option=initial
        ),
    )


def _principles_input(
    block: Block, language: str, principles: Sequence[Principle], chosen: Sequence[str]
) -> InputBlock | None:
    if not principles:
        return None
    _ = translator(language)
    options, initial = _principle_options(principles, chosen)
    return InputBlock(
        block_id=block,
        label=_("modal.principles.label"),
        optional=True,
        hint=_("modal.principles.hint", maximum=PRINCIPLES_MAX),
        element=StaticMultiSelectElement(
            action_id=Action.FIELD,
            placeholder=_("modal.principles.placeholder"),
            options=options,
            initial_options=initial or None,
            max_selected_items=PRINCIPLES_MAX,
        ),
    )


def _channel_input(
    block: Block, label: str, hint: str, initial: str | None, placeholder: str
) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=label,
        optional=True,
        hint=hint,
        element=ConversationSelectElement(
            action_id=Action.FIELD,
            placeholder=placeholder,
            initial_conversation=initial,
            default_to_current_conversation=None if initial else True,
            response_url_enabled=True,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
        ),
    )


def build_story_modal(context: FormContext, prefill: StoryPrefill) -> dict:
    """The story modal: title, customer, what happened, teammates, principles, kind, channel."""
    _ = translator(context.language)
    channel_hint = (
        _("story.modal.channel.hint_default")
        if context.stories_channel
        else _("story.modal.channel.hint_none")
    )
    blocks = [
        InputBlock(
            block_id=Block.STORY_TITLE,
            label=_("story.modal.title.label"),
            element=PlainTextInputElement(
                action_id=Action.FIELD,
                placeholder=_("story.modal.title.placeholder"),
                initial_value=truncate(prefill.title, TITLE_MAX) or None,
                max_length=TITLE_MAX,
            ),
        ),
        InputBlock(
            block_id=Block.STORY_CUSTOMER,
            label=_("story.modal.customer.label"),
            optional=True,
            element=PlainTextInputElement(
                action_id=Action.FIELD,
                placeholder=_("story.modal.customer.placeholder"),
                max_length=CUSTOMER_MAX,
            ),
        ),
        InputBlock(
            block_id=Block.STORY_BODY,
            label=_("story.modal.body.label"),
            hint=_("story.modal.body.hint", minimum=BODY_MIN, maximum=BODY_MAX),
            element=PlainTextInputElement(
                action_id=Action.FIELD,
                multiline=True,
                placeholder=_("story.modal.body.placeholder"),
                initial_value=truncate(prefill.body, BODY_MAX) or None,
                min_length=BODY_MIN,
                max_length=BODY_MAX,
            ),
        ),
        InputBlock(
            block_id=Block.STORY_TEAMMATES,
            label=_("story.modal.teammates.label"),
            optional=True,
            hint=_("story.modal.teammates.hint", maximum=TEAMMATES_MAX),
            element=UserMultiSelectElement(
                action_id=Action.FIELD,
                placeholder=_("story.modal.teammates.placeholder"),
                initial_users=list(prefill.teammates[:TEAMMATES_MAX]) or None,
                max_selected_items=TEAMMATES_MAX,
            ),
        ),
        _principles_input(
            Block.STORY_PRINCIPLES, context.language, context.principles, prefill.principles
        ),
        _kind_input(Block.STORY_KIND, context.language, prefill.kind, _("story.modal.kind.hint")),
        _channel_input(
            Block.STORY_CHANNEL,
            _("story.modal.channel.label"),
            channel_hint,
            context.stories_channel,
            _("story.modal.channel.placeholder"),
        ),
    ]
    if prefill.source_permalink:
        blocks.insert(
            0, ContextBlock(elements=[MarkdownTextObject(text=_("story.modal.from_message"))])
        )
    return SdkView(
        type="modal",
        callback_id=View.STORY,
        title=_("story.modal.title"),
        submit=_("story.modal.submit"),
        close=_("modal.cancel"),
        blocks=[b for b in blocks if b is not None],
        private_metadata=metadata(prefill.origin_channel, prefill.source_permalink),
    ).to_dict()


def build_kudos_modal(context: FormContext, prefill: KudosPrefill) -> dict:
    """The kudos modal: recipients, reason, principles, kind and where to announce it."""
    _ = translator(context.language)
    blocks = [
        InputBlock(
            block_id=Block.KUDOS_RECIPIENTS,
            label=_("kudos.modal.recipients.label"),
            element=UserMultiSelectElement(
                action_id=Action.FIELD,
                placeholder=_("kudos.modal.recipients.placeholder"),
                initial_users=list(prefill.recipients[:MAX_RECIPIENTS]) or None,
                max_selected_items=MAX_RECIPIENTS,
            ),
        ),
        InputBlock(
            block_id=Block.KUDOS_REASON,
            label=_("kudos.modal.reason.label"),
            hint=_("kudos.modal.reason.hint", minimum=REASON_MIN, maximum=REASON_MAX),
            element=PlainTextInputElement(
                action_id=Action.FIELD,
                multiline=True,
                placeholder=_("kudos.modal.reason.placeholder"),
                min_length=REASON_MIN,
                max_length=REASON_MAX,
            ),
        ),
        _principles_input(
            Block.KUDOS_PRINCIPLES, context.language, context.principles, prefill.principles
        ),
        _kind_input(Block.KUDOS_KIND, context.language, None, _("kudos.modal.kind.hint")),
        _channel_input(
            Block.KUDOS_CHANNEL,
            _("kudos.modal.channel.label"),
            _("kudos.modal.channel.hint"),
            None,
            _("kudos.modal.channel.placeholder"),
        ),
    ]
    return SdkView(
        type="modal",
        callback_id=View.KUDOS,
        title=_("kudos.modal.title"),
        submit=_("kudos.modal.submit"),
        close=_("modal.cancel"),
        blocks=[b for b in blocks if b is not None],
        private_metadata=metadata(prefill.origin_channel),
    ).to_dict()


def build_story_shared(result: StoryShared) -> dict:
    """What the story modal turns into once the story is stored."""
    _ = translator(result.language)
    lines = [
        _("story.shared.duplicate")
        if result.duplicate
        else _("story.shared.where", channel=channel(result.channel_id))
        if result.channel_id
        else _("story.shared.nowhere")
    ]
    if result.teammates:
        lines.append(_("story.shared.credited", people=mentions(result.teammates, result.language)))
    else:
        lines.append(_("story.shared.no_teammates"))
    lines.append(_("story.shared.kind", kind=_(f"kind.{result.kind.value}")))
    notes = []
    if result.dropped_self:
        notes.append(_("story.shared.dropped_self"))
    if result.no_stories_channel:
        notes.append(_("story.shared.no_stories_channel"))
    blocks = [SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))]
    if notes:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=n) for n in notes]))
    return SdkView(
        type="modal",
        callback_id=View.STORY_SHARED,
        title=_("story.shared.title"),
        close=_("modal.done"),
        blocks=blocks,
    ).to_dict()


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
            remaining=error.params["remaining"],
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
