"""Single-workspace mode serves only the workspace its token belongs to (the stand-in's
auth.test says T0001). Requests from any other team are answered politely and store nothing."""

from __future__ import annotations

import time

from tests.conftest import BO, GIVER
from tests.slack_standin import BOT_USER

OTHER = "T0OTHER"


def stored(bravo) -> dict[str, int]:
    tables = ("workspaces", "recognitions", "shoutouts", "outbox", "processed_events")
    return {t: bravo.db.scalar(f"SELECT count(*) FROM {t}") for t in tables}


def nothing_stored(bravo) -> bool:
    return all(count == 0 for count in stored(bravo).values())


def other_team_mention() -> dict:
    return {
        "token": "ignored",
        "team_id": OTHER,
        "api_app_id": "A0BRAVO",
        "type": "event_callback",
        "event_id": "Ev0OTHER0001",
        "event_time": 1790000100,
        "authorizations": [
            {"team_id": OTHER, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
        "event": {
            "type": "app_mention",
            "user": GIVER,
            "text": f"<@{BOT_USER}> <@{BO}> for the calm handover",
            "ts": "1790000100.000100",
            "channel": "C0SUPPORT",
            "event_ts": "1790000100.000100",
        },
    }


def test_a_command_from_another_workspace_is_refused_politely_and_stores_nothing(bravo):
    reply = bravo.client.kudos(f"<@{BO}> for a great save with the Jansen account", team=OTHER)
    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert "Bravo is not installed in this workspace" in reply.text
    time.sleep(0.3)  # anything queued after the ack would have shown by now
    assert nothing_stored(bravo), stored(bravo)
    assert bravo.slack.calls_to("chat.postMessage") == []


def test_an_event_from_another_workspace_is_acked_and_ignored(bravo):
    reply = bravo.client.event(other_team_mention())
    assert reply.status == 200 and reply.body == b""
    time.sleep(0.5)
    assert nothing_stored(bravo), stored(bravo)
    posts = [c.method for c in bravo.slack.calls if c.method.startswith(("chat.", "views."))]
    assert posts == []


def test_a_button_from_another_workspace_is_acked_and_ignored(bravo):
    payload = {
        "type": "block_actions",
        "team": {"id": OTHER},
        "user": {"id": GIVER, "team_id": OTHER},
        "response_url": bravo.slack.response_url("other-team"),
        "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": "open_kudos_modal", "block_id": "b"}],
    }
    reply = bravo.client.interaction(payload)
    assert reply.status == 200 and reply.body == b""
    time.sleep(0.3)
    assert bravo.slack.calls_to("views.open") == []
    assert nothing_stored(bravo), stored(bravo)


def test_the_installed_workspace_is_still_served(bravo):
    reply = bravo.client.kudos(f"<@{BO}> for a great save with the Jansen account")
    assert reply.status == 200 and "not installed" not in reply.text
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 1
    assert bravo.db.scalar("SELECT team_id FROM workspaces") == "T0001"


def test_an_event_is_kept_under_the_installation_it_was_delivered_to(bravo):
    """In a channel shared with another organisation the envelope's team_id names the other
    side; the authorization names this installation, whose token serves it: data goes there."""
    shared = other_team_mention()
    shared["event_id"] = "Ev0SHARED001"
    shared["authorizations"][0]["team_id"] = "T0001"
    assert bravo.client.event(shared).status == 200
    assert bravo.slack.wait_for("chat.postMessage", channel="C0SUPPORT", timeout=15)
    teams = [r[0] for r in bravo.db.rows("SELECT team_id FROM workspaces")]
    assert teams == ["T0001"]
    owners = bravo.db.rows(
        "SELECT w.team_id FROM shoutouts s JOIN workspaces w ON w.id = s.workspace_id"
    )
    assert [r[0] for r in owners] == ["T0001"]
