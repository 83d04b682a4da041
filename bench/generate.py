"""A reproducible data generator for benchmarks and demos.

`generate(engine, Plan(seed=7))` fills a migrated database with workspaces, people in several
time zones, and two years of shout-outs (one recognition per recipient) carrying principles,
kinds, channels and realistic reasons. The same seed always gives the same rows.

The first workspace is the large one the benchmarks measure; the others are small neighbours,
so that every query has other workspaces' rows to skip. Rows are written in bulk: executemany
on SQLite, COPY on PostgreSQL. Stories and applause have no tables yet and are not generated.

    python -m bench.generate --url sqlite:///bench.db --recognitions 1000000 --people 5000
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from bot.domain.library import LIBRARY
from storage.db import make_engine
from storage.migrate import upgrade

WORKSPACE_TZ = "Europe/Amsterdam"
# Where the people of a support team sit, and how many of them sit there.
ZONES: tuple[tuple[str, int], ...] = (
    ("Europe/Amsterdam", 55),
    ("Europe/London", 12),
    ("America/New_York", 12),
    ("America/Los_Angeles", 6),
    ("Asia/Kolkata", 8),
    ("Australia/Sydney", 4),
    ("UTC", 3),
)
FIRST = [
    "Ana",
    "Bo",
    "Cy",
    "Dee",
    "Eva",
    "Finn",
    "Gaby",
    "Hugo",
    "Ines",
    "Jan",
    "Kim",
    "Lars",
    "Mia",
    "Noor",
    "Omar",
    "Pia",
    "Quinn",
    "Ravi",
    "Sara",
    "Tom",
    "Uma",
    "Vera",
    "Wout",
    "Xena",
    "Yara",
    "Zeb",
    "Lotte",
    "Sem",
    "Fleur",
    "Daan",
    "Femke",
    "Ruben",
    "Anouk",
    "Thijs",
    "Iris",
    "Bram",
]
LAST = [
    "Berg",
    "Chen",
    "Diaz",
    "Eriksen",
    "Jansen",
    "de",
    "Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Kumar",
    "Okafor",
    "Silva",
    "Novak",
    "Rossi",
    "Murphy",
    "Kowalski",
]
SUCCESS_REASONS = (
    "for turning a cancellation call into a happy renewal",
    "for remembering {customer}'s anniversary and sending a handwritten card",
    "for the clearest onboarding session {customer} has ever had",
    "for spotting that {customer} was overpaying and moving them to the right plan",
    "for answering every chat within a minute during the launch",
    "for calling {customer} back exactly when promised",
    "for the thoughtful walkthrough that made {customer}'s team self-sufficient",
    "for staying calm and friendly through a two-hour call with {customer}",
    "for writing the help article customers keep thanking us for",
    "for making {customer} feel like our only customer today",
)
RECOVERY_REASONS = (
    "for fixing the billing bug before {customer} noticed",
    "for resolving the outage for {customer} in record time",
    "for handling the complaint from {customer} with real care",
    "for the refund and the apology that won {customer} back",
    "for restoring {customer}'s data after the failed import",
    "for sorting out the delayed delivery to {customer}",
    "for turning an angry escalation from {customer} into a thank-you",
    "for opgelost: de storing bij {customer} binnen het uur verholpen",
)
CUSTOMERS = (
    "Jansen BV",
    "Acme Corp",
    "De Bakkerij",
    "Northwind",
    "Globex",
    "Initech",
    "Hooli",
    "Vandelay Industries",
    "Stark & Zonen",
    "Umbrella Retail",
)
SLUGS = tuple(p.slug for p in LIBRARY)


@dataclass(frozen=True)
class Plan:
    """How much to generate. The first workspace gets `recognitions` and `people`."""

    seed: int = 1
    recognitions: int = 1_000_000
    people: int = 5_000
    days: int = 730
    end: datetime = datetime(2026, 11, 23, tzinfo=UTC)
    neighbours: int = 2  # small workspaces besides the measured one
    neighbour_recognitions: int = 10_000
    neighbour_people: int = 200
    channels: int = 30
    team_prefix: str = "TBENCH"


@dataclass
class Summary:
    workspaces: dict[str, int] = field(default_factory=dict)  # team id -> workspace id
    people: dict[str, list[str]] = field(default_factory=dict)  # team id -> user ids
    channels: dict[str, list[str]] = field(default_factory=dict)
    recognitions: int = 0
    shoutouts: int = 0
    principles: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class _Person:
    user_id: str
    name: str
    tz: str


def generate(engine: Engine, plan: Plan) -> Summary:
    """Fill the (migrated, possibly non-empty) database behind `engine` following `plan`."""
    started = time.perf_counter()
    rng = random.Random(plan.seed)
    writer = _Writer.for_engine(engine)
    summary = Summary()
    ids = writer.next_ids()
    sizes = [(plan.recognitions, plan.people)] + [
        (plan.neighbour_recognitions, plan.neighbour_people)
    ] * plan.neighbours
    for number, (count, people_count) in enumerate(sizes):
        team = f"{plan.team_prefix}{number:03d}"
        workspace_id = writer.workspace(team, plan.end)
        people = _people(rng, people_count, number)
        channels = [f"C{number:02d}CH{i:04d}" for i in range(plan.channels)]
        writer.members(workspace_id, people, plan.end)
        rows = _shoutouts(rng, plan, count, people, channels)
        made = writer.recognitions(workspace_id, rows, ids)
        summary.workspaces[team] = workspace_id
        summary.people[team] = [p.user_id for p in people]
        summary.channels[team] = channels
        summary.shoutouts += made[0]
        summary.recognitions += made[1]
        summary.principles += made[2]
    writer.finish(ids)
    summary.seconds = time.perf_counter() - started
    return summary


def _people(rng: random.Random, count: int, workspace: int) -> list[_Person]:
    zones = [z for z, _ in ZONES]
    weights = [w for _, w in ZONES]
    return [
        _Person(
            user_id=f"U{workspace:02d}{i:07d}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            tz=rng.choices(zones, weights)[0],
        )
        for i in range(count)
    ]


@dataclass(frozen=True, slots=True)
class _Shoutout:
    at: datetime
    giver: str
    recipients: tuple[str, ...]
    kind: str
    reason: str
    channel: str
    source: str
    principles: tuple[str, ...]


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _shoutouts(
    rng: random.Random, plan: Plan, count: int, people: list[_Person], channels: list[str]
) -> list[_Shoutout]:
    """About `count` recognitions' worth of shout-outs, oldest first."""
    # Some people are thanked (and thank) far more than others: a gentle power law.
    order = rng.sample(people, len(people))
    receive = _cumulative([1 / (rank + 1) ** 0.7 for rank in range(len(order))])
    give_order = rng.sample(people, len(people))
    give = _cumulative([1 / (rank + 1) ** 0.5 for rank in range(len(give_order))])
    by_channel = _cumulative([1 / (rank + 1) for rank in range(len(channels))])
    zones = {z: ZoneInfo(z) for z, _ in ZONES}
    start_day = plan.end.date() - timedelta(days=plan.days - 1)
    # Weekdays carry most of the thanks; a little on weekends.
    days = [start_day + timedelta(days=d) for d in range(plan.days)]
    by_day = _cumulative([1.0 if d.weekday() < 5 else 0.15 for d in days])
    recipients_per = (1, 1, 1, 1, 1, 1, 2, 2, 3)
    made: list[_Shoutout] = []
    total = 0
    while total < count:
        giver = give_order[bisect.bisect(give, rng.random() * give[-1])]
        wanted = min(rng.choice(recipients_per), count - total)
        chosen: dict[str, None] = {}
        while len(chosen) < wanted:
            who = order[bisect.bisect(receive, rng.random() * receive[-1])]
            if who.user_id != giver.user_id:
                chosen[who.user_id] = None
        day = days[bisect.bisect(by_day, rng.random() * by_day[-1])]
        local = datetime(
            day.year,
            day.month,
            day.day,
            rng.randint(8, 17),
            rng.randrange(60),
            rng.randrange(60),
            tzinfo=zones[giver.tz],
        )
        recovery = rng.random() < 0.35
        template = rng.choice(RECOVERY_REASONS if recovery else SUCCESS_REASONS)
        tags = rng.choices((0, 1, 2), (55, 35, 10))[0]
        made.append(
            _Shoutout(
                at=local.astimezone(UTC),
                giver=giver.user_id,
                recipients=tuple(chosen),
                kind="recovery" if recovery else "success",
                reason=template.format(customer=rng.choice(CUSTOMERS)),
                channel=channels[bisect.bisect(by_channel, rng.random() * by_channel[-1])],
                source="modal" if rng.random() < 0.15 else "command",
                principles=tuple(rng.sample(SLUGS, tags)),
            )
        )
        total += wanted
    made.sort(key=lambda s: s.at)
    return made


