"""Every Slack identifier Bravo registers or builds, defined once."""

from __future__ import annotations

from enum import StrEnum


class Command(StrEnum):
    KUDOS = "/kudos"
    STORY = "/story"
    LEADERBOARD = "/leaderboard"
    BRAVO = "/bravo"


class Action(StrEnum):
    SWITCH_KIND = "kudos_switch_kind"
    # Buttons that open the kudos / story modal (on principle posts, digests, App Home). The
    # kudos button's value may carry a principle slug to pre-tag the modal with.
    GIVE_KUDOS = "open_kudos_modal"
    SHARE_STORY = "open_story_modal"
    APPLAUD = "applaud"  # on a story card; toggles the presser's applause
    FIELD = "field"  # the one input element of each modal input block
    LEADERBOARD_EXPORT = "leaderboard_export"  # managers: CSV and chart to their DM
    # `/bravo forget`'s confirmation (admins): the value carries the person and the pseudonym.
    FORGET_CONFIRM = "bravo_forget_confirm"
    FORGET_CANCEL = "bravo_forget_cancel"
    THANKS_TOO = "kudos_thanks_too"  # "+1 Thanks too" on an announcement: join in


class View(StrEnum):
    SETTINGS = "bravo_settings"
    STORY = "bravo_story"
    KUDOS = "bravo_kudos"
    STORY_SHARED = "bravo_story_shared"


class Block(StrEnum):
    KUDOS_CONFIRMATION = "kudos_confirmation"
    # The story modal's inputs
    STORY_TITLE = "story_title"
    STORY_CUSTOMER = "story_customer"
    STORY_BODY = "story_body"
    STORY_TEAMMATES = "story_teammates"
    STORY_PRINCIPLES = "story_principles"
    STORY_KIND = "story_kind"
    STORY_CHANNEL = "story_channel"
    # The kudos modal's inputs
    KUDOS_RECIPIENTS = "kudos_recipients"
    KUDOS_REASON = "kudos_reason"
    KUDOS_PRINCIPLES = "kudos_principles"
    KUDOS_KIND = "kudos_kind"
    KUDOS_CHANNEL = "kudos_channel"
    STORY_CARD = "story_card"
    STORY_APPLAUSE = "story_applause"
    HOME_ACTIONS = "home_actions"
    FORGET_ACTIONS = "bravo_forget_actions"
    THANKS_TOO = "kudos_thanks_too_actions"


class Shortcut(StrEnum):
    GIVE_KUDOS = "give_kudos"
    SHARE_STORY = "share_story"
    STORY_FROM_MESSAGE = "story_from_message"


class Event(StrEnum):
    REACTION_ADDED = "reaction_added"
    REACTION_REMOVED = "reaction_removed"
    APP_HOME_OPENED = "app_home_opened"
    MEMBER_JOINED_CHANNEL = "member_joined_channel"
    APP_UNINSTALLED = "app_uninstalled"
    TOKENS_REVOKED = "tokens_revoked"
    APP_MENTION = "app_mention"  # `@Bravo @ana thanks for ...`


BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "app_mentions:read",  # `@Bravo @ana thanks for ...` in a message
    "chat:write",
    "chat:write.public",
    "users:read",
    "reactions:read",
    "usergroups:read",
    "im:write",
    "channels:read",
    "groups:read",
    # Reading back Bravo's own posts (by their metadata) to reconcile one a crash left unknown,
    # and reading a message someone thanks with the kudos emoji (its text becomes the reason).
    "channels:history",
    "groups:history",
    "im:history",
    "files:write",
)
