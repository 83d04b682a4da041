"""The cards of the shout-outs a sender claimed, read for a whole batch at once.

Four statements on the driver's cursor (`storage.driver`), prebuilt for a few batch sizes;
`RecognitionRepository.card` reads one card the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.model import Kind, ShoutoutCard
from storage.driver import PreparedBySize, in_list, listed, utc
from storage.models import RecognitionPrincipleRow, RecognitionRow, ShoutoutRow, WorkspaceRow
from storage.models_conversation import ConversationThanksRow

_S, _W, _R = ShoutoutRow.__table__, WorkspaceRow.__table__, RecognitionRow.__table__
_P, _T = RecognitionPrincipleRow.__table__, ConversationThanksRow.__table__


def _shoutouts(n: int):
    return select(
        _S.c.id,
        _S.c.giver_id,
        _S.c.reason,
        _S.c.kind,
        _S.c.created_at,
        _S.c.channel_id,
        _W.c.language,
    ).where(in_list(_S.c.id, n), _W.c.id == _S.c.workspace_id)


def _recipients(n: int):
    return (
        select(_R.c.shoutout_id, _R.c.id, _R.c.recipient_id)
        .where(in_list(_R.c.shoutout_id, n))
        .order_by(_R.c.id)
    )


# Every recognition of a shout-out carries the same tags: its first recognition's are read.
def _principles(n: int):
    return (
        select(_P.c.recognition_id, _P.c.principle)
        .where(in_list(_P.c.recognition_id, n))
        .order_by(_P.c.recognition_id, _P.c.position)
    )


def _joined(n: int):
    return (
        select(_T.c.joined_shoutout_id, _T.c.giver_id)
        .where(in_list(_T.c.joined_shoutout_id, n))
        .order_by(_T.c.id)
    )


_SHOUTOUTS, _RECIPIENTS = PreparedBySize(_shoutouts), PreparedBySize(_recipients)
_PRINCIPLES, _JOINED = PreparedBySize(_principles), PreparedBySize(_joined)


def _run(statement: PreparedBySize, session: Session, ids: Sequence[int]) -> list[tuple]:
    """Run `statement` for `ids`, its IN list padded to a power of two (by repeating the last
    id), so a statement has a handful of compiled forms whatever the batch sizes."""
    size = 1 << (len(ids) - 1).bit_length()
    padded = [*ids, *[ids[-1]] * (size - len(ids))]
    return statement(size).execute(session, listed(padded))


def shoutout_cards(session: Session, shoutout_ids: Sequence[int]) -> dict[int, ShoutoutCard]:
    """The card of each shout-out of `shoutout_ids` that exists, by id."""
    ids = sorted(set(shoutout_ids))
    if not ids:
        return {}
    recipients: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for shoutout_id, recognition_id, recipient in _run(_RECIPIENTS, session, ids):
        recipients[shoutout_id].append((recognition_id, recipient))
    first = [found[0][0] for found in recipients.values()]
    tags: dict[int, list[str]] = defaultdict(list)
    if first:
        for recognition_id, principle in _run(_PRINCIPLES, session, first):
            tags[recognition_id].append(principle)
    joined: dict[int, list[str]] = defaultdict(list)
    for shoutout_id, giver in _run(_JOINED, session, ids):
        joined[shoutout_id].append(giver)
    cards = {}
    for shoutout_id, giver, reason, kind, created_at, channel, language in _run(
        _SHOUTOUTS, session, ids
    ):
        found = recipients.get(shoutout_id, [])
        cards[shoutout_id] = ShoutoutCard(
            id=shoutout_id,
            giver=giver,
            recipients=tuple(recipient for _id, recipient in found),
            reason=reason,
            kind=Kind(kind),
            principles=tuple(tags[found[0][0]]) if found else (),
            created_at=utc(created_at),
            language=language or "en",
            channel_id=channel,
            also=tuple(joined.get(shoutout_id, ())),
        )
    return cards
