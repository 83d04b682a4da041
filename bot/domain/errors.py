"""Typed domain errors. Each carries a catalog key and the values its message needs."""

from __future__ import annotations

from datetime import datetime


class Unstorable(Exception):
    """The database refused what was written (a value too long or malformed, a constraint
    broken): the same write fails again however often it is tried. Raised by the unit of work
    (the driver's error is its cause); not a refusal for the user, who reads the generic error.
    """


class BravoError(Exception):
    """A refusal the user should read: `key` names the catalog message, `params` fill it."""

    key = "error.generic"

    def __init__(self, **params: object) -> None:
        super().__init__(self.key, params)
        self.params = params


class NoRecipients(BravoError):
    key = "kudos.error.no_recipients"


class SelfRecognition(BravoError):
    key = "kudos.error.self"


class ReasonTooShort(BravoError):
    key = "kudos.error.reason_short"


class ReasonTooLong(BravoError):
    key = "kudos.error.reason_long"


class InvalidRecipients(BravoError):
    """Bots, apps or deactivated people among the recipients (`bots`, `deactivated` lists)."""

    key = "kudos.error.invalid_recipients"


class UnknownRecipients(BravoError):
    key = "kudos.error.unknown_recipients"


class GroupTooLarge(BravoError):
    key = "kudos.error.group_too_large"


class UnknownGroup(BravoError):
    key = "kudos.error.unknown_group"


class TooManyRecipients(BravoError):
    key = "kudos.error.too_many"


class AllowanceExhausted(BravoError):
    key = "kudos.error.allowance"

    def __init__(self, *, allowance: int, remaining: int, requested: int, resets_at: datetime):
        super().__init__(
            allowance=allowance, remaining=remaining, requested=requested, resets_at=resets_at
        )
        self.resets_at = resets_at


class NotFound(BravoError):
    key = "error.not_found"


class NotAllowed(BravoError):
    key = "error.not_allowed"


class Busy(BravoError):
    """The database stayed locked past the request's deadline: nothing was saved.

    Raised by the unit of work; with the slash command that failed (`command`, `text`) the
    message offers it again as typed.
    """

    key = "busy.retry"

    def __init__(self, *, command: str | None = None, text: str = "") -> None:
        if command:
            super().__init__(command=command, text=text)
            self.key = "busy.retry_command"
        else:
            super().__init__()
