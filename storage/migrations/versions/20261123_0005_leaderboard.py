"""leaderboard: a covering index, all-time and monthly counts kept by triggers

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-23 09:30:00

Why tables and not only an index: an all-time leaderboard over a million recognitions has to
count every one of them for each ranking (about 200 ms per aggregate on both databases), and a
month still 40,000 of them twice, while the per-person counts (all time, and per UTC month) are
a few thousand rows. Triggers keep them exact for every writer (shout-outs, story credits, kind
switches, erasure) without any of them knowing.
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

# Per row on SQLite. Deleting only ever lowers rows that exist, so clearing the counts first
# (as a test's clean-up does) never leaves negative rows behind.
_SQLITE_MONTH = "substr({row}.created_at, 1, 7)"  # stored as 'YYYY-MM-DD HH:MM:SS' in UTC


def _sqlite_add(row: str) -> str:
    month = _SQLITE_MONTH.format(row=row)
    return f"""
        INSERT INTO recognition_totals (workspace_id, user_id, kind, received, given)
        VALUES ({row}.workspace_id, {row}.recipient_id, {row}.kind, 1, 0)
        ON CONFLICT (workspace_id, user_id, kind) DO UPDATE SET received = received + 1;
        INSERT INTO recognition_totals (workspace_id, user_id, kind, received, given)
        VALUES ({row}.workspace_id, {row}.giver_id, {row}.kind, 0, 1)
        ON CONFLICT (workspace_id, user_id, kind) DO UPDATE SET given = given + 1;
        INSERT INTO recognition_months (workspace_id, month, user_id, kind, received, given)
        VALUES ({row}.workspace_id, {month}, {row}.recipient_id, {row}.kind, 1, 0)
        ON CONFLICT (workspace_id, month, user_id, kind) DO UPDATE SET received = received + 1;
        INSERT INTO recognition_months (workspace_id, month, user_id, kind, received, given)
        VALUES ({row}.workspace_id, {month}, {row}.giver_id, {row}.kind, 0, 1)
        ON CONFLICT (workspace_id, month, user_id, kind) DO UPDATE SET given = given + 1;
    """


def _sqlite_remove(row: str) -> str:
    month = _SQLITE_MONTH.format(row=row)
    return f"""
        UPDATE recognition_totals SET received = received - 1
        WHERE workspace_id = {row}.workspace_id AND user_id = {row}.recipient_id
        AND kind = {row}.kind;
        UPDATE recognition_totals SET given = given - 1
        WHERE workspace_id = {row}.workspace_id AND user_id = {row}.giver_id AND kind = {row}.kind;
        UPDATE recognition_months SET received = received - 1
        WHERE workspace_id = {row}.workspace_id AND month = {month}
        AND user_id = {row}.recipient_id AND kind = {row}.kind;
        UPDATE recognition_months SET given = given - 1
        WHERE workspace_id = {row}.workspace_id AND month = {month}
        AND user_id = {row}.giver_id AND kind = {row}.kind;
    """


_SQLITE_TRIGGERS = (
    "CREATE TRIGGER recognition_totals_insert AFTER INSERT ON recognitions"
    f" BEGIN {_sqlite_add('NEW')} END",
    "CREATE TRIGGER recognition_totals_delete AFTER DELETE ON recognitions"
    f" BEGIN {_sqlite_remove('OLD')} END",
    "CREATE TRIGGER recognition_totals_update"
    " AFTER UPDATE OF workspace_id, recipient_id, giver_id, kind, created_at ON recognitions"
    f" BEGIN {_sqlite_remove('OLD')} {_sqlite_add('NEW')} END",
)

# PostgreSQL: statement-level triggers over transition tables, one aggregated upsert per table
# and statement (a COPY of a million rows is one upsert each). Rows are upserted in key order,
# so two transactions touching the same people lock them in the same order: no deadlocks.
_PG_MONTH = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM')"
_PG_UPSERT = """
    INSERT INTO {table} AS t ({keys}, received, given)
    SELECT {keys}, sum(received), sum(given) FROM ({deltas}) d
    GROUP BY {keys}
    HAVING sum(received) <> 0 OR sum(given) <> 0
    ORDER BY {keys}
    ON CONFLICT ({keys}) DO UPDATE
    SET received = t.received + EXCLUDED.received, given = t.given + EXCLUDED.given
