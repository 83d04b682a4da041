"""The daily allowance holds under simultaneous /kudos from one giver (served app, real HTTP)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import BO, CY, GIVER

SIMULTANEOUS = 20


def test_simultaneous_kudos_from_one_giver_store_exactly_the_allowance(bravo):
    # One first, so everyone is in the member cache (the race is widest then): 4 of 5 left.
    first = bravo.client.kudos(f"<@{BO}> for the calm handover before the long weekend")
    assert "You can give 4 more today" in first.text

    start = threading.Barrier(SIMULTANEOUS)

    def give(i: int):
        start.wait()
        return bravo.client.kudos(f"<@{CY}> for taking escalation number {i} off my hands")

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        replies = list(pool.map(give, range(SIMULTANEOUS)))

    assert all(r.status == 200 for r in replies), [r.status for r in replies]
    recorded = [r.text for r in replies if "Kudos recorded" in r.text]
    refused = [r.text for r in replies if "Kudos recorded" not in r.text]
    assert len(recorded) == 4, recorded
    assert all("You've given all 5 kudos for today" in text for text in refused), refused
    # Each confirmation tells the truth about what is left.
    left = sorted(int(re.search(r"You can give (\d+) more", text)[1]) for text in recorded)
    assert left == [0, 1, 2, 3]
    assert bravo.db.scalar("SELECT count(*) FROM recognitions WHERE giver_id = :g", g=GIVER) == 5
    assert bravo.db.scalar("SELECT count(*) FROM shoutouts") == 5
    assert bravo.errors() == []
