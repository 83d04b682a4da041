"""App Home and Bravo's channel intro end to end, through the Events API."""

from __future__ import annotations

from tests.conftest import BO, CY, GIVER
from tests.slack_standin import BOT_USER, blocks_text
from tests.story_payloads import (
    envelope,
    let_ignored_retries_finish,
    opened_view,
    story_values,
    submission,
)


def open_home(bravo, user: str, tab: str = "home"):
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME",
        "tab": tab,
        "event_ts": "1790000200.000100",
    }
    return bravo.client.event(envelope(event))


def bravo_joins(channel: str, event_id: str | None = None) -> dict:
    event = {
        "type": "member_joined_channel",
        "user": BOT_USER,
        "channel": channel,
        "channel_type": "C",
        "team": "T0001",
        "inviter": BO,
    }
    return envelope(event, event_id=event_id)


def intros(bravo) -> list[str]:
    """The channels Bravo posted in, in order."""
    return [c.args["channel"] for c in bravo.slack.calls_to("chat.postMessage")]


def published(bravo, user: str) -> str:
    calls = bravo.slack.wait_for("views.publish", user_id=user)
    assert calls, "no views.publish"
    view = calls[-1].args["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    return blocks_text(view["blocks"])


def test_app_home_shows_a_members_numbers_recent_thanks_principle_and_buttons(bravo):
    bravo.client.kudos(f"<@{BO}> for calming an upset customer and solving it the same day")
    bravo.client.command("/story", "")
    view = opened_view(bravo)
    bravo.client.interaction(submission(view, GIVER, story_values(teammates=(BO,))))

    assert open_home(bravo, BO).status == 200
    home = published(bravo, BO)
    assert "You this month" in home and "You, all time" in home
    assert "*Kudos received*\n2" in home
    assert "50% success · 50% recovery" in home or "0% success · 100% recovery" in home
    assert "Recent thanks" in home
    assert "credited you in a story: *Saved the Jansen renewal*" in home
    assert "calming an upset customer" in home
    assert "Today's principle" in home and "Try today" in home
    assert "[:clap: Give kudos] [:sparkles: Share a success story]" in home
    assert "Your team this month" not in home


def test_app_home_shows_a_manager_the_teams_month(bravo):
    bravo.client.kudos(f"<@{BO}> <@{CY}> for the smooth migration weekend together", user=BO)
    open_home(bravo, GIVER)  # an admin in the stand-in's directory
    home = published(bravo, GIVER)
    assert "Your team this month" in home
    assert "*Shout-outs*\n1" in home and "*People recognised*\n1" in home


def test_app_home_is_not_published_for_the_messages_tab(bravo):
    assert open_home(bravo, BO, tab="messages").status == 200
    # The same listener publishing Cy's Home next shows it handles what comes before it.
    assert open_home(bravo, CY).status == 200
    assert published(bravo, CY)
    assert [c.args["user_id"] for c in bravo.slack.calls_to("views.publish")] == [CY]
    assert bravo.errors() == []


def test_bravo_introduces_itself_once_when_added_to_a_channel(bravo):
    joined = bravo_joins("C0NEWTEAM", event_id="Ev0JOINED01")
    bravo.client.event(joined)
    bravo.client.event(joined, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "x"})
    intro = bravo.slack.wait_for("chat.postMessage", channel="C0NEWTEAM")
    assert intro and "I'm *Bravo*" in blocks_text(intro[0].args["blocks"])
    # Added to another channel after the retry: once that intro is out, the retry was handled.
    bravo.client.event(bravo_joins("C0OTHERTEAM"))
    assert bravo.slack.wait_for("chat.postMessage", channel="C0OTHERTEAM")
    assert intros(bravo) == ["C0NEWTEAM", "C0OTHERTEAM"]
    let_ignored_retries_finish()
    assert intros(bravo) == ["C0NEWTEAM", "C0OTHERTEAM"]
    assert bravo.errors() == []


def test_someone_else_joining_a_channel_gets_no_intro(bravo):
    bravo.client.event(
        envelope({"type": "member_joined_channel", "user": CY, "channel": "C0NEWTEAM"})
    )
    # Bravo joining another channel next: once its intro is out, Cy's join was handled.
    bravo.client.event(bravo_joins("C0OTHERTEAM"))
    assert bravo.slack.wait_for("chat.postMessage", channel="C0OTHERTEAM")
    assert intros(bravo) == ["C0OTHERTEAM"]
    assert bravo.errors() == []
