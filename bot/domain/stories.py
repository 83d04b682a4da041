"""Customer success stories (SPEC 2.2), Slack-free: checks, storing, crediting each teammate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.clock import Clock
from bot.domain.errors import BravoError
from bot.domain.kinds import decide_kind
from bot.domain.kudos import SLACKBOT
from bot.domain.model import (
    NewStory,
    OutboxTopic,
    Person,
    StoryDraft,
    StoryShared,
    TeamRef,
    Workspace,
    WorkspaceDefaults,
)
from bot.domain.people import resolve_people
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.principles import Principle, library
from bot.domain.workspaces import ensure_workspace
from bot.i18n import DEFAULT

TITLE_MAX = 150
CUSTOMER_MAX = 150
BODY_MIN, BODY_MAX = 20, 3000
TEAMMATES_MAX = 20
PRINCIPLES_MAX = 3


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one field: a catalog key and the values its message needs."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


class StoryInvalid(BravoError):
    """One or more fields of a story are not acceptable; `problems` maps field name to Problem.

    Fields: title, customer, body, teammates, principles, channel.
    """

    key = "story.error.invalid"

    def __init__(self, problems: Mapping[str, Problem]) -> None:
        super().__init__(fields=", ".join(problems))
        self.problems = dict(problems)


@dataclass(frozen=True, slots=True)
class FormContext:
    """What the kudos and story modals offer: the workspace's principles and stories channel."""

    language: str
    principles: tuple[Principle, ...]
    stories_channel: str | None = None


def form_context(team: TeamRef, *, uow: UnitOfWork, defaults: WorkspaceDefaults) -> FormContext:
    """Read-only: a workspace Bravo has not seen yet gets the defaults and the built-ins."""
    with uow:
        workspace = uow.workspaces.by_team(team.team_id)
        language = workspace.language if workspace else (defaults.language or DEFAULT)
        principles = library(uow, workspace.id if workspace else -1, language)
    return FormContext(
        language=language,
        principles=tuple(principles),
        stories_channel=workspace.stories_channel if workspace else defaults.stories_channel,
    )


def people_names(
    team: TeamRef,
    user_ids: tuple[str, ...],
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
) -> dict[str, str]:
    """Names for the people a message mentions, so its text reads `@Bo Berg` in the modal."""
    if not user_ids:
        return {}
    now = clock.now()
    with uow:
        workspace = ensure_workspace(uow, team, defaults, now)
        people = resolve_people(uow, workspace.id, user_ids, directory=directory, now=now)
        uow.commit()
    return {user_id: p.name for user_id, p in people.items() if p and p.name}


@dataclass(frozen=True, slots=True)
class _Checked:
    title: str
    customer: str | None
    body: str
    teammates: tuple[str, ...]
    principles: tuple[str, ...]
    dropped_self: bool


def check_story(draft: StoryDraft) -> tuple[_Checked, dict[str, Problem]]:
    """The text rules, all at once, so the modal can show every problem in one go."""
    title = " ".join(draft.title.split())
    customer = " ".join(draft.customer.split())
    body = draft.body.strip()
    teammates = tuple(dict.fromkeys(draft.teammates))
    principles = tuple(dict.fromkeys(draft.principles))
    problems: dict[str, Problem] = {}
    if not title:
        problems["title"] = Problem("story.error.title_missing")
    elif len(title) > TITLE_MAX:
        problems["title"] = Problem(
            "story.error.too_long", {"maximum": TITLE_MAX, "length": len(title)}
        )
    if len(customer) > CUSTOMER_MAX:
        problems["customer"] = Problem(
            "story.error.too_long", {"maximum": CUSTOMER_MAX, "length": len(customer)}
        )
    if len(body) < BODY_MIN:
        problems["body"] = Problem(
            "story.error.body_short", {"minimum": BODY_MIN, "length": len(body)}
        )
    elif len(body) > BODY_MAX:
        problems["body"] = Problem(
            "story.error.too_long", {"maximum": BODY_MAX, "length": len(body)}
        )
    dropped_self = draft.author in teammates
    teammates = tuple(t for t in teammates if t != draft.author)
    if len(teammates) > TEAMMATES_MAX:
        problems["teammates"] = Problem(
            "story.error.teammates_many", {"maximum": TEAMMATES_MAX, "count": len(teammates)}
        )
    if len(principles) > PRINCIPLES_MAX:
        problems["principles"] = Problem(
            "story.error.principles_many", {"maximum": PRINCIPLES_MAX, "count": len(principles)}
        )
    checked = _Checked(title, customer or None, body, teammates, principles, dropped_self)
    return checked, problems


