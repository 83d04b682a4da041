"""Admin- and manager-only `/bravo` actions refused for a member, over signed HTTP into `bravo
serve`. (Also covered elsewhere: `/bravo set` and `/bravo export` in test_bravo_e2e.py, the
leaderboard's manager views and Export button in test_leaderboard_e2e.py, `/bravo forget` and
its button in test_privacy_e2e.py.)"""

from __future__ import annotations

from bot.entrypoints.standin import submission
from tests.conftest import BO, GIVER

REFUSED = "Only workspace admins and Bravo managers"


def test_a_member_cannot_open_the_settings_modal(bravo):
    reply = bravo.client.command("/bravo", "settings", user=BO)
    assert REFUSED in reply.text
    assert bravo.slack.calls_to("views.open") == []


def test_a_member_cannot_submit_the_settings_modal(bravo):
    bravo.client.command("/bravo", "settings", user=GIVER)  # an admin's modal, submitted by Bo
    [opened] = bravo.slack.wait_for("views.open")
    values = {"allowance": {"type": "number_input", "value": "50"}}
    reply = bravo.client.interaction(submission(opened.args["view"], BO, values))
    assert reply.status == 200 and reply.json()["response_action"] == "errors"
    assert REFUSED in str(reply.json()["errors"])
    assert bravo.db.scalar("SELECT allowance FROM workspaces") == 5


def test_a_member_cannot_add_or_switch_principles(bravo):
    for text in ("principle add Follow up :: Call back the next day", "principle off care"):
        assert REFUSED in bravo.client.command("/bravo", text, user=BO).text
    bravo.client.command("/bravo", "principle off care", user=GIVER)
    assert REFUSED in bravo.client.command("/bravo", "principle on care", user=BO).text
    assert bravo.db.rows("SELECT slug, custom, enabled FROM workspace_principles") == [
        ("care", False, False)
    ]
