"""Blocks for `/bravo`: help, settings answers, the principle list and the settings modal."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    ConversationSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View as ModalView

from bot.domain.admin import Snapshot
from bot.domain.errors import BravoError
from bot.domain.principles import Principle
from bot.domain.schedule import DAY_NAMES, DEFAULTS, PostKind
from bot.domain.workspaces import KEYS, LANGUAGES, SettingChanged
from bot.i18n import translator
from bot.slack.ids import View
from bot.slack.views.errors import build_error
from bot.slack.views.text import escape, truncate

Blocks = list[dict]
VALUE = "value"  # the action id of every input in the settings modal
CHANNEL_KEYS = ("stories-channel", "principle-channel", "digest-channel", "leaderboard-channel")


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def build_help(language: str, *, unknown: str | None = None) -> str:
    _ = translator(language)
    parts = [_("help.unknown", text=escape(unknown))] if unknown else []
    parts += [
        _("help.text"),
        _("help.managers", keys=", ".join(f"`{k}`" for k in KEYS)),
        _("help.privacy"),
    ]
    return "\n\n".join(parts)


def build_setting_changed(language: str, changed: SettingChanged) -> str:
    return translator(language)("settings.changed", setting=changed.key, value=changed.value)


def build_settings_saved(language: str) -> str:
    return translator(language)("settings.changed_many")


def build_set_usage(language: str) -> str:
    return translator(language)("settings.error.usage", keys=", ".join(f"`{k}`" for k in KEYS))


def build_export_started(language: str) -> str:
    return translator(language)("export.started")


def build_export_usage(language: str, period: str) -> str:
    return translator(language)("export.usage", period=escape(period))


def build_principle_added(language: str, slug: str) -> str:
    return translator(language)("principles.added", slug=slug)


def build_principle_switched(language: str, slug: str, on: bool) -> str:
    key = "principles.switched_on" if on else "principles.switched_off"
    return translator(language)(key, slug=slug)


def build_principle_usage(language: str) -> str:
    return translator(language)("principles.usage")


SECTION_TEXT = 3000  # Slack's limit for a section's text
MESSAGE_BLOCKS = 50  # Slack's limit for a message's blocks


def _clip(text: str, limit: int) -> str:
    """`text` escaped and cut to `limit` characters, never inside an escape like `&amp;`."""
    out = escape(text)
    if len(out) <= limit:
        return out
    cut = out[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def _principle_entry(_: Callable[..., str], p: Principle) -> str:
    """Title, slug and explanation, then the try-today prompt and the source: at most about
    2,800 characters, so one always fits in a section."""
    first = _(
        "principles.line",
        slug=p.slug,
        title=_clip(p.title, 300),
        explanation=_clip(p.explanation, 1500),
    )
    if not p.enabled:
        first += " " + _("principles.off")
    elif p.custom:
        first += " " + _("principles.own")
    lines = [first]
    if p.try_today:
        lines.append(_("principle.try_today", prompt=_clip(p.try_today, 500)))
    if p.source:
        lines.append(_("principle.source", source=_clip(p.source, 400)))
    return "\n".join(lines)


def build_principles(language: str, principles: list[Principle]) -> Blocks:
    """Every principle with its explanation, try-today prompt and source, several to a section
    (so 21 built-ins plus a team's own stay within 50 blocks); any that do not fit are counted."""
    _ = translator(language)
    blocks = [
        HeaderBlock(text=_("principles.header")).to_dict(),
        ContextBlock(elements=[_md(_("principles.intro"))]).to_dict(),
    ]
    room = MESSAGE_BLOCKS - len(blocks) - 1  # one block kept for "and N more"
    chunk: list[str] = []
    shown = 0
    for entry in (_principle_entry(_, p) for p in principles):
        if chunk and sum(len(x) + 2 for x in chunk) + len(entry) > SECTION_TEXT:
            if room == 1:
                break
            blocks.append(SectionBlock(text=_md("\n\n".join(chunk))).to_dict())
            room -= 1
            chunk = []
        chunk.append(entry)
        shown += 1
    if chunk:
        blocks.append(SectionBlock(text=_md("\n\n".join(chunk))).to_dict())
    if shown < len(principles):
        more = _("library.more", count=len(principles) - shown)
        blocks.append(ContextBlock(elements=[_md(more)]).to_dict())
    return blocks


def build_principles_text(language: str) -> str:
    return translator(language)("principles.header")


def build_settings_modal(snapshot: Snapshot) -> dict:
    """The settings modal, filled with the current values; block ids are the setting keys."""
    ws, targets = snapshot.workspace, snapshot.targets
    _ = translator(ws.language)

    def target(kind: PostKind):
        return targets.get(kind)

    def channel_of(kind: PostKind) -> str | None:
        t = target(kind)
        return t.channel_id if t and t.enabled and t.channel_id else None

    def channel_input(key: str, initial: str | None) -> InputBlock:
        return InputBlock(
            block_id=key,
            optional=True,
            label=_("settings.modal." + key.replace("-", "_")),
            hint=_("settings.modal.off_hint") if key != "stories-channel" else None,
            element=ConversationSelectElement(
                action_id=VALUE,
                initial_conversation=initial,
                filter={"include": ["public", "private"], "exclude_bot_users": True},
            ),
        )

    def time_input(key: str, kind: PostKind) -> InputBlock:
        t = target(kind)
        return InputBlock(
            block_id=key,
            label=_("settings.modal." + key.replace("-", "_")),
            element=TimePickerElement(
                action_id=VALUE, initial_time=(t.local_time if t else DEFAULTS[kind][0])
            ),
        )

    def day_option(day: str) -> Option:
        return Option(value=day, text=_("day." + day))

    principle_days = (
        target(PostKind.PRINCIPLE).days
        if target(PostKind.PRINCIPLE)
        else DEFAULTS[PostKind.PRINCIPLE][1]
    ).split(",")
    digest_day = (
        target(PostKind.DIGEST).days if target(PostKind.DIGEST) else DEFAULTS[PostKind.DIGEST][1]
    ).split(",")[0]
    options_days = [day_option(d) for d in DAY_NAMES]
    languages = [Option(value=code, text=_("language." + code)) for code in LANGUAGES]
    visibility = [
        Option(value=v, text=_("settings.modal.leaderboard." + v)) for v in ("everyone", "managers")
    ]
    blocks = [
        channel_input("stories-channel", ws.stories_channel),
        channel_input("principle-channel", channel_of(PostKind.PRINCIPLE)),
        time_input("principle-time", PostKind.PRINCIPLE),
        InputBlock(
            block_id="principle-days",
            label=_("settings.modal.principle_days"),
            element=CheckboxesElement(
                action_id=VALUE,
                options=options_days,
                initial_options=[o for o in options_days if o.value in principle_days],
            ),
        ),
        channel_input("digest-channel", channel_of(PostKind.DIGEST)),
        InputBlock(
            block_id="digest-day",
            label=_("settings.modal.digest_day"),
            element=StaticSelectElement(
                action_id=VALUE,
                options=options_days,
                initial_option=next(o for o in options_days if o.value == digest_day),
            ),
        ),
        time_input("digest-time", PostKind.DIGEST),
        channel_input("leaderboard-channel", channel_of(PostKind.LEADERBOARD)),
        InputBlock(
            block_id="timezone",
            label=_("settings.modal.timezone"),
            element=PlainTextInputElement(
                action_id=VALUE, initial_value=ws.timezone, max_length=64
            ),
        ),
        InputBlock(
            block_id="language",
            label=_("settings.modal.language"),
            element=StaticSelectElement(
                action_id=VALUE,
                options=languages,
                initial_option=next(o for o in languages if o.value == ws.language),
            ),
        ),
        InputBlock(
            block_id="allowance",
            label=_("settings.modal.allowance"),
            element=NumberInputElement(
                action_id=VALUE,
                is_decimal_allowed=False,
                initial_value=str(ws.allowance),
                min_value="1",
                max_value="50",
            ),
        ),
        InputBlock(
            block_id="leaderboard",
            label=_("settings.modal.leaderboard"),
            element=StaticSelectElement(
                action_id=VALUE,
                options=visibility,
                initial_option=next(o for o in visibility if o.value == ws.leaderboard_visibility),
            ),
        ),
        InputBlock(
            block_id="applause-emoji",
            label=_("settings.modal.applause_emoji"),
            element=PlainTextInputElement(
                action_id=VALUE, initial_value=ws.applause_emoji, max_length=60
            ),
        ),
        InputBlock(
            block_id="kudos-emoji",
            label=_("settings.modal.kudos_emoji"),
            hint=_("settings.modal.kudos_emoji_hint"),
            element=PlainTextInputElement(
                action_id=VALUE, initial_value=ws.kudos_emoji or "off", max_length=60
            ),
        ),
    ]
    return ModalView(
        type="modal",
        callback_id=View.SETTINGS,
        title=_("settings.modal.title"),
        submit=_("settings.modal.submit"),
        close=_("settings.modal.close"),
        blocks=blocks,
    ).to_dict()


def settings_errors(errors: dict[str, BravoError], language: str) -> dict[str, str]:
    """Inline errors for the settings modal, keyed by block id (the setting key)."""
    return {key: truncate(build_error(error, language), 150) for key, error in errors.items()}
