"""The unit of work: one transaction, the repositories that share it, and an explicit commit.

Implements `bot.domain.ports.UnitOfWork` (and its factory) for SQLAlchemy.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from storage.home import HomeRepository
from storage.insights import InsightsRepository
from storage.leaderboard import LeaderboardRepository
from storage.outbox import OutboxRepository
from storage.principles import PrincipleRepository
from storage.recognitions import EventRepository, RecognitionRepository
from storage.scheduling import PostRepository, TargetRepository
from storage.stories import ApplauseRepository, StoryRepository
from storage.workspaces import MemberRepository, WorkspaceRepository


class UnitOfWork:
    """Use as `with uow_factory() as uow: ...; uow.commit()`; leaving without commit rolls back."""

    workspaces: WorkspaceRepository
    members: MemberRepository
    recognitions: RecognitionRepository
    events: EventRepository
    outbox: OutboxRepository
    targets: TargetRepository
    posts: PostRepository
    principles: PrincipleRepository
    insights: InsightsRepository
    leaderboard: LeaderboardRepository
    stories: StoryRepository
    applause: ApplauseRepository
    home: HomeRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.workspaces = WorkspaceRepository(self.session)
        self.members = MemberRepository(self.session)
        self.recognitions = RecognitionRepository(self.session)
        self.events = EventRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.targets = TargetRepository(self.session)
        self.posts = PostRepository(self.session)
        self.principles = PrincipleRepository(self.session)
        self.insights = InsightsRepository(self.session)
        self.leaderboard = LeaderboardRepository(self.session)
        self.stories = StoryRepository(self.session)
        self.applause = ApplauseRepository(self.session)
        self.home = HomeRepository(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class UnitOfWorkFactory:
    """Makes a fresh unit of work per use; services take it as `uow=factory()`."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
