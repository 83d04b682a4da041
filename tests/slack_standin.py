"""The Web API stand-in the tests drive Bravo against, and a client that signs like Slack.

Both live in `bot/entrypoints/standin.py` because `bravo demo` runs against them too.
"""

from bot.entrypoints.standin import (
    BOT_USER,
    Call,
    Reply,
    SignedClient,
    SlackStandIn,
    blocks_text,
    sign,
)

__all__ = ["BOT_USER", "Call", "Reply", "SignedClient", "SlackStandIn", "blocks_text", "sign"]
