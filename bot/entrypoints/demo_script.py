"""What happens in `bravo demo`'s week at Acme Support, in English and in Dutch.

Sunday evening the admin sets the channels; Monday to Friday people give kudos (by command and
through the modal, switching one's kind), share a story that gets applause, run into the rules,
and the clock posts the daily principle and Friday's digest. Friday afternoon a member and a
manager look at the leaderboard, someone checks `/bravo me`, and both open App Home. Each step
says what it should add to the database, so the demo can check its own outcome for any number
of days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHANNELS = {
    "en": {"C0SUPPORT": "support", "C0LOVE": "customer-love", "C0STORIES": "stories"},
    "nl": {"C0SUPPORT": "support", "C0LOVE": "klantgeluk", "C0STORIES": "verhalen"},
}
PEOPLE = {
    "U0ANA": ("Ana de Wit", "Europe/Amsterdam", {"is_admin": True}),
    "U0BO": ("Bo Jansen", "Europe/Amsterdam", {}),
    "U0CY": ("Cy Okafor", "Europe/London", {}),
    "U0DEE": ("Dee Visser", "Europe/Amsterdam", {}),
    "U0EVA": ("Eva Lindqvist", "Europe/Stockholm", {}),
    "U0FINN": ("Finn Bakker", "America/New_York", {}),
}
MANAGER = "U0ANA"  # a workspace admin, so a Bravo manager


@dataclass(frozen=True)
class Step:
    """One thing that happens, at local Amsterdam time ("2026-11-23 09:12").

    what: command | kudos_modal | switch | story | applause | tick | export | home
    adds: what the step should add to the demo's tallies (see `demo.tallies`).
    """

    at: str
    what: str
    user: str = ""
    text: str = ""
    extra: dict = field(default_factory=dict)
    adds: dict = field(default_factory=dict)

    @property
    def day(self) -> str:
        return self.at[:10]


def _texts(language: str) -> dict[str, str]:
    return (_NL if language == "nl" else _EN).copy()


_EN = {
    "love": "customer-love",
    "stories": "stories",
    "renewal": "for turning a cancellation call into a renewal by listening first #their-way",
    "invoice": "fixed the invoice bug for Jansen BV before they even noticed",
    "email": "remembered that Mr de Vries prefers email and sent the update there #their-way",
    "self": "for answering forty tickets today",
    "parcel": "calmed Mrs Bakker down after her parcel went missing and had a new one out the "
    "same day",
    "story_title": "Saved the Jansen renewal",
    "story_body": "Jansen was about to cancel after a rough migration. Bo called them back "
    "within the hour, Dee walked their team through the new export, and they renewed for two "
    "years.",
    "csat": "for a week of 98% CSAT, <!channel> take note &amp; celebrate",
    "outage": "solved the login outage calmly and kept customers posted every hour",
    "short": "thanks",
    "rota": "for the smoothest holiday rota we have had",
    "cover": "for covering my calls this morning",
}
_NL = {
    "love": "klantgeluk",
    "stories": "verhalen",
    "renewal": "omdat ze van een opzegging een verlenging maakte door eerst te luisteren "
    "#their-way",
    "invoice": "heeft de factuurfout voor Jansen BV opgelost voordat ze het merkten",
    "email": "wist nog dat meneer De Vries liever mailt en stuurde de update per e-mail #their-way",
    "self": "omdat ik vandaag veertig tickets heb beantwoord",
    "parcel": "stelde mevrouw Bakker gerust toen haar pakket zoek was en liet dezelfde dag een "
    "nieuw versturen",
    "story_title": "De verlenging van Jansen gered",
    "story_body": "Jansen stond op het punt op te zeggen na een moeizame migratie. Bo belde "
    "binnen het uur terug, Dee liep met hun team de nieuwe export door, en ze verlengden voor "
    "twee jaar.",
    "csat": "voor een week met 98% klanttevredenheid, <!channel> vier het mee &amp; neem het over",
    "outage": "loste de storing bij het inloggen rustig op en hield klanten elk uur op de hoogte",
    "short": "bedankt",
    "rota": "voor het soepelste vakantierooster dat we ooit hadden",
    "cover": "omdat jullie vanochtend mijn gesprekken overnamen",
}


def week(language: str) -> tuple[Step, ...]:
    """The demo's week in `language`: Sunday's set-up, then Monday to Friday."""
    t = _texts(language)
    love, stories = f"<#C0LOVE|{t['love']}>", f"<#C0STORIES|{t['stories']}>"
    principle = {"principles": 1}
    return (
        Step("2026-11-22 18:00", "command", "U0ANA", f"/bravo set principle-channel {love}"),
        Step("2026-11-22 18:01", "command", "U0ANA", f"/bravo set digest-channel {love}"),
        Step("2026-11-22 18:02", "command", "U0ANA", f"/bravo set stories-channel {stories}"),
        # Monday
        Step("2026-11-23 09:00", "tick", adds=principle),
        Step(
            "2026-11-23 09:12",
            "command",
            "U0ANA",
            f"/kudos <@U0BO|bo> <@U0CY> {t['renewal']}",
            adds={"recognitions": 2},
        ),
        Step(
            "2026-11-23 11:40",
            "command",
            "U0BO",
            f"/kudos <@U0DEE> {t['invoice']}",
            adds={"recognitions": 1},
        ),
        # Tuesday
        Step("2026-11-24 09:00", "tick", adds=principle),
        Step(
            "2026-11-24 10:05",
            "command",
            "U0CY",
            f"/kudos <@U0EVA> {t['email']}",
            adds={"recognitions": 1},
        ),
        Step("2026-11-24 14:30", "command", "U0DEE", f"/kudos <@U0DEE> {t['self']}"),
        Step(
            "2026-11-24 15:10",
            "kudos_modal",
            "U0FINN",
            t["parcel"],
            {"recipients": ("U0DEE",)},
            adds={"recognitions": 1, "modals": 1},
        ),
        Step("2026-11-24 15:11", "switch", "U0FINN", adds={"switched": 1}),
        # Wednesday
        Step("2026-11-25 09:00", "tick", adds=principle),
        Step(
            "2026-11-25 11:15",
            "story",
            "U0EVA",
            t["story_title"],
            {
                "customer": "Jansen BV",
                "body": t["story_body"],
                "teammates": ("U0BO", "U0DEE"),
                "principles": ("care",),
                "kind": "success",
            },
            adds={"stories": 1, "recognitions": 2, "modals": 1},  # the teammates credited
        ),
        Step("2026-11-25 11:20", "applause", "U0ANA", adds={"applause": 1}),
        Step("2026-11-25 11:22", "applause", "U0FINN", adds={"applause": 1}),
        Step(
            "2026-11-25 16:45",
            "command",
            "U0EVA",
            f"/kudos <!subteam^S0SUPPORT|@support> {t['csat']}",
            adds={"recognitions": 3},
        ),
        # Thursday
        Step(
            "2026-11-26 08:55",
            "command",
            "U0FINN",
            f"/kudos <@U0BO> {t['outage']}",
            adds={"recognitions": 1},
        ),
        Step("2026-11-26 09:00", "tick", adds=principle),
        Step("2026-11-26 13:20", "command", "U0ANA", f"/kudos <@U0CY> {t['short']}"),
        # Friday
        Step("2026-11-27 09:00", "tick", adds=principle),
        Step(
            "2026-11-27 09:30",
            "command",
            "U0BO",
            f"/kudos <@U0CY> <@U0DEE> <@U0EVA> <@U0FINN> {t['rota']}",
            adds={"recognitions": 4},
        ),
        Step("2026-11-27 09:31", "command", "U0BO", f"/kudos <@U0ANA> <@U0CY> {t['cover']}"),
        Step("2026-11-27 16:00", "tick", adds={"digests": 1}),
        Step("2026-11-27 16:20", "command", "U0CY", "/leaderboard week"),
        Step("2026-11-27 16:25", "command", MANAGER, "/leaderboard week"),
        Step("2026-11-27 16:26", "export", MANAGER, adds={"files": 2}),
        Step("2026-11-27 16:30", "command", "U0BO", "/bravo me"),
        Step("2026-11-27 16:35", "home", "U0BO", adds={"homes": 1}),
        Step("2026-11-27 16:40", "home", MANAGER, adds={"homes": 1}),
    )


def days_of(steps: tuple[Step, ...], days: int) -> tuple[Step, ...]:
    """Sunday's set-up and the first `days` weekdays."""
    weekdays = sorted({s.day for s in steps})[1:]  # the first day is Sunday's set-up
    keep = {steps[0].day, *weekdays[:days]}
    return tuple(s for s in steps if s.day in keep)


def expected(steps: tuple[Step, ...]) -> dict[str, int]:
    """What playing `steps` should add up to."""
    totals = dict.fromkeys(TALLIES, 0)
    for step in steps:
        for key, value in step.adds.items():
            totals[key] += value
    return totals


TALLIES = (
    "recognitions",
    "switched",
    "stories",
    "applause",
    "principles",
    "digests",
    "modals",
    "files",
    "homes",
)
