"""Uninstall and token revocation: the workspace stops posting, keeps its data, and comes back."""

from __future__ import annotations

import time

from tests.conftest import BO, CY, GIVER
from tests.story_payloads import eventually, reaction


def envelope(event: dict, event_id: str) -> dict:
    return {
        "type": "event_callback",
        "team_id": "T0001",
        "api_app_id": "A0BRAVO",
        "event": event,
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": "UBRAVO0001", "is_bot": True}],
    }


def setup(bravo) -> None:
    reply = bravo.client.command("/bravo", "set principle-channel <#C0LOVE|love>", user=GIVER)
    assert "now <#C0LOVE>" in reply.text


def test_uninstall_deactivates_the_workspace_and_pauses_its_posts(bravo):
    setup(bravo)
    bravo.client.kudos(f"<@{BO}> for a wonderful onboarding call with Jansen")
    reply = bravo.client.event(envelope({"type": "app_uninstalled"}, "Ev1"))
    assert reply.status == 200
    assert eventually(lambda: bravo.db.scalar("SELECT active FROM workspaces") in (False, 0))
    assert bravo.db.scalar("SELECT paused_reason FROM targets") == "app_uninstalled"
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 1  # data is kept


def test_revoking_only_user_tokens_changes_nothing(bravo):
    setup(bravo)
    bravo.client.kudos(f"<@{BO}> for a wonderful onboarding call with Jansen")
    announced = eventually(lambda: bravo.db.scalar("SELECT message_ts FROM shoutouts"))
    assert announced
    bravo.client.event(envelope({"type": "tokens_revoked", "tokens": {"oauth": ["U0X"]}}, "Ev2"))
    # Applause next, which leaves the workspace as it is: once counted, Ev2 was handled too.
    bravo.client.event(envelope(reaction(CY, "C0SUPPORT", announced), "Ev2b"))
    assert eventually(lambda: bravo.db.scalar("SELECT count(*) FROM applause") == 1)
    assert bravo.db.scalar("SELECT active FROM workspaces") in (True, 1)
    assert bravo.errors() == []


def test_revoking_the_bot_token_then_using_bravo_again_reactivates_it(bravo):
    setup(bravo)
    bravo.client.event(
        envelope({"type": "tokens_revoked", "tokens": {"bot": ["UBRAVO0001"]}}, "Ev3")
    )
    assert eventually(lambda: bravo.db.scalar("SELECT active FROM workspaces") in (False, 0))
    reply = bravo.client.kudos(f"<@{BO}> for fixing the invoice export before month end")
    assert "Kudos recorded" in reply.text
    assert bravo.db.scalar("SELECT active FROM workspaces") in (True, 1)
    assert bravo.db.scalar("SELECT paused_reason FROM targets") is None
