"""What a modal opens with, read from the payload that opened it (views render these)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import Kind


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
