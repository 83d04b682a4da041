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
_TABLES = {
    "recognition_totals": ("workspace_id", "user_id"),
    "recognition_months": ("workspace_id", "month", "user_id"),
}


def _sqlite_add(row: str) -> str:
    success = f"({row}.kind = 'success')"
    statements = []
    for table, keys in _TABLES.items():
        key = ", ".join(keys)
        for who, role in ((f"{row}.recipient_id", "received"), (f"{row}.giver_id", "given")):
            values = {
                "workspace_id": f"{row}.workspace_id",
                "month": _SQLITE_MONTH.format(row=row),
                "user_id": who,
            }
            counts = ("1", success, "0", "0") if role == "received" else ("0", "0", "1", success)
            statements.append(
                f"INSERT INTO {table} ({key}, received, received_success, given, given_success)"
                f" VALUES ({', '.join(values[k] for k in keys)}, {', '.join(counts)})"
                f" ON CONFLICT ({key}) DO UPDATE SET {role} = {role} + 1,"
                f" {role}_success = {role}_success + {success};"
            )
    return " ".join(statements)


def _sqlite_remove(row: str) -> str:
    success = f"({row}.kind = 'success')"
    statements = []
    for table, keys in _TABLES.items():
        for who, role in ((f"{row}.recipient_id", "received"), (f"{row}.giver_id", "given")):
            values = {
                "workspace_id": f"{row}.workspace_id",
                "month": _SQLITE_MONTH.format(row=row),
                "user_id": who,
            }
            match = " AND ".join(f"{k} = {values[k]}" for k in keys)
            statements.append(
                f"UPDATE {table} SET {role} = {role} - 1,"
                f" {role}_success = {role}_success - {success} WHERE {match};"
            )
    return " ".join(statements)


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
_COUNTS = ("received", "received_success", "given", "given_success")
_PG_UPSERT = """
    INSERT INTO {table} AS t ({keys}, {counts})
    SELECT {keys}, {sums} FROM ({deltas}) d
    GROUP BY {keys}
    HAVING {changed}
    ORDER BY {keys}
    ON CONFLICT ({keys}) DO UPDATE SET {add}
"""
_PG_LOWER = """
    UPDATE {table} AS t SET {add}
    FROM (SELECT {keys}, {sums} FROM ({deltas}) o GROUP BY {keys}) d
    WHERE {matches}
"""


def _deltas(rows: str, sign: str, month: str) -> str:
    success = "CASE WHEN kind = 'success' THEN 1 ELSE 0 END"
    return (
        f"SELECT workspace_id, {month} AS month, recipient_id AS user_id,"
        f" {sign}1 AS received, {sign}{success} AS received_success,"
        f" 0 AS given, 0 AS given_success FROM {rows}"
        f" UNION ALL SELECT workspace_id, {month}, giver_id, 0, 0, {sign}1, {sign}{success}"
        f" FROM {rows}"
    )


def _pg_body(event: str) -> str:
    deltas = {
        "insert": _deltas("new_rows", "", _PG_MONTH),
        "update": _deltas("new_rows", "", _PG_MONTH)
        + " UNION ALL "
        + _deltas("old_rows", "-", _PG_MONTH),
        "delete": _deltas("old_rows", "-", _PG_MONTH),
    }[event]
    sums = ", ".join(f"sum({c}) AS {c}" for c in _COUNTS)
    statements = []
    for table, keys in _TABLES.items():
        key = ", ".join(keys)
        if event == "delete":
            statements.append(
                _PG_LOWER.format(
                    table=table,
                    keys=key,
                    sums=sums,
                    deltas=deltas,
                    add=", ".join(f"{c} = t.{c} + d.{c}" for c in _COUNTS),
                    matches=" AND ".join(f"t.{k} = d.{k}" for k in keys),
                )
            )
        else:
            statements.append(
                _PG_UPSERT.format(
                    table=table,
                    keys=key,
                    counts=", ".join(_COUNTS),
                    sums=", ".join(f"sum({c})" for c in _COUNTS),
                    deltas=deltas,
                    changed=" OR ".join(f"sum({c}) <> 0" for c in _COUNTS),
                    add=", ".join(f"{c} = t.{c} + EXCLUDED.{c}" for c in _COUNTS),
                )
            )
    return "; ".join(statements)


_PG_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


def _backfill(table: str, keys: tuple[str, ...], month: str) -> str:
    key = ", ".join(keys)
    return (
        f"INSERT INTO {table} ({key}, {', '.join(_COUNTS)})"
        f" SELECT {key}, {', '.join(f'sum({c})' for c in _COUNTS)}"
        f" FROM ({_deltas('recognitions', '', month)}) d GROUP BY {key}"
    )


def _count_table(name: str, keys: tuple[str, ...]) -> None:
    columns = {
        "workspace_id": sa.Column("workspace_id", sa.Integer(), nullable=False),
        "month": sa.Column("month", sa.String(length=7), nullable=False),
        "user_id": sa.Column("user_id", sa.String(length=32), nullable=False),
    }
    op.create_table(
        name,
        *(columns[k] for k in keys),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in _COUNTS),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f(f"fk_{name}_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{name}"), postgresql_include=list(_COUNTS)),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    for table, keys in _TABLES.items():
        _count_table(table, keys)
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
        op.execute(_backfill(table, keys, month))


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
