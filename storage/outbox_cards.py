"""The cards of the shout-outs a sender claimed, read for a whole batch at once.

Four prebuilt statements, whatever the batch size; `RecognitionRepository.card` reads one
card the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.domain.model import Kind, ShoutoutCard
from storage.models import RecognitionPrincipleRow, RecognitionRow, ShoutoutRow, WorkspaceRow
from storage.models_conversation import ConversationThanksRow

_S, _W, _R = ShoutoutRow.__table__, WorkspaceRow.__table__, RecognitionRow.__table__
_P, _T = RecognitionPrincipleRow.__table__, ConversationThanksRow.__table__
_IDS = bindparam("ids", expanding=True)

_SHOUTOUTS = select(
    _S.c.id,
    _S.c.giver_id,
    _S.c.reason,
    _S.c.kind,
    _S.c.created_at,
    _S.c.channel_id,
    _W.c.language,
).where(_S.c.id.in_(_IDS), _W.c.id == _S.c.workspace_id)
_RECIPIENTS = (
    select(_R.c.shoutout_id, _R.c.id, _R.c.recipient_id)
    .where(_R.c.shoutout_id.in_(_IDS))
    .order_by(_R.c.id)
)
# Every recognition of a shout-out carries the same tags: its first recognition's are read.
_PRINCIPLES = (
    select(_P.c.recognition_id, _P.c.principle)
    .where(_P.c.recognition_id.in_(_IDS))
    .order_by(_P.c.recognition_id, _P.c.position)
)
_JOINED = (
    select(_T.c.joined_shoutout_id, _T.c.giver_id)
    .where(_T.c.joined_shoutout_id.in_(_IDS))
    .order_by(_T.c.id)
)


def shoutout_cards(session: Session, shoutout_ids: Sequence[int]) -> dict[int, ShoutoutCard]:
    """The card of each shout-out of `shoutout_ids` that exists, by id."""
    ids = sorted(set(shoutout_ids))
    if not ids:
        return {}
    recipients: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for shoutout_id, recognition_id, recipient in session.execute(_RECIPIENTS, {"ids": ids}):
        recipients[shoutout_id].append((recognition_id, recipient))
    first = [found[0][0] for found in recipients.values()]
    tags: dict[int, list[str]] = defaultdict(list)
    if first:
        for recognition_id, principle in session.execute(_PRINCIPLES, {"ids": first}):
            tags[recognition_id].append(principle)
    joined: dict[int, list[str]] = defaultdict(list)
    for shoutout_id, giver in session.execute(_JOINED, {"ids": ids}):
        joined[shoutout_id].append(giver)
    cards = {}
    for row in session.execute(_SHOUTOUTS, {"ids": ids}):
        found = recipients.get(row.id, [])
        cards[row.id] = ShoutoutCard(
            id=row.id,
            giver=row.giver_id,
            recipients=tuple(recipient for _id, recipient in found),
            reason=row.reason,
            kind=Kind(row.kind),
            principles=tuple(tags[found[0][0]]) if found else (),
            created_at=row.created_at,
            language=row.language or "en",
            channel_id=row.channel_id,
            also=tuple(joined.get(row.id, ())),
        )
    return cards