class _Writer:
    """Bulk writes for one backend; ids are assigned here so children can point at parents."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @staticmethod
    def for_engine(engine: Engine) -> _Writer:
        return (
            _PostgresWriter(engine)
            if engine.dialect.name == "postgresql"
            else _SqliteWriter(engine)
        )

    def next_ids(self) -> dict[str, Iterator[int]]:
        with self.engine.connect() as connection:
            tops = {
                table: connection.execute(
                    text(f"SELECT coalesce(max(id), 0) FROM {table}")
                ).scalar()
                for table in ("shoutouts", "recognitions")
            }
        return {table: itertools.count(top + 1) for table, top in tops.items()}

    def workspace(self, team: str, now: datetime) -> int:
        with self.engine.begin() as connection:
            return connection.execute(
                text(
                    "INSERT INTO workspaces (team_id, timezone, language, allowance, active,"
                    " created_at, leaderboard_visibility, applause_emoji)"
                    " VALUES (:team, :tz, 'en', 5, :yes, :now, 'everyone', 'clap') RETURNING id"
                ),
                {"team": team, "tz": WORKSPACE_TZ, "yes": True, "now": self.stamp(now)},
            ).scalar_one()

    def members(self, workspace_id: int, people: list[_Person], now: datetime) -> None:
        stamp = self.stamp(now)
        rows = [
            (workspace_id, p.user_id, p.name, p.tz, False, False, False, False, stamp)
            for p in people
        ]
        self.bulk(
            "members",
            (
                "workspace_id",
                "user_id",
                "name",
                "tz",
                "is_admin",
                "is_owner",
                "is_bot",
                "deleted",
                "refreshed_at",
            ),
            rows,
        )

    def recognitions(
        self, workspace_id: int, shoutouts: list[_Shoutout], ids: dict[str, Iterator[int]]
    ) -> tuple[int, int, int]:
        parents, children, tags = [], [], []
        for s in shoutouts:
            shoutout_id = next(ids["shoutouts"])
            stamp = self.stamp(s.at)
            parents.append(
                (shoutout_id, workspace_id, s.giver, s.reason, s.kind, "default", None, s.source)
                + (s.channel, s.channel, None, stamp)
            )
            for recipient in s.recipients:
                recognition_id = next(ids["recognitions"])
                children.append(
                    (recognition_id, workspace_id, shoutout_id, s.giver, recipient, s.kind)
                    + (s.channel, s.source, stamp)
                )
                tags.extend(
                    (recognition_id, slug, workspace_id, i, stamp)
                    for i, slug in enumerate(s.principles)
                )
        self.bulk(
            "shoutouts",
            (
                "id",
                "workspace_id",
                "giver_id",
                "reason",
                "kind",
                "kind_source",
                "kind_keyword",
                "source",
                "channel_id",
                "message_channel",
                "message_ts",
                "created_at",
            ),
            parents,
        )
        self.bulk(
            "recognitions",
            (
                "id",
                "workspace_id",
                "shoutout_id",
                "giver_id",
                "recipient_id",
                "kind",
                "channel_id",
                "source",
                "created_at",
            ),
            children,
        )
        self.bulk(
            "recognition_principles",
            ("recognition_id", "principle", "workspace_id", "position", "created_at"),
            tags,
        )
        return len(parents), len(children), len(tags)

    def stamp(self, at: datetime) -> object:
        raise NotImplementedError

    def bulk(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        raise NotImplementedError

    def finish(self, ids: dict[str, Iterator[int]]) -> None:
        """Refresh the planner's statistics after a bulk load."""


