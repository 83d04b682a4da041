"""What Bravo holds about one person: counted, erased (`/bravo forget`), listed (`/bravo me
export`); and the audit log. Typed methods over one session; they never commit.

Every column that can hold a user id is named here. Recognitions are pseudonymised, not deleted:
the triggers of migration 0005 move their counts from the person's rows in `recognition_totals`
and `recognition_months` to the pseudonym's, which leaves the person's rows at zero; those are
deleted so the id is gone from the count tables too.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from bot.domain.model import OutboxStatus, Source
from bot.domain.personal import (
    Erasure,
    Footprint,
    GivenApplause,
    GivenShoutout,
    PersonalRecords,
    ReceivedRecognition,
    SharedStory,
)
from storage.models import (
    ApplauseRow,
    MemberRow,
    OutboxRow,
    PostRow,
    PrincipleRow,
    RecognitionMonthRow,
    RecognitionRow,
    RecognitionTotalRow,
    ShoutoutRow,
    StoryRow,
    WorkspaceRow,
)
from storage.models_conversation import ConversationThanksRow, ThanksReplyRow
from storage.models_install import InstallationRow
from storage.models_ops import AuditRow

_WAITING = (OutboxStatus.PENDING.value, OutboxStatus.FAILED.value)
_QUIET = {"synchronize_session": False}


class PrivacyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _count(self, model, *where: ColumnElement[bool]) -> int:
        return self.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    def footprint(self, workspace_id: int, user_id: str) -> Footprint:
        R = RecognitionRow
        return Footprint(
            shoutouts_given=self._count(
                ShoutoutRow,
                ShoutoutRow.workspace_id == workspace_id,
                ShoutoutRow.giver_id == user_id,
            ),
            recognitions_given=self._count(
                R, R.workspace_id == workspace_id, R.giver_id == user_id
            ),
            received=self._count(R, R.workspace_id == workspace_id, R.recipient_id == user_id),
            stories=self._count(
                StoryRow, StoryRow.workspace_id == workspace_id, StoryRow.author_id == user_id
            ),
            applause=self._count(
                ApplauseRow,
                ApplauseRow.workspace_id == workspace_id,
                ApplauseRow.user_id == user_id,
            ),
            messages=self._count(
                OutboxRow,
                OutboxRow.workspace_id == workspace_id,
                OutboxRow.channel_id == user_id,
                OutboxRow.status.in_(_WAITING),
            ),
        )

    def in_use(self, workspace_id: int, user_id: str) -> bool:
        """Whether any count is kept for `user_id` (a pseudonym must be new)."""
        T = RecognitionTotalRow
        return bool(self._count(T, T.workspace_id == workspace_id, T.user_id == user_id))

    def lock(self, workspace_id: int) -> None:
        """Serialise erasures in one workspace (row lock on PostgreSQL; SQLite serialises
        writers by itself). NO KEY: new rows that refer to the workspace are not held up."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                select(WorkspaceRow.id)
                .where(WorkspaceRow.id == workspace_id)
                .with_for_update(key_share=True)
            )

    def erase(self, workspace_id: int, erasure: Erasure) -> None:
        """Replace the person's id by the pseudonym everywhere, and remove what is theirs."""
        who, alias = erasure.user_id, erasure.pseudonym
        run = self.session.execute
        # The outbox first: the senders record an outcome in the outbox, then the shout-out
        # (and the story) it announced, so that is the order every writer takes row locks in.
        # The other way round, a forget and a sender's batch of outcomes could each wait for
        # the other (PostgreSQL), and the forget gave up as busy.
        run(
            update(OutboxRow)
            .where(
                OutboxRow.workspace_id == workspace_id,
                OutboxRow.channel_id == who,
                OutboxRow.status.in_(_WAITING),
            )
            .values(status=OutboxStatus.CANCELLED.value)
            .execution_options(**_QUIET)
        )
        run(
            update(OutboxRow)
            .where(OutboxRow.workspace_id == workspace_id, OutboxRow.channel_id == who)
            .values(channel_id=alias)
            .execution_options(**_QUIET)
        )
        # A kudos emoji on their message made their own words the reason: those go too.
        run(
            update(ShoutoutRow)
            .where(
                ShoutoutRow.workspace_id == workspace_id,
                ShoutoutRow.source == Source.REACTION.value,
                ShoutoutRow.id.in_(
                    select(RecognitionRow.shoutout_id).where(
                        RecognitionRow.workspace_id == workspace_id,
                        RecognitionRow.recipient_id == who,
                    )
                ),
            )
            .values(reason=erasure.reason_placeholder)
            .execution_options(**_QUIET)
        )
        for model, column, values in (
            (RecognitionRow, RecognitionRow.recipient_id, {"recipient_id": alias}),
            (ConversationThanksRow, ConversationThanksRow.giver_id, {"giver_id": alias}),
            (ThanksReplyRow, ThanksReplyRow.author_id, {"author_id": alias}),
            (RecognitionRow, RecognitionRow.giver_id, {"giver_id": alias}),
            (
                ShoutoutRow,
                ShoutoutRow.giver_id,
                {"giver_id": alias, "reason": erasure.reason_placeholder},
            ),
            (
                StoryRow,
                StoryRow.author_id,
                {
                    "author_id": alias,
                    "title": erasure.story_placeholder[:150],
                    "body": erasure.story_placeholder,
                    "customer": None,
                    "source_permalink": None,
                },
            ),
            (PrincipleRow, PrincipleRow.created_by, {"created_by": alias}),
            (AuditRow, AuditRow.actor_id, {"actor_id": alias}),
            (PostRow, PostRow.channel_id, {"channel_id": alias}),
            (WorkspaceRow, WorkspaceRow.admin_user_id, {"admin_user_id": erasure.successor_admin}),
        ):
            scope = model.id if model is WorkspaceRow else model.workspace_id
            run(
                update(model)
                .where(scope == workspace_id, column == who)
                .values(values)
                .execution_options(**_QUIET)
            )
        team = select(WorkspaceRow.team_id).where(WorkspaceRow.id == workspace_id)
        run(
            update(InstallationRow)
            .where(InstallationRow.team_id.in_(team), InstallationRow.installer_user_id == who)
            .values(installer_user_id=None)
            .execution_options(**_QUIET)
        )
        for model, column in (
            (RecognitionTotalRow, RecognitionTotalRow.user_id),  # left at zero by the triggers
            (RecognitionMonthRow, RecognitionMonthRow.user_id),
            (ApplauseRow, ApplauseRow.user_id),
            (MemberRow, MemberRow.user_id),
        ):
            run(
                delete(model)
                .where(model.workspace_id == workspace_id, column == who)
                .execution_options(**_QUIET)
            )
        self._rewrite_mentions(workspace_id, who, alias, erasure.names)
        self._rewrite_featured(workspace_id, who, alias)

    def _rewrite_mentions(
        self, workspace_id: int, who: str, alias: str, names: tuple[str, ...]
    ) -> None:
        """Other people's text that mentions the person (`<@U1>`, `<@U1|name>`) or types their
        full name names the pseudonym instead. A first name alone cannot be told apart from the
        same word, and stays."""
        patterns = [re.compile(rf"<@{re.escape(who)}(?:\|[^>]*)?>")]
        patterns += [re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") for name in names]
        needles = [f"<@{who}", *names]
        for model, columns in (
            (ShoutoutRow, ("reason",)),
            (StoryRow, ("title", "body", "customer")),
        ):
            fields = [getattr(model, c) for c in columns]
            rows = self.session.execute(
                select(model.id, *fields).where(
                    model.workspace_id == workspace_id,
                    or_(*(field.contains(n) for field in fields for n in needles)),
                )
            ).all()
            for row in rows:
                values = {}
                for c in columns:
                    text = getattr(row, c)
                    if text:
                        values[c] = patterns[0].sub(f"<@{alias}>", text)
                        for pattern in patterns[1:]:
                            values[c] = pattern.sub(alias, values[c])
                self.session.execute(update(model).where(model.id == row.id).values(values))

    def _rewrite_featured(self, workspace_id: int, who: str, alias: str) -> None:
        rows = self.session.execute(
            select(PostRow.id, PostRow.featured).where(
                PostRow.workspace_id == workspace_id, PostRow.featured.contains(who)
            )
        ).all()
        for row in rows:
            featured = ",".join(alias if u == who else u for u in row.featured.split(","))
            self.session.execute(
                update(PostRow).where(PostRow.id == row.id).values(featured=featured)
            )

    def audit(
        self, workspace_id: int, action: str, actor: str, subject: str, detail: str, now: datetime
    ) -> None:
        self.session.add(
            AuditRow(
                workspace_id=workspace_id,
                action=action,
                actor_id=actor,
                subject=subject,
                detail=detail,
                created_at=now,
            )
        )
        self.session.flush()

    def audited(self, workspace_id: int, action: str, subject: str) -> str | None:
        return self.session.scalar(
            select(AuditRow.detail)
            .where(
                AuditRow.workspace_id == workspace_id,
                AuditRow.action == action,
                AuditRow.subject == subject,
            )
            .limit(1)
        )

    def records(self, workspace_id: int, user_id: str) -> PersonalRecords:
        return PersonalRecords(
            given=self._given(workspace_id, user_id),
            received=self._received(workspace_id, user_id),
            stories=self._stories(workspace_id, user_id),
            applause=self._applause(workspace_id, user_id),
        )

    def _given(self, workspace_id: int, user_id: str) -> tuple[GivenShoutout, ...]:
        shoutouts = self.session.scalars(
            select(ShoutoutRow)
            .where(ShoutoutRow.workspace_id == workspace_id, ShoutoutRow.giver_id == user_id)
            .options(selectinload(ShoutoutRow.recognitions).selectinload(RecognitionRow.principles))
            .order_by(ShoutoutRow.created_at, ShoutoutRow.id)
        )
        return tuple(
            GivenShoutout(
                at=s.created_at,
                recipients=tuple(r.recipient_id for r in s.recognitions),
                reason=s.reason,
                kind=s.kind,
                principles=tuple(p.principle for p in s.recognitions[0].principles)
                if s.recognitions
                else (),
            )
            for s in shoutouts
        )

    def _received(self, workspace_id: int, user_id: str) -> tuple[ReceivedRecognition, ...]:
        R = RecognitionRow
        rows = self.session.execute(
            select(R.created_at, R.giver_id, R.kind, R.source, ShoutoutRow.reason, StoryRow.title)
            .outerjoin(ShoutoutRow, ShoutoutRow.id == R.shoutout_id)
            .outerjoin(StoryRow, StoryRow.id == R.story_id)
            .where(R.workspace_id == workspace_id, R.recipient_id == user_id)
            .order_by(R.created_at, R.id)
        )
        return tuple(
            ReceivedRecognition(r.created_at, r.giver_id, r.kind, r.source, r[4] or "", r[5] or "")
            for r in rows
        )

    def _stories(self, workspace_id: int, user_id: str) -> tuple[SharedStory, ...]:
        stories = self.session.scalars(
            select(StoryRow)
            .where(StoryRow.workspace_id == workspace_id, StoryRow.author_id == user_id)
            .options(selectinload(StoryRow.principles))
            .order_by(StoryRow.created_at, StoryRow.id)
        ).all()
        credits: dict[int, list[str]] = {}
        for story_id, teammate in self.session.execute(
            select(RecognitionRow.story_id, RecognitionRow.recipient_id)
            .where(RecognitionRow.story_id.in_([s.id for s in stories]))
            .order_by(RecognitionRow.id)
        ):
            credits.setdefault(story_id, []).append(teammate)
        return tuple(
            SharedStory(
                at=s.created_at,
                title=s.title,
                customer=s.customer or "",
                body=s.body,
                kind=s.kind,
                teammates=tuple(credits.get(s.id, ())),
                principles=tuple(p.principle for p in s.principles),
            )
            for s in stories
        )

    def _applause(self, workspace_id: int, user_id: str) -> tuple[GivenApplause, ...]:
        A = ApplauseRow
        rows = self.session.execute(
            select(A.created_at, StoryRow.title, ShoutoutRow.reason)
            .outerjoin(StoryRow, StoryRow.id == A.story_id)
            .outerjoin(ShoutoutRow, ShoutoutRow.id == A.shoutout_id)
            .where(A.workspace_id == workspace_id, A.user_id == user_id)
            .order_by(A.created_at, A.id)
        )
        return tuple(GivenApplause(r[0], r[1] or "", r[2] or "") for r in rows)
