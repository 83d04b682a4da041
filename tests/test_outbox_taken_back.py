"""A shout-out taken back between the sender's claim and its read of the cards: its messages
are left out, and the rest of the batch is sent. Real databases, over HTTP to the stand-in."""

from __future__ import annotations

from bot.domain.model import OutboxStatus
from bot.domain.outbox import claim_messages
from tests.test_outbox import _give


class TakenBackBetween:
    """A real unit of work; when entered the second time (the card read, after the claim),
    another transaction first takes `shoutout_id` back, as the conversation's undo does."""

    def __init__(self, factory, shoutout_id: int) -> None:
        self.real, self.factory, self.shoutout_id, self.entered = factory(), factory, shoutout_id, 0

    def __enter__(self):
        self.entered += 1
        if self.entered == 2:
            with self.factory() as other:
                other.conversation.take_back(self.shoutout_id)
                other.commit()
        return self.real.__enter__()

    def __exit__(self, *exc):
        return self.real.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_shoutout_taken_back_after_the_claim_is_left_out_of_the_batch(services, standin, db):
    kept, _ = _give(services, standin)
    services.clock.advance(days=1)  # a new day: a new allowance for the giver
    gone, _ = _give(services, standin)
    shoutout = db.scalar("SELECT shoutout_id FROM outbox WHERE id = :i", i=gone.outbox_ids[0])
    uow = TakenBackBetween(services.uow, shoutout)
    claimed = claim_messages(kept.outbox_ids + gone.outbox_ids, services.clock.now(), uow=uow)
    assert uow.entered == 2  # the take-back ran between the claim and the read
    assert [c.message.id for c in claimed] == list(kept.outbox_ids)
    assert db.scalar("SELECT count(*) FROM shoutouts WHERE id = :i", i=shoutout) == 0
    statuses = {r[0] for r in db.rows("SELECT status FROM outbox")}
    assert statuses == {OutboxStatus.SENDING.value}  # the kept ones, claimed for sending