class _SqliteWriter(_Writer):
    def stamp(self, at: datetime) -> str:
        # SQLAlchemy's own storage format for SQLite DATETIME, so comparisons line up.
        return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def bulk(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            for start in range(0, len(rows), 100_000):
                cursor.executemany(sql, rows[start : start + 100_000])
            raw.commit()
        finally:
            raw.close()

    def finish(self, ids: dict[str, Iterator[int]]) -> None:
        with self.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


class _PostgresWriter(_Writer):
    def stamp(self, at: datetime) -> datetime:
        return at.astimezone(UTC)

    def bulk(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()

    def finish(self, ids: dict[str, Iterator[int]]) -> None:
        with self.engine.begin() as connection:
            for table in ("shoutouts", "recognitions"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                )
        # VACUUM cannot run in a transaction; it also sets the visibility map for index-only scans.
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in (
                "members",
                "shoutouts",
                "recognitions",
                "recognition_principles",
                "recognition_totals",
                "recognition_months",
            ):
                connection.execute(text(f"VACUUM ANALYZE {table}"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the database to fill")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--recognitions", type=int, default=Plan.recognitions)
    parser.add_argument("--people", type=int, default=Plan.people)
    parser.add_argument("--neighbours", type=int, default=Plan.neighbours)
    args = parser.parse_args(argv)
    engine = make_engine(args.url)
    upgrade(engine)
    summary = generate(
        engine,
        Plan(
            seed=args.seed,
            recognitions=args.recognitions,
            people=args.people,
            neighbours=args.neighbours,
        ),
    )
    print(
        f"generated {summary.recognitions:,} recognitions ({summary.shoutouts:,} shout-outs,"
        f" {summary.principles:,} principle tags) in {len(summary.workspaces)} workspaces"
        f" in {summary.seconds:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
