"""Success or recovery: the transparent keyword rule (English and Dutch)."""

from __future__ import annotations

import re

from bot.domain.model import Kind, KindDecision, KindSource

# Word stems that signal a recognition for putting something right. Matched at the start of a
# word, case-insensitively, so "fixed", "fixing" and "opgeloste" all count. Kept short and
# visible on purpose: the confirmation names the word that decided, and a button switches it.
RECOVERY_STEMS: tuple[str, ...] = (
    # English
    "fix",
    "resolv",
    "solv",
    "outage",
    "complain",
    "complaint",
    "bug",
    "incident",
    "escalat",
    "broke",
    "error",
    "crash",
    "downtime",
    "apolog",
    "refund",
    "recover",
    "restor",
    "mistake",
    "problem",
    "issue",
    "fault",
    "fail",
    "defect",
    "angry",
    "upset",
    "frustrat",
    "delay",
    "rescu",
    "firefight",
    "workaround",
    "hotfix",
    "rollback",
    "sorted out",
    # Dutch
    "opgelost",
    "oplos",
    "storing",
    "klacht",
    "fout",
    "probleem",
    "problemen",
    "verholpen",
    "hersteld",
    "herstel",
    "excuus",
    "excuses",
    "boos",
    "boze",
    "ontevreden",
    "vertraging",
    "kapot",
    "gerepareerd",
    "repareer",
    "escalatie",
    "geëscaleerd",
    "misgegaan",
    "misging",
    "gecrasht",
    "terugbetaal",
    "gecompenseerd",
    "rechtgezet",
    "recht gezet",
)

_PATTERN = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(s) for s in sorted(RECOVERY_STEMS, key=len, reverse=True))
    + r")\w*",
    re.IGNORECASE,
)

# "faultless", "foutloos", "storingsvrij": the word says the problem did not happen.
_NEGATIONS = ("less", "loos", "loze", "vrij", "free")

TAGS: dict[str, Kind] = {
    "success": Kind.SUCCESS,
    "succes": Kind.SUCCESS,
    "recovery": Kind.RECOVERY,
    "herstel": Kind.RECOVERY,
}


def decide_kind(reason: str, explicit: Kind | None, *, chosen: bool = False) -> KindDecision:
    """An explicit tag or choice wins; otherwise the first recovery word found; else success."""
    if explicit is not None:
        return KindDecision(explicit, KindSource.CHOICE if chosen else KindSource.TAG)
    for match in _PATTERN.finditer(reason):
        word = match.group(0).lower()
        if not word.endswith(_NEGATIONS) and not reason[match.end() :].startswith("-free"):
            return KindDecision(Kind.RECOVERY, KindSource.KEYWORD, word)
    return KindDecision(Kind.SUCCESS, KindSource.DEFAULT)
