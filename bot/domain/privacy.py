"""Privacy (SPEC 2.4): forgetting a person on a workspace admin's request, and a person's own
data for `/bravo me export`.

Forgetting keeps every count: the person's recognitions, given and received, stay where they
are but carry a pseudonym instead of their id, so leaderboards, totals and other people's
numbers do not move. The pseudonym is a random token, not derived from the id, so nothing can
lead back from it to the person. It is drawn when the admin is asked to confirm and travels with
the confirmation button: the audit row it leaves makes a second press a no-op.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime

from bot.domain.admin import Admin
from bot.domain.clock import Clock
from bot.domain.errors import BravoError, NotAllowed
from bot.domain.model import Person, TeamRef, Workspace, WorkspaceDefaults
from bot.domain.people import resolve_people
from bot.domain.personal import PSEUDONYM_PREFIX, Erasure, Footprint, PersonalRecords
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.workspaces import ensure_workspace
from bot.i18n import translator

FORGET = "forget"  # the audit log's action
_PSEUDONYM = re.compile(rf"^{PSEUDONYM_PREFIX}[0-9a-f]{{8}}$")


class NotAnAdmin(NotAllowed):
    """Only workspace admins and owners may forget people (managers may not)."""

    key = "privacy.error.not_admin"


class UnknownPerson(BravoError):
    """Slack does not know the id and Bravo holds nothing about it (`user`)."""

    key = "privacy.error.unknown"


class StaleConfirmation(BravoError):
    """The confirmation button carries no usable pseudonym (forged, or from another request)."""

    key = "privacy.error.stale"


@dataclass(frozen=True, slots=True)
class ForgetPlan:
    """What forgetting `user_id` will do, shown to the admin before they confirm."""

    user_id: str
    name: str
    footprint: Footprint
    pseudonym: str
    language: str


@dataclass(frozen=True, slots=True)
class Forgotten:
    footprint: Footprint
    language: str
    again: bool = False  # the same confirmation was pressed before: nothing more was done


def plan_forget(who: Admin, user_id: str, *, uow: UnitOfWork, clock: Clock) -> ForgetPlan:
    """Check the admin, count what the person left, and draw the pseudonym to use."""
    now = clock.now()
    with uow:
        workspace = _require_admin(uow, who, now)
        person = who.directory.person(user_id)
        footprint = uow.privacy.footprint(workspace.id, user_id)
        if person is None and footprint.empty:
            raise UnknownPerson(user=user_id)
        pseudonym = _fresh_pseudonym(uow, workspace.id)
        uow.commit()
    name = person.name if person and person.name else user_id
    return ForgetPlan(user_id, name, footprint, pseudonym, workspace.language)


def forget_person(
    who: Admin, user_id: str, pseudonym: str, *, uow: UnitOfWork, clock: Clock
) -> Forgotten:
    """Erase or pseudonymise everything about `user_id`, in one transaction, once per pseudonym."""
    if not user_id or not _PSEUDONYM.match(pseudonym):
        raise StaleConfirmation()
    now = clock.now()
    person = who.directory.person(user_id)  # before the transaction: it may ask Slack
    names = (person.name,) if person and len(person.name or "") >= 2 else ()
    with uow:
        workspace = _require_admin(uow, who, now)
        uow.privacy.lock(workspace.id)
        earlier = uow.privacy.audited(workspace.id, FORGET, pseudonym)
        if earlier is not None:
            return Forgotten(Footprint(**json.loads(earlier)), workspace.language, again=True)
        if uow.privacy.in_use(workspace.id, pseudonym):
            raise StaleConfirmation()
        footprint = uow.privacy.footprint(workspace.id, user_id)
        _ = translator(workspace.language)
        itself = who.user == user_id
        erasure = Erasure(
            user_id=user_id,
            pseudonym=pseudonym,
            reason_placeholder=_("privacy.placeholder.reason"),
            story_placeholder=_("privacy.placeholder.story"),
            successor_admin=None if itself else who.user,
            names=names,
        )
        uow.privacy.erase(workspace.id, erasure)
        actor = pseudonym if itself else who.user  # forgetting yourself leaves no id either
        uow.privacy.audit(
            workspace.id, FORGET, actor, pseudonym, json.dumps(asdict(footprint)), now
        )
        uow.commit()
    return Forgotten(footprint, workspace.language)


def _require_admin(uow: UnitOfWork, who: Admin, now: datetime) -> Workspace:
    workspace = ensure_workspace(uow, who.team, who.defaults, now)
    person = resolve_people(uow, workspace.id, [who.user], directory=who.directory, now=now)
    asker = person.get(who.user)
    if not (asker and (asker.is_admin or asker.is_owner)):
        raise NotAnAdmin()
    return workspace


def _fresh_pseudonym(uow: UnitOfWork, workspace_id: int) -> str:
    while True:  # 8 hex digits: a clash is rare, but would merge two forgotten people's counts
        pseudonym = PSEUDONYM_PREFIX + secrets.token_hex(4)
        if not uow.privacy.in_use(workspace_id, pseudonym):
            return pseudonym


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Everything Bravo holds about one person in one workspace (`/bravo me export`)."""

    team_id: str
    user_id: str
    language: str
    exported_at: datetime
    profile: Person | None
    records: PersonalRecords


def personal_data(
    team: TeamRef,
    user_id: str,
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
) -> PersonalData:
    """The asker's own data: profile, shout-outs given and received, stories and applause."""
    now = clock.now()
    with uow:
        workspace = ensure_workspace(uow, team, defaults, now)
        profile = resolve_people(uow, workspace.id, [user_id], directory=directory, now=now)
        records = uow.privacy.records(workspace.id, user_id)
        uow.commit()
    return PersonalData(
        workspace.team_id, user_id, workspace.language, now, profile.get(user_id), records
    )
