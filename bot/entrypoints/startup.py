"""Start-up that explains itself: before `bravo serve` or `bravo socket` builds anything, ask
Slack whether it accepts the tokens, and turn every refusal into one line that names the
variable and where to get it (Bolt's `App(token=...)` would raise with a traceback instead)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings, SettingsError

TIMEOUT = 10  # seconds
BOT_TOKEN_WHERE = (
    "copy the Bot User OAuth Token (xoxb-…) from https://api.slack.com/apps → your app → "
    "OAuth & Permissions"
)
APP_TOKEN_WHERE = (
    "create an app-level token with connections:write (xapp-…) at https://api.slack.com/apps "
    "→ your app → Basic Information → App-Level Tokens"
)
URL_HELP = (
    "bravo: --url must be your server's public https:// address, e.g. "
    "https://bravo.example.com (Slack only sends requests over HTTPS)"
)


def check_public_url(url: str | None) -> None:
    """`bravo manifest --url`: Slack accepts only HTTPS request URLs."""
    if url is not None and (not url.startswith("https://") or len(url) <= len("https://")):
        raise SettingsError(URL_HELP)


def verify_tokens(settings: Settings, *, socket: bool = False) -> None:
    """Ask Slack about the bot token (auth.test) and, for Socket Mode, the app-level token
    (apps.connections.open); stop with one line when Slack refuses or cannot be reached."""
    if settings.slack_bot_token is not None:
        _ask(settings, "SLACK_BOT_TOKEN", BOT_TOKEN_WHERE, "auth.test")
    if socket and settings.slack_app_token is not None:
        _ask(settings, "SLACK_APP_TOKEN", APP_TOKEN_WHERE, "apps.connections.open")


def _ask(settings: Settings, variable: str, where: str, method: str) -> None:
    field = "slack_bot_token" if variable == "SLACK_BOT_TOKEN" else "slack_app_token"
    token = getattr(settings, field).get_secret_value()
    # One question, no retries, and no log lines of its own: the answer becomes the one line.
    quiet = logging.getLogger(__name__ + ".client")
    quiet.disabled = True
    client = WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT,
        logger=quiet,
        retry_handlers=[],
    )
    try:
        client.api_call(method)
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        raise SettingsError(
            f"bravo: Slack refused {variable} ({error or 'no reason given'}); {where}"
        ) from None
    except OSError as exc:  # URLError, timeouts, refused connections
        reason = getattr(exc, "reason", None) or exc
        raise SettingsError(
            f"bravo: cannot reach Slack at {settings.slack_api_url} to check {variable} "
            f"({reason}); check the network or SLACK_API_URL"
        ) from None
