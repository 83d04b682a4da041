"""The story and kudos modals, and what the story modal says once the story is shared."""

from __future__ import annotations

import json
from collections.abc import Sequence

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

from bot.domain.kudos import MAX_RECIPIENTS, REASON_MAX, REASON_MIN
from bot.domain.model import Kind, StoryShared
from bot.domain.principles import Principle
from bot.domain.stories import (
    BODY_MAX,
    BODY_MIN,
    CUSTOMER_MAX,
    PRINCIPLES_MAX,
    TEAMMATES_MAX,
    TITLE_MAX,
    FormContext,
)
from bot.i18n import translator
from bot.slack.ids import Action, Block, View
from bot.slack.parsing.prefill import KudosPrefill, StoryPrefill
from bot.slack.views.text import channel, mentions, truncate

METADATA_MAX = 3000
OPTIONS_MAX = 100
OPTION_TEXT = 75


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
