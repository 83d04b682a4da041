"""The pure shout-out rules of SPEC 2.1 and the local-day arithmetic behind the allowance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.clock import local_day_bounds
from bot.domain.errors import (
    GroupTooLarge,
    InvalidRecipients,
    NoRecipients,
    ReasonTooLong,
    ReasonTooShort,
    SelfRecognition,
    TooManyRecipients,
    UnknownGroup,
    UnknownRecipients,
)
from bot.domain.kudos import (
    MAX_RECIPIENTS,
    REASON_MAX,
    REASON_MIN,
    Recipients,
    check_people,
    check_reason,
    expand_recipients,
)
from bot.domain.model import GiveKudos, Person, TeamRef

GIVER = "U0GIVER"


class FakeDirectory:
    """Only user groups matter to `expand_recipients`; people are looked up elsewhere."""

    def __init__(self, groups: dict[str, list[str]] | None = None) -> None:
        self.groups = groups or {}

    def person(self, user_id: str) -> Person | None:
        return None

    def group_members(self, group_id: str) -> list[str] | None:
        return self.groups.get(group_id)


def give(*users: str, groups: tuple[str, ...] = ()) -> GiveKudos:
    return GiveKudos(TeamRef("T1"), GIVER, users, groups, "for the calm call with ACME")


# check_reason -------------------------------------------------------------------------------


def test_keeps_a_reason_of_exactly_the_minimum_length():
    assert check_reason("x" * REASON_MIN) == "x" * REASON_MIN


def test_refuses_a_reason_one_character_short():
    with pytest.raises(ReasonTooShort) as refused:
        check_reason("x" * (REASON_MIN - 1))
    assert refused.value.params == {"minimum": 10, "length": 9}


def test_refuses_a_reason_that_is_only_whitespace_padding():
    with pytest.raises(ReasonTooShort):
        check_reason("   thanks \n\n\t     ")


def test_keeps_a_reason_of_exactly_the_maximum_length():
    assert len(check_reason("y" * REASON_MAX)) == 1000


def test_refuses_a_reason_one_character_too_long():
    with pytest.raises(ReasonTooLong) as refused:
        check_reason("y" * (REASON_MAX + 1))
    assert refused.value.params == {"maximum": 1000, "length": 1001}


def test_collapses_whitespace_before_measuring():
    assert check_reason("  for the\n\ncalm   call  ") == "for the calm call"
    assert len(check_reason("y " * 500 + "   ")) == 999


# expand_recipients --------------------------------------------------------------------------


def test_keeps_named_recipients_in_order_without_duplicates():
    result = expand_recipients(give("U2", "U1", "U2"), FakeDirectory())
    assert result == Recipients(("U2", "U1"), dropped_self=False)


def test_expands_a_group_to_its_members_without_the_giver():
    directory = FakeDirectory({"S1": ["U1", GIVER, "U2"]})
    result = expand_recipients(give("U2", groups=("S1",)), directory)
    assert result == Recipients(("U2", "U1"), dropped_self=False)


def test_drops_the_giver_from_a_mixed_list_and_says_so():
    result = expand_recipients(give("U1", GIVER), FakeDirectory())
    assert result == Recipients(("U1",), dropped_self=True)


def test_refuses_self_recognition_alone():
    with pytest.raises(SelfRecognition):
        expand_recipients(give(GIVER), FakeDirectory())


def test_refuses_no_recipients():
    with pytest.raises(NoRecipients):
        expand_recipients(give(), FakeDirectory())


def test_refuses_a_group_that_only_holds_the_giver():
    with pytest.raises(NoRecipients):
        expand_recipients(give(groups=("S1",)), FakeDirectory({"S1": [GIVER]}))


def test_refuses_an_unknown_group():
    with pytest.raises(UnknownGroup) as refused:
        expand_recipients(give("U1", groups=("S404",)), FakeDirectory())
    assert refused.value.params == {"group": "S404"}


def test_accepts_a_group_of_exactly_the_maximum_besides_the_giver():
    members = [f"U{i:03d}" for i in range(MAX_RECIPIENTS)] + [GIVER]
    result = expand_recipients(give(groups=("S1",)), FakeDirectory({"S1": members}))
    assert len(result.ids) == 25


def test_refuses_a_group_larger_than_the_maximum():
    members = [f"U{i:03d}" for i in range(MAX_RECIPIENTS + 1)]
    with pytest.raises(GroupTooLarge) as refused:
        expand_recipients(give(groups=("S1",)), FakeDirectory({"S1": members}))
    assert refused.value.params == {"group": "S1", "size": 26, "maximum": 25}


def test_refuses_more_recipients_than_the_maximum_across_groups_and_mentions():
    directory = FakeDirectory({"S1": [f"U{i:03d}" for i in range(20)]})
    with pytest.raises(TooManyRecipients) as refused:
        expand_recipients(give(*(f"W{i}" for i in range(6)), groups=("S1",)), directory)
    assert refused.value.params == {"count": 26, "maximum": 25}


def test_counts_someone_both_named_and_in_a_group_once():
    directory = FakeDirectory({"S1": ["U1", "U2"], "S2": ["U2", "U3"]})
    result = expand_recipients(give("U1", groups=("S1", "S2")), directory)
    assert result.ids == ("U1", "U2", "U3")


# check_people -------------------------------------------------------------------------------

PEOPLE = {
    "U1": Person("U1", "Ann"),
    "U2": Person("U2", "Bo"),
    "UBOT": Person("UBOT", "helper", is_bot=True),
    "UGONE": Person("UGONE", "Gone", deleted=True),
    "USLACKBOT": Person("USLACKBOT", "Slackbot"),
    "UNKNOWN": None,
}


def check(*ids: str, from_groups: set[str] = frozenset()) -> tuple[str, ...]:
    return check_people(Recipients(ids, False), PEOPLE, set(from_groups))


def test_keeps_active_people():
    assert check("U1", "U2") == ("U1", "U2")


def test_refuses_named_bots_slackbot_and_deactivated_people_together():
    with pytest.raises(InvalidRecipients) as refused:
        check("U1", "UBOT", "USLACKBOT", "UGONE")
    assert refused.value.params == {"bots": ["UBOT", "USLACKBOT"], "deactivated": ["UGONE"]}


def test_refuses_a_named_person_slack_does_not_know():
    with pytest.raises(UnknownRecipients) as refused:
        check("U1", "UNKNOWN", "U404")
    assert refused.value.params == {"users": ["UNKNOWN", "U404"]}


def test_skips_bots_deactivated_and_unknown_members_of_a_group():
    kept = check("U1", "UBOT", "UGONE", "UNKNOWN", "U2", from_groups={"UBOT", "UGONE", "UNKNOWN"})
    assert kept == ("U1", "U2")


def test_refuses_a_group_with_nobody_left_to_thank():
    with pytest.raises(NoRecipients):
        check("UBOT", "UGONE", from_groups={"UBOT", "UGONE"})


# local_day_bounds ---------------------------------------------------------------------------


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "tz", "start", "end"),
    [
        (utc(2026, 6, 15, 12), "Europe/Amsterdam", utc(2026, 6, 14, 22), utc(2026, 6, 15, 22)),
        (utc(2026, 1, 15, 12), "Europe/Amsterdam", utc(2026, 1, 14, 23), utc(2026, 1, 15, 23)),
        (utc(2026, 3, 29, 12), "Europe/Amsterdam", utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)),
        (utc(2026, 10, 25, 12), "Europe/Amsterdam", utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)),
        (utc(2026, 1, 15, 3), "America/New_York", utc(2026, 1, 14, 5), utc(2026, 1, 15, 5)),
        (utc(2026, 7, 4, 15), "America/New_York", utc(2026, 7, 4, 4), utc(2026, 7, 5, 4)),
        (utc(2026, 6, 15, 12), "UTC", utc(2026, 6, 15), utc(2026, 6, 16)),
    ],
)
def test_bounds_the_local_day_in_utc(at, tz, start, end):
    assert local_day_bounds(at, tz) == (start, end)


def test_gives_23_and_25_hour_days_when_amsterdam_changes_the_clock():
    spring = local_day_bounds(utc(2026, 3, 29, 1, 30), "Europe/Amsterdam")
    autumn = local_day_bounds(utc(2026, 10, 25, 0, 30), "Europe/Amsterdam")
    assert spring[1] - spring[0] == timedelta(hours=23)
    assert autumn[1] - autumn[0] == timedelta(hours=25)


def test_keeps_an_instant_just_before_local_midnight_in_that_day():
    before = datetime(2026, 6, 15, 23, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Amsterdam"))
    start, end = local_day_bounds(before, "Europe/Amsterdam")
    assert (start, end) == (utc(2026, 6, 14, 22), utc(2026, 6, 15, 22))
    assert start <= before < end
    assert local_day_bounds(end, "Europe/Amsterdam")[0] == end


def test_returns_aware_utc_instants_whatever_the_input_zone():
    at = datetime(2026, 2, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo"))
    start, end = local_day_bounds(at, "America/New_York")
    assert start.tzinfo is UTC and end.tzinfo is UTC
    assert start <= at < end


@pytest.mark.parametrize("tz", ["Europe/Amsterdam", "America/New_York", "America/Santiago"])
def test_tiles_a_year_of_local_days_without_gaps(tz):
    start, end = local_day_bounds(utc(2026, 1, 1, 12), tz)
    for _ in range(365):
        following = local_day_bounds(end, tz)
        assert following[0] == end
        assert timedelta(hours=23) <= following[1] - following[0] <= timedelta(hours=25)
        start, end = following
