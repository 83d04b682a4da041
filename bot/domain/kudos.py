"""The shout-out rules of SPEC 2.1, Slack-free: who may be recognised, why, and how often."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.clock import Clock, local_day_bounds
from bot.domain.errors import (
    AllowanceExhausted,
    GroupTooLarge,
    InvalidRecipients,
    NoRecipients,
    NotAllowed,
    NotFound,
    ReasonTooLong,
    ReasonTooShort,
    SelfRecognition,
    TooManyRecipients,
    UnknownGroup,
    UnknownRecipients,
)
from bot.domain.kinds import decide_kind
from bot.domain.model import (
    GiveKudos,
    Kind,
    KindDecision,
    KindSource,
    KudosGiven,
    OutboxTopic,
    Person,
    Source,
    TeamRef,
    Workspace,
    WorkspaceDefaults,
)
from bot.domain.people import cached_people, resolve_people
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.principles import principle_slugs_in
from bot.domain.workspaces import ensure_workspace

REASON_MIN = 10
REASON_MAX = 1000
MAX_RECIPIENTS = 25  # also the cap on a user group's expansion
SLACKBOT = "USLACKBOT"
# Thanks given by reacting or joining in are not announced on their own: the conversation
# already shows them (one threaded reply, or "Also thanked by" on the announcement).
UNANNOUNCED = frozenset({Source.REACTION, Source.JOIN})
# Called inside the shout-out's transaction with (uow, workspace id, shout-out id, now).
AfterStore = Callable[[UnitOfWork, int, int, datetime], None]


@dataclass(frozen=True, slots=True)
class Recipients:
    ids: tuple[str, ...]
    dropped_self: bool


def check_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN:
        raise ReasonTooShort(minimum=REASON_MIN, length=len(reason))
    if len(reason) > REASON_MAX:
        raise ReasonTooLong(maximum=REASON_MAX, length=len(reason))
    return reason


def expand_recipients(cmd: GiveKudos, directory: Directory) -> Recipients:
    """Mentions plus user-group members, deduplicated, in order, without the giver."""
    ids = list(cmd.user_ids)
    for group_id in cmd.group_ids:
        members = directory.group_members(group_id)
        if members is None:
            raise UnknownGroup(group=group_id)
        members = [m for m in members if m != cmd.giver]
        if len(members) > MAX_RECIPIENTS:
            raise GroupTooLarge(group=group_id, size=len(members), maximum=MAX_RECIPIENTS)
        ids.extend(members)
    unique = list(dict.fromkeys(ids))
    dropped_self = cmd.giver in unique
    unique = [i for i in unique if i != cmd.giver]
    if not unique:
        raise SelfRecognition() if dropped_self else NoRecipients()
    if len(unique) > MAX_RECIPIENTS:
        raise TooManyRecipients(count=len(unique), maximum=MAX_RECIPIENTS)
    return Recipients(tuple(unique), dropped_self)


def check_people(
    recipients: Recipients, people: dict[str, Person | None], from_groups: set[str]
) -> tuple[str, ...]:
    """Refuse bots, apps, deactivated and unknown people named directly; a group's are skipped."""
    unknown, bots, gone, keep = [], [], [], []
    for user_id in recipients.ids:
        person = people.get(user_id)
        named = user_id not in from_groups
        if person is None:
            (unknown if named else []).append(user_id)
        elif person.is_bot or user_id == SLACKBOT:
            (bots if named else []).append(user_id)
        elif person.deleted:
            (gone if named else []).append(user_id)
        else:
            keep.append(user_id)
    if bots or gone:
        raise InvalidRecipients(bots=bots, deactivated=gone)
    if unknown:
        raise UnknownRecipients(users=unknown)
    if not keep:
        raise NoRecipients()
    return tuple(keep)


def give_kudos(
    cmd: GiveKudos,
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
    after: AfterStore | None = None,
) -> KudosGiven:
    """Apply every rule, then store the shout-out, its announcement and DMs in one transaction.

    The allowance is counted and the shout-out stored in one serialised transaction, so
    simultaneous requests cannot overspend it, and a request seen before (`cmd.request_key`,
    `cmd.event_id`) is answered without storing again; people come from the member cache in
    that transaction, or when Slack must be asked, from a lookup before it. `after` stores what
    the caller links to a new shout-out, in that transaction.
    """
    return _give(cmd.team, cmd, uow, clock, directory, defaults, after)


