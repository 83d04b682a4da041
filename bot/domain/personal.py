"""What Bravo holds about one person (SPEC 2.4): how much of it there is, how to erase it, and
the records themselves for `/bravo me export`. Plain values shared by the privacy services and
the repository that implements them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PSEUDONYM_PREFIX = "forgotten-"


def is_pseudonym(user_id: str) -> bool:
    """True for the stand-in id of a forgotten person."""
    return user_id.startswith(PSEUDONYM_PREFIX)


@dataclass(frozen=True, slots=True)
class Footprint:
    """How much a person left in one workspace: what forgetting them changes."""

    shoutouts_given: int = 0  # their reasons are replaced
    recognitions_given: int = 0  # shout-out recipients and story credits they gave
    received: int = 0
    stories: int = 0  # their title, customer and text are removed
    applause: int = 0  # removed
    messages: int = 0  # pending messages to them, cancelled

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.shoutouts_given,
                self.recognitions_given,
                self.received,
                self.stories,
                self.applause,
                self.messages,
            )
        )


@dataclass(frozen=True, slots=True)
class Erasure:
    """One person to forget: their id is replaced by `pseudonym` everywhere it is kept."""

    user_id: str
    pseudonym: str
    reason_placeholder: str  # replaces the reasons of the shout-outs they gave
    story_placeholder: str  # replaces the title and text of the stories they shared
    # Who hears about broken targets if the forgotten person was that admin (None: nobody).
    successor_admin: str | None
    # Their name as Slack shows it: where others typed it in a reason or a story, it goes too.
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GivenShoutout:
    at: datetime
    recipients: tuple[str, ...]
    reason: str
    kind: str
    principles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceivedRecognition:
    at: datetime
    giver: str
    kind: str
    source: str
    reason: str  # the shout-out's reason, or "" for a story credit
    story: str  # the crediting story's title, or ""


@dataclass(frozen=True, slots=True)
class SharedStory:
    at: datetime
    title: str
    customer: str
    body: str
    kind: str
    teammates: tuple[str, ...]
    principles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GivenApplause:
    at: datetime
    story: str  # the applauded story's title, or ""
    shoutout: str  # the applauded shout-out's reason, or ""


@dataclass(frozen=True, slots=True)
class PersonalRecords:
    given: tuple[GivenShoutout, ...]
    received: tuple[ReceivedRecognition, ...]
    stories: tuple[SharedStory, ...]
    applause: tuple[GivenApplause, ...]
