"""Blocks and texts for `/bravo forget` (its confirmation and result) and `/bravo me export`."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.personal import Footprint
from bot.domain.privacy import ForgetPlan, Forgotten
from bot.i18n import translator
from bot.slack.ids import Action, Block
from bot.slack.parsing.privacy import forget_value
from bot.slack.views.text import escape, mention, truncate

Blocks = list[dict]


def _effects(_, footprint: Footprint) -> str:
    """One line per kind of data, every count named even when it is zero."""
    lines = [
        _("privacy.forget.shoutouts", count=footprint.shoutouts_given),
        _("privacy.forget.received", count=footprint.received),
        _("privacy.forget.stories", count=footprint.stories),
        _("privacy.forget.applause", count=footprint.applause),
        _("privacy.forget.profile", count=footprint.messages),
    ]
    return "\n".join("• " + line for line in lines)


def build_forget_confirmation(plan: ForgetPlan) -> tuple[str, Blocks]:
    """What forgetting will do, with a danger button (and a confirm dialog) and Cancel."""
    _ = translator(plan.language)
    name = truncate(plan.name, 60)
    title = _("privacy.forget.title", person=mention(plan.user_id), name=escape(name))
    confirm = ConfirmObject(
        title=_("privacy.forget.dialog_title"),
        text=_("privacy.forget.dialog_text", name=escape(name)),
        confirm=_("privacy.forget.dialog_confirm"),
        deny=_("privacy.forget.dialog_deny"),
        style="danger",
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=title)).to_dict(),
        SectionBlock(text=MarkdownTextObject(text=_effects(_, plan.footprint))).to_dict(),
        ContextBlock(elements=[MarkdownTextObject(text=_("privacy.forget.warning"))]).to_dict(),
        ActionsBlock(
            block_id=Block.FORGET_ACTIONS,
            elements=[
                ButtonElement(
                    text=truncate(_("privacy.forget.button", name=name), 75),
                    action_id=Action.FORGET_CONFIRM,
                    value=forget_value(plan.user_id, plan.pseudonym),
                    style="danger",
                    confirm=confirm,
                ),
                ButtonElement(text=_("privacy.forget.cancel"), action_id=Action.FORGET_CANCEL),
            ],
        ).to_dict(),
    ]
    return title, blocks


def build_forgotten(result: Forgotten) -> str:
    """What was done, by count; the person is not named any more."""
    _ = translator(result.language)
    head = _("privacy.forgotten.again" if result.again else "privacy.forgotten.done")
    return "\n".join([head, _effects(_, result.footprint), _("privacy.forgotten.audit")])


def build_forget_cancelled(language: str) -> str:
    return translator(language)("privacy.forget.cancelled")


def build_forget_usage(language: str) -> str:
    return translator(language)("privacy.forget.usage")


def build_my_export_started(language: str) -> str:
    return translator(language)("privacy.export.started")


def build_my_export_sent(language: str) -> str:
    return translator(language)("privacy.export.sent")


def my_export_titles(language: str) -> tuple[str, str, str]:
    """The JSON file's title, the CSV file's title and the DM's comment."""
    _ = translator(language)
    return (
        _("privacy.export.json_title"),
        _("privacy.export.csv_title"),
        _("privacy.export.comment"),
    )
