"""`bravo keys rotate`: re-encrypt every stored token with the first key of
BRAVO_ENCRYPTION_KEY. Put a new key first, keep the old ones after it, rotate, then drop them."""

from __future__ import annotations

import sys

from bot.domain import installs
from bot.domain.tokens import UnreadableToken
from bot.entrypoints.cli_help import counted
from bot.entrypoints.runtime import build_runtime
from bot.settings import Settings, SettingsError


def rotate_keys(settings: Settings) -> int:
    settings.require("encryption_key", why="to re-encrypt stored tokens (bravo keys rotate)")
    runtime = build_runtime(settings)
    try:
        count = installs.rotate_keys(uow=runtime.services.uow(), cipher=runtime.services.cipher)
    except UnreadableToken:
        raise SettingsError(
            "bravo: a stored token opens with none of the keys in BRAVO_ENCRYPTION_KEY; "
            "put the key it was sealed with back in the list (after the new one)"
        ) from None
    finally:
        runtime.engine.dispose()
    installations = counted(count, "installation")
    print(f"bravo: {installations} re-encrypted with the first key", file=sys.stderr)
    return 0
