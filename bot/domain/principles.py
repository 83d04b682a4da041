"""The principle library as a workspace sees it: built-ins not switched off, plus its own."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import BravoError, NotFound
from bot.domain.library import LIBRARY
from bot.domain.ports import UnitOfWork

TITLE_MAX = 80
BUILTIN_SLUGS = frozenset(p.slug for p in LIBRARY)
EXPLANATION_MAX = 500


class PrincipleExists(BravoError):
    key = "principles.error.exists"


class PrincipleInvalid(BravoError):
    key = "principles.error.invalid"


@dataclass(frozen=True, slots=True)
class Principle:
    slug: str
    title: str
    explanation: str
    try_today: str | None
    source: str | None
    custom: bool = False
    enabled: bool = True


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 32:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def library(
    uow: UnitOfWork, workspace_id: int, language: str, *, include_off: bool = False
) -> list[Principle]:
    """Built-ins in library order, then the workspace's own, in `language`."""
    rows = uow.principles.for_workspace(workspace_id)
    result = []
    for p in LIBRARY:
        enabled = rows[p.slug].enabled if p.slug in rows else True
        if enabled or include_off:
            result.append(
                Principle(
                    p.slug,
                    p.title.get(language),
                    p.explanation.get(language),
                    p.try_today.get(language),
                    p.source.get(language),
                    False,
                    enabled,
                )
            )
    for row in rows.values():
        if row.custom and (row.enabled or include_off):
            result.append(
                Principle(
                    row.slug,
                    row.title or row.slug,
                    row.explanation or "",
                    None,
                    None,
                    True,
                    row.enabled,
                )
            )
    return result


def add_principle(
    uow: UnitOfWork, workspace_id: int, title: str, explanation: str, *, by: str, now: datetime
) -> str:
    """Add a workspace principle; returns its slug (its #tag)."""
    title, explanation = " ".join(title.split()), " ".join(explanation.split())
    slug = slugify(title)
    if not slug or len(title) > TITLE_MAX or not explanation or len(explanation) > EXPLANATION_MAX:
        raise PrincipleInvalid(title_max=TITLE_MAX, explanation_max=EXPLANATION_MAX)
    if any(p.slug == slug for p in LIBRARY) or not uow.principles.add_custom(
        workspace_id, slug, title, explanation, by=by, now=now
    ):
        raise PrincipleExists(slug=slug)
    return slug


def switch_principle(
    uow: UnitOfWork, workspace_id: int, slug: str, on: bool, *, by: str, now: datetime
) -> None:
    known = {p.slug for p in library(uow, workspace_id, "en", include_off=True)}
    if slug not in known:
        raise NotFound()
    uow.principles.set_enabled(workspace_id, slug, on, by=by, now=now)


def next_in_rotation(
    principles: list[Principle], last_posted: dict[str, datetime]
) -> Principle | None:
    """Never-posted principles first (in library order), then the least recently posted.

    So none repeats until every one has been posted in that channel.
    """
    if not principles:
        return None
    fresh = [p for p in principles if p.slug not in last_posted]
    if fresh:
        return fresh[0]
    return min(principles, key=lambda p: last_posted[p.slug])


def principle_slugs(team_id: str, *, uow: UnitOfWork) -> frozenset[str]:
    """The `#tags` that name a principle in this workspace: the built-ins it has not switched
    off, and its own."""
    with uow as tx:
        return principle_slugs_in(tx, team_id)


def principle_slugs_in(tx: UnitOfWork, team_id: str) -> frozenset[str]:
    """`principle_slugs` within a transaction the caller holds."""
    switches = tx.principles.switches(team_id)
    builtin = {p.slug for p in LIBRARY if switches.get(p.slug, True)}
    own = {slug for slug, on in switches.items() if on and slug not in BUILTIN_SLUGS}
    return frozenset(builtin | own)