def give_typed_kudos(
    team: TeamRef,
    parse: Callable[[frozenset[str]], GiveKudos],
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
    after: AfterStore | None = None,
) -> KudosGiven:
    """`give_kudos` for typed text, whose `#tags` are principles or words depending on the
    workspace: `parse` gets the workspace's principle slugs, read in the same transaction as
    the workspace and the people (one transaction in all when the people are cached: the hot
    path of every `/kudos`)."""
    return _give(team, parse, uow, clock, directory, defaults, after)


def _give(
    team: TeamRef,
    command: GiveKudos | Callable[[frozenset[str]], GiveKudos],
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
    after: AfterStore | None,
) -> KudosGiven:
    now = clock.now()
    # Most often everyone named is in the member cache and no group is named: then the rules
    # are checked and the shout-out stored in one serialised transaction (each transaction
    # costs about 150 µs before its statements; on SQLite simultaneous ones share one, each in
    # a savepoint). Otherwise Slack is asked first, outside it.
    if not (isinstance(command, GiveKudos) and command.group_ids):  # a group: Slack is asked

        def at_once(tx: UnitOfWork) -> KudosGiven | None:
            staged = _stage(team, command, tx, defaults, now, directory=None)
            return None if staged is None else _store(tx, staged, now, after)

        if (given := uow.run_serialized(at_once)) is not None:
            return given
    with uow:
        staged = _stage(team, command, uow, defaults, now, directory=directory)
        uow.commit()
    with uow.serialized():
        given = _store(uow, staged, now, after)
        uow.commit()
    return given


@dataclass(frozen=True, slots=True)
class _Staged:
    workspace: Workspace
    cmd: GiveKudos
    reason: str
    kind: KindDecision
    recipients: Recipients
    people: dict[str, Person | None]
    final: tuple[str, ...]


def _stage(
    team: TeamRef,
    command: GiveKudos | Callable[[frozenset[str]], GiveKudos],
    uow: UnitOfWork,
    defaults: WorkspaceDefaults,
    now: datetime,
    *,
    directory: Directory | None,
) -> _Staged | None:
    """Every rule but the allowance, in the caller's transaction; with no `directory`, None
    when Slack would have to be asked (a group named, someone not in the member cache) or the
    workspace is new or was deactivated (made or reactivated in the lookup's transaction, which
    commits it whatever the shout-out's fate)."""
    if directory is None:
        workspace = uow.workspaces.by_team(team.team_id)
        if workspace is None or not workspace.active:
            return None
    else:
        workspace = ensure_workspace(uow, team, defaults, now)
    if isinstance(command, GiveKudos):
        cmd = command
    else:
        cmd = command(principle_slugs_in(uow, team.team_id))
    reason = check_reason(cmd.reason)
    if directory is None and cmd.group_ids:
        return None
    recipients = expand_recipients(cmd, directory)  # type: ignore[arg-type]  # no groups
    kind = decide_kind(reason, cmd.kind, chosen=cmd.source is Source.MODAL)
    wanted = (cmd.giver, *recipients.ids)
    if directory is None:
        people = cached_people(uow, workspace.id, wanted, now=now)
        if people is None:
            return None
    else:
        people = resolve_people(uow, workspace.id, wanted, directory=directory, now=now)
    from_groups = set(recipients.ids) - set(cmd.user_ids)
    final = check_people(recipients, people, from_groups)
    return _Staged(workspace, cmd, reason, kind, recipients, people, final)


def _store(uow: UnitOfWork, staged: _Staged, now: datetime, after: AfterStore | None) -> KudosGiven:
    """The allowance counted and the shout-out stored, in the caller's serialised transaction."""
    workspace, cmd = staged.workspace, staged.cmd
    uow.members.lock(workspace.id, cmd.giver)  # PostgreSQL; SQLite's lock is the BEGIN
    remaining = _remaining(uow, workspace, cmd.giver, staged.people.get(cmd.giver), now)
    given = KudosGiven(
        shoutout_id=0,
        giver=cmd.giver,
        recipients=staged.final,
        kind=staged.kind,
        principles=cmd.principles,
        dropped_self=staged.recipients.dropped_self,
        allowance=workspace.allowance,
        remaining=remaining.count,
        language=workspace.language,
    )
    given = _record(uow, workspace.id, cmd, staged.reason, given, remaining, now)
    if after is not None and not given.replayed:
        after(uow, workspace.id, given.shoutout_id, now)
    return given


