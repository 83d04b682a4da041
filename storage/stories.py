"""Stories and applause: typed methods over one session. They never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from bot.domain.model import BravoPost, Kind, NewStory, Source, StoryCard, TopStory
from storage.dialect import dialect_insert
from storage.models import (
    ApplauseRow,
    RecognitionPrincipleRow,
    RecognitionRow,
    ShoutoutRow,
    StoryPrincipleRow,
    StoryRow,
    WorkspaceRow,
)


class StoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, workspace_id: int, story: NewStory, now: datetime) -> int | None:
        """Store a story and credit each teammate with a recognition; None when this modal
        (its view id) was stored already, so a double submission stores one story."""
        story_id = self.session.scalar(
            dialect_insert(self.session, StoryRow)
            .values(
                workspace_id=workspace_id,
                view_id=story.view_id,
                author_id=story.author,
                title=story.title,
                customer=story.customer,
                body=story.body,
                kind=story.kind.kind.value,
                kind_source=story.kind.source.value,
                kind_keyword=story.kind.keyword,
                channel_id=story.channel_id,
                source_permalink=story.source_permalink,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "view_id"])
            .returning(StoryRow.id)
        )
        if story_id is None:
            return None
        self.session.add_all(
            StoryPrincipleRow(story_id=story_id, principle=p, workspace_id=workspace_id, position=i)
            for i, p in enumerate(story.principles)
        )
        for teammate in story.teammates:
            recognition = RecognitionRow(
                workspace_id=workspace_id,
                story_id=story_id,
                giver_id=story.author,
                recipient_id=teammate,
                kind=story.kind.kind.value,
                channel_id=story.channel_id,
                source=Source.STORY.value,
                created_at=now,
            )
            recognition.principles = [
                RecognitionPrincipleRow(
                    principle=p, workspace_id=workspace_id, position=i, created_at=now
                )
                for i, p in enumerate(story.principles)
            ]
            self.session.add(recognition)
        self.session.flush()
        return story_id

    def by_view(self, workspace_id: int, view_id: str) -> int | None:
        return self.session.scalar(
            select(StoryRow.id).where(
                StoryRow.workspace_id == workspace_id, StoryRow.view_id == view_id
            )
        )

    def card(self, story_id: int) -> StoryCard:
        row = self.session.scalars(
            select(StoryRow)
            .where(StoryRow.id == story_id)
            .options(selectinload(StoryRow.principles))
        ).one()
        teammates = self.session.scalars(
            select(RecognitionRow.recipient_id)
            .where(RecognitionRow.story_id == story_id)
            .order_by(RecognitionRow.id)
        )
        language = self.session.scalar(
            select(WorkspaceRow.language).where(WorkspaceRow.id == row.workspace_id)
        )
        applause = self.session.scalar(
            select(func.count(ApplauseRow.id)).where(ApplauseRow.story_id == story_id)
        )
        return StoryCard(
            id=row.id,
            author=row.author_id,
            title=row.title,
            body=row.body,
            kind=Kind(row.kind),
            created_at=row.created_at,
            language=language or "en",
            customer=row.customer,
            teammates=tuple(teammates),
            principles=tuple(p.principle for p in row.principles),
            channel_id=row.channel_id,
            message_channel=row.message_channel,
            message_ts=row.message_ts,
            permalink=row.permalink,
            source_permalink=row.source_permalink,
            applause=applause or 0,
        )

    def set_message(self, story_id: int, channel: str, ts: str) -> None:
        """Where the card was posted, so applause on it can be found."""
        self.session.execute(
            update(StoryRow)
            .where(StoryRow.id == story_id)
            .values(message_channel=channel, message_ts=ts)
        )

    def set_permalink(self, story_id: int, permalink: str) -> None:
        self.session.execute(
            update(StoryRow).where(StoryRow.id == story_id).values(permalink=permalink)
        )

    def top_stories(
        self, workspace_id: int, since: datetime, until: datetime, limit: int = 3
    ) -> list[TopStory]:
        """Stories shared in [since, until), most applauded first (then the earliest)."""
        applause = func.count(ApplauseRow.id).label("applause")
        rows = self.session.execute(
            select(
                StoryRow.id,
                StoryRow.title,
                StoryRow.author_id,
                applause,
                StoryRow.permalink,
                StoryRow.kind,
                StoryRow.customer,
            )
            .outerjoin(ApplauseRow, ApplauseRow.story_id == StoryRow.id)
            .where(
                StoryRow.workspace_id == workspace_id,
                StoryRow.created_at >= since,
                StoryRow.created_at < until,
            )
            .group_by(StoryRow.id)
            .order_by(applause.desc(), StoryRow.created_at, StoryRow.id)
            .limit(limit)
        )
        return [
            TopStory(
                id=r.id,
                title=r.title,
                author=r.author_id,
                applause=r.applause,
                permalink=r.permalink,
                kind=Kind(r.kind),
                customer=r.customer,
            )
            for r in rows
        ]

    def stories_count(
        self, workspace_id: int, since: datetime, until: datetime, *, author: str | None = None
    ) -> int:
        """Stories shared in [since, until), by `author` when given."""
        query = select(func.count(StoryRow.id)).where(
            StoryRow.workspace_id == workspace_id,
            StoryRow.created_at >= since,
            StoryRow.created_at < until,
        )
        if author is not None:
            query = query.where(StoryRow.author_id == author)
        return self.session.scalar(query) or 0


class ApplauseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def post(self, workspace_id: int, channel: str, ts: str) -> BravoPost | None:
        """The Bravo post at (channel, ts): a story card or a shout-out announcement."""
        story = self.session.execute(
            select(StoryRow.id, StoryRow.author_id).where(
                StoryRow.workspace_id == workspace_id,
                StoryRow.message_channel == channel,
                StoryRow.message_ts == ts,
            )
        ).first()
        if story is not None:
            teammates = self.session.scalars(
                select(RecognitionRow.recipient_id).where(RecognitionRow.story_id == story.id)
            )
            owners = frozenset({story.author_id, *teammates})
            return BravoPost(channel, ts, owners, story_id=story.id)
        shoutout = self.session.execute(
            select(ShoutoutRow.id, ShoutoutRow.giver_id).where(
                ShoutoutRow.workspace_id == workspace_id,
                ShoutoutRow.message_channel == channel,
                ShoutoutRow.message_ts == ts,
            )
        ).first()
        if shoutout is None:
            return None
        recipients = self.session.scalars(
            select(RecognitionRow.recipient_id).where(RecognitionRow.shoutout_id == shoutout.id)
        )
        owners = frozenset({shoutout.giver_id, *recipients})
        return BravoPost(channel, ts, owners, shoutout_id=shoutout.id)

    def add(self, workspace_id: int, post: BravoPost, user: str, at: datetime) -> bool:
        """Record one person's applause; False when they had applauded this post already."""
        added = self.session.scalar(
            dialect_insert(self.session, ApplauseRow)
            .values(
                workspace_id=workspace_id,
                message_channel=post.channel,
                message_ts=post.ts,
                user_id=user,
                story_id=post.story_id,
                shoutout_id=post.shoutout_id,
                created_at=at,
            )
            .on_conflict_do_nothing(
                index_elements=["workspace_id", "message_channel", "message_ts", "user_id"]
            )
            .returning(ApplauseRow.id)
        )
        return added is not None

    def remove(self, workspace_id: int, post: BravoPost, user: str) -> bool:
        """Take one person's applause back; False when there was none."""
        removed = self.session.execute(
            delete(ApplauseRow)
            .where(
                ApplauseRow.workspace_id == workspace_id,
                ApplauseRow.message_channel == post.channel,
                ApplauseRow.message_ts == post.ts,
                ApplauseRow.user_id == user,
            )
            .returning(ApplauseRow.id)
        ).first()
        return removed is not None

    def has(self, workspace_id: int, post: BravoPost, user: str) -> bool:
        return (
            self.session.scalar(
                select(ApplauseRow.id).where(
                    ApplauseRow.workspace_id == workspace_id,
                    ApplauseRow.message_channel == post.channel,
                    ApplauseRow.message_ts == post.ts,
                    ApplauseRow.user_id == user,
                )
            )
            is not None
        )

    def count(self, workspace_id: int, channel: str, ts: str) -> int:
        return (
            self.session.scalar(
                select(func.count(ApplauseRow.id)).where(
                    ApplauseRow.workspace_id == workspace_id,
                    ApplauseRow.message_channel == channel,
                    ApplauseRow.message_ts == ts,
                )
            )
            or 0
        )