"""
_PG_LOWER = """
    UPDATE {table} AS t
    SET received = t.received + d.received, given = t.given + d.given
    FROM (
        SELECT {keys}, sum(received) AS received, sum(given) AS given
        FROM ({deltas}) o GROUP BY {keys}
    ) d
    WHERE {matches}
"""


def _pg_deltas(rows: str, sign: str) -> str:
    return (
        f"SELECT workspace_id, {_PG_MONTH} AS month, recipient_id AS user_id, kind,"
        f" {sign}1 AS received, 0 AS given FROM {rows}"
        f" UNION ALL SELECT workspace_id, {_PG_MONTH}, giver_id, kind, 0, {sign}1 FROM {rows}"
    )


_TABLES = {
    "recognition_totals": ("workspace_id", "user_id", "kind"),
    "recognition_months": ("workspace_id", "month", "user_id", "kind"),
}


def _pg_body(event: str) -> str:
    deltas = {
        "insert": _pg_deltas("new_rows", ""),
        "update": _pg_deltas("new_rows", "") + " UNION ALL " + _pg_deltas("old_rows", "-"),
        "delete": _pg_deltas("old_rows", "-"),
    }[event]
    statements = []
    for table, keys in _TABLES.items():
        columns = ", ".join(keys)
        if event == "delete":
            matches = " AND ".join(f"t.{k} = d.{k}" for k in keys)
            statements.append(
                _PG_LOWER.format(table=table, keys=columns, deltas=deltas, matches=matches)
            )
        else:
            statements.append(_PG_UPSERT.format(table=table, keys=columns, deltas=deltas))
    return "; ".join(statements)


_PG_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}

_BACKFILL = """
    INSERT INTO {table} ({keys}, received, given)
    SELECT {keys}, sum(received), sum(given) FROM (
        SELECT workspace_id, {month} AS month, recipient_id AS user_id, kind,
            1 AS received, 0 AS given
        FROM recognitions
        UNION ALL
        SELECT workspace_id, {month}, giver_id, kind, 0, 1 FROM recognitions
    ) d
    GROUP BY {keys}
"""


def upgrade() -> None:
    op.create_table(
        "recognition_totals",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("given", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_recognition_totals_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "user_id",
            "kind",
            name=op.f("pk_recognition_totals"),
            postgresql_include=["received", "given"],
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "recognition_months",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("given", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_recognition_months_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "month",
            "user_id",
            "kind",
            name=op.f("pk_recognition_months"),
            postgresql_include=["received", "given"],
        ),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("recognitions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recognitions_leaderboard",
            ["workspace_id", "created_at", "recipient_id", "giver_id", "kind", "channel_id"],
            unique=False,
        )
    postgres = op.get_context().dialect.name == "postgresql"
    if postgres:
        for event in _PG_REFERENCING:
            op.execute(
                f"CREATE FUNCTION recognition_totals_on_{event}() RETURNS trigger"
                f" LANGUAGE plpgsql AS $$ BEGIN {_pg_body(event)}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER recognition_totals_{event} AFTER {event.upper()} ON recognitions"
                f" {_PG_REFERENCING[event]} FOR EACH STATEMENT"
                f" EXECUTE FUNCTION recognition_totals_on_{event}()"
            )
    else:
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)
    month = _PG_MONTH if postgres else "substr(created_at, 1, 7)"
    for table, keys in _TABLES.items():
        op.execute(_BACKFILL.format(table=table, keys=", ".join(keys), month=month))


def downgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    for event in ("insert", "update", "delete"):
        op.execute(
            f"DROP TRIGGER IF EXISTS recognition_totals_{event}"
            + (" ON recognitions" if postgres else "")
        )
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS recognition_totals_on_{event}()")
    with op.batch_alter_table("recognitions", schema=None) as batch_op:
        batch_op.drop_index("ix_recognitions_leaderboard")
    op.drop_table("recognition_months")
    op.drop_table("recognition_totals")