def _record(
    uow: UnitOfWork,
    workspace_id: int,
    cmd: GiveKudos,
    reason: str,
    given: KudosGiven,
    remaining: _Remaining,
    now: datetime,
) -> KudosGiven:
    """Store the shout-out within the allowance; a replayed request gets the first answer."""
    key = cmd.request_key
    earlier = uow.recognitions.shoutout_for_request(workspace_id, key) if key else None
    if earlier is not None:
        return replace(given, shoutout_id=earlier, replayed=True)
    if cmd.event_id and not uow.events.first_delivery(workspace_id, cmd.event_id, now):
        return replace(given, replayed=True)  # Slack's retry of an event handled before
    final = given.recipients
    if len(final) > remaining.count:
        raise AllowanceExhausted(
            allowance=given.allowance,
            remaining=remaining.count,
            requested=len(final),
            resets_at=remaining.resets_at,
        )
    shoutout_id = uow.recognitions.add_shoutout(
        workspace_id,
        giver=cmd.giver,
        recipients=final,
        reason=reason,
        kind=given.kind,
        principles=cmd.principles,
        source=cmd.source,
        channel_id=cmd.channel_id,
        now=now,
        request_key=key,
    )
    if shoutout_id is None:  # stored meanwhile: the serialised transaction makes this rare
        return replace(given, replayed=True)
    outbox = _enqueue(uow, workspace_id, shoutout_id, cmd, final, now)
    return replace(
        given, shoutout_id=shoutout_id, remaining=remaining.count - len(final), outbox_ids=outbox
    )


@dataclass(frozen=True, slots=True)
class _Remaining:
    count: int
    resets_at: datetime


def _remaining(
    uow: UnitOfWork, workspace: Workspace, giver_id: str, giver: Person | None, now: datetime
) -> _Remaining:
    """How many recipients the giver may still recognise today, in the giver's own time zone."""
    workspace_tz = workspace.timezone
    tz = (giver.tz if giver and giver.tz else None) or workspace_tz
    try:
        start, end = local_day_bounds(now, tz)
    except (KeyError, ValueError):  # Slack sent a zone this machine's tz database lacks
        start, end = local_day_bounds(now, workspace_tz)
    used = uow.recognitions.count_given_since(workspace.id, giver_id, start)
    return _Remaining(max(workspace.allowance - used, 0), end)


def _enqueue(
    uow: UnitOfWork,
    workspace_id: int,
    shoutout_id: int,
    cmd: GiveKudos,
    recipients: tuple[str, ...],
    now: datetime,
) -> tuple[int, ...]:
    messages = [
        (OutboxTopic.KUDOS_DM, recipient, shoutout_id, None, None) for recipient in recipients
    ]
    if cmd.channel_id and cmd.source not in UNANNOUNCED:
        messages.insert(
            0,
            (
                OutboxTopic.KUDOS_ANNOUNCEMENT,
                cmd.channel_id,
                shoutout_id,
                None,
                cmd.reply_url,
                cmd.thread_ts,
            ),
        )
    return tuple(uow.outbox.add_many(messages, workspace_id, now))


def switch_kind(team: TeamRef, shoutout_id: int, kind: Kind, *, by: str, uow: UnitOfWork) -> str:
    """Let the giver recount a shout-out as success or recovery; returns the workspace language."""
    with uow:
        workspace = uow.workspaces.by_team(team.team_id)
        owner = uow.recognitions.shoutout_owner(workspace.id, shoutout_id) if workspace else None
        if owner is None:
            raise NotFound()
        if owner != by:
            raise NotAllowed()
        uow.recognitions.set_kind(shoutout_id, KindDecision(kind, KindSource.CHOICE))
        uow.commit()
    return workspace.language
