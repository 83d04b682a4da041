"""What the scheduled posts show: a period's numbers, and recent recognitions of a principle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, distinct, exists, func, select
from sqlalchemy.orm import Session

from bot.domain.model import PeriodStats, TaggedRecognition
from storage.driver import Prepared, utc
from storage.models import RecognitionPrincipleRow, RecognitionRow, ShoutoutRow

# The statements every scheduled post runs, built once and run on the driver's cursor
# (storage.driver): building them per call through the ORM cost a digest about 4 ms of CPU,
# the largest share of a 10,000-workspace burst.
_R, _S, _P = RecognitionRow.__table__, ShoutoutRow.__table__, RecognitionPrincipleRow.__table__
_AT = _R.c.created_at.type
_IN_PERIOD = (
    _R.c.workspace_id == bindparam("workspace_id"),
    _R.c.created_at >= bindparam("start", type_=_AT),
    _R.c.created_at < bindparam("end", type_=_AT),
)
_KINDS = Prepared(select(_R.c.kind, func.count()).where(*_IN_PERIOD).group_by(_R.c.kind))
_BY_RECIPIENT = Prepared(
    select(_R.c.recipient_id, func.count().label("n"))
    .where(*_IN_PERIOD)
    .group_by(_R.c.recipient_id)
    .order_by(func.count().desc(), _R.c.recipient_id)
)
_SHOUTOUTS = Prepared(
    select(func.count(distinct(_R.c.shoutout_id))).where(*_IN_PERIOD, _R.c.shoutout_id.is_not(None))
)
# First-timers: recognised in the period and never before it. One index probe per person
# (workspace, recipient, created_at), not a scan of the workspace's whole history (which took
# 300 ms of a digest on 1,000,000 recognitions).
_EARLIER = _R.alias("earlier")
_PEOPLE = select(_R.c.recipient_id).where(*_IN_PERIOD).distinct().subquery("people")
_FIRST_TIMERS = Prepared(
    select(_PEOPLE.c.recipient_id)
    .where(
        ~exists().where(
            _EARLIER.c.workspace_id == bindparam("workspace_id"),
            _EARLIER.c.recipient_id == _PEOPLE.c.recipient_id,
            _EARLIER.c.created_at < bindparam("start", type_=_AT),
        )
    )
    .order_by(_PEOPLE.c.recipient_id)
)
_TAGGED_RECENTLY = Prepared(
    select(_R.c.recipient_id, _R.c.giver_id, _S.c.reason, _R.c.created_at)
    .join(_P, _P.c.recognition_id == _R.c.id)
    .join(_S, _S.c.id == _R.c.shoutout_id)
    .where(
        _P.c.workspace_id == bindparam("workspace_id"),
        _P.c.principle == bindparam("principle"),
        _R.c.created_at >= bindparam("since", type_=_AT),
    )
    .order_by(_R.c.created_at.desc(), _R.c.id.desc())
    .limit(bindparam("limit"))
)


class InsightsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def period_stats(self, workspace_id: int, start: datetime, end: datetime) -> PeriodStats:
        """Counts for [start, end): one grouped query per figure, never one per person."""
        period = {"workspace_id": workspace_id, "start": start, "end": end}
        kinds = dict(_KINDS.execute(self.session, period))
        by_recipient = _BY_RECIPIENT.execute(self.session, period)
        shoutouts = _SHOUTOUTS.execute(self.session, period)[0][0]
        first_timers = tuple(r for (r,) in _FIRST_TIMERS.execute(self.session, period))
        success, recovery = kinds.get("success", 0), kinds.get("recovery", 0)
        return PeriodStats(
            shoutouts=shoutouts or 0,
            recognitions=success + recovery,
            success=success,
            recovery=recovery,
            people=len(by_recipient),
            first_timers=first_timers,
            by_recipient=tuple((r, n) for r, n in by_recipient),
        )

    def tagged_recently(
        self, workspace_id: int, principle: str, since: datetime, limit: int = 20
    ) -> list[TaggedRecognition]:
        """Recognitions tagged with `principle` since `since`, newest first."""
        rows = _TAGGED_RECENTLY.execute(
            self.session,
            {"workspace_id": workspace_id, "principle": principle, "since": since, "limit": limit},
        )
        return [
            TaggedRecognition(recipient, giver, reason, utc(at))
            for recipient, giver, reason, at in rows
        ]