def check_teammates(
    teammates: tuple[str, ...], people: Mapping[str, Person | None]
) -> Problem | None:
    """Bots, apps, deactivated and unknown people cannot be credited; names them."""
    refused = [
        p.name or p.user_id
        for t in teammates
        if (p := people.get(t)) and (p.is_bot or p.deleted or t == SLACKBOT)
    ]
    if refused:
        return Problem("story.error.teammates_invalid", {"people": tuple(refused)})
    unknown = [t for t in teammates if people.get(t) is None]
    if unknown:
        return Problem("story.error.teammates_unknown", {"people": tuple(unknown)})
    return None


def share_story(
    draft: StoryDraft,
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
) -> StoryShared:
    """Check everything, then store the story, its credits, its card and the DMs at once."""
    checked, problems = check_story(draft)
    kind = decide_kind(f"{checked.title}\n{checked.body}", draft.kind, chosen=True)
    now = clock.now()
    with uow:
        workspace = ensure_workspace(uow, draft.team, defaults, now)
        channel = draft.channel_id or workspace.stories_channel or draft.origin_channel
        if channel is None:
            problems["channel"] = Problem("story.error.no_channel")
        if checked.teammates and "teammates" not in problems:
            people = resolve_people(
                uow, workspace.id, checked.teammates, directory=directory, now=now
            )
            if problem := check_teammates(checked.teammates, people):
                problems["teammates"] = problem
        if problems:
            raise StoryInvalid(problems)
        story = NewStory(
            view_id=draft.view_id,
            author=draft.author,
            title=checked.title,
            customer=checked.customer,
            body=checked.body,
            kind=kind,
            principles=checked.principles,
            teammates=checked.teammates,
            channel_id=channel,
            source_permalink=draft.source_permalink,
        )
        story_id = uow.stories.add(workspace.id, story, now)
        if story_id is None:
            return _already_shared(uow, workspace, draft)
        reply_url = draft.reply_url if channel == draft.channel_id else None
        outbox = _enqueue(uow, workspace.id, story_id, story, reply_url, now)
        uow.commit()
    return StoryShared(
        story_id=story_id,
        author=draft.author,
        teammates=checked.teammates,
        kind=kind.kind,
        channel_id=channel,
        language=workspace.language,
        dropped_self=checked.dropped_self,
        no_stories_channel=workspace.stories_channel is None,
        outbox_ids=outbox,
    )


def _already_shared(uow: UnitOfWork, workspace: Workspace, draft: StoryDraft) -> StoryShared:
    """The same modal submitted again: report the story stored the first time."""
    story_id = uow.stories.by_view(workspace.id, draft.view_id)
    assert story_id is not None  # the insert conflicted on exactly this view id
    card = uow.stories.card(story_id)
    return StoryShared(
        story_id=story_id,
        author=card.author,
        teammates=card.teammates,
        kind=card.kind,
        channel_id=card.channel_id,
        language=workspace.language,
        no_stories_channel=workspace.stories_channel is None,
        duplicate=True,
    )


def _enqueue(
    uow: UnitOfWork,
    workspace_id: int,
    story_id: int,
    story: NewStory,
    reply_url: str | None,
    now: datetime,
) -> tuple[int, ...]:
    ids = []
    if story.channel_id:
        ids.append(
            uow.outbox.add(
                workspace_id,
                OutboxTopic.STORY_CARD,
                story.channel_id,
                now,
                story_id=story_id,
                reply_url=reply_url,
            )
        )
    for teammate in story.teammates:
        ids.append(
            uow.outbox.add(workspace_id, OutboxTopic.STORY_DM, teammate, now, story_id=story_id)
        )
    return tuple(ids)
