"""leaderboard: a covering index for period leaderboards, all-time totals kept by triggers

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-23 09:30:00

Why a table and not only an index: an all-time leaderboard over a million recognitions has to
count every one of them for each ranking (about 200 ms per aggregate on both databases), while
the per-person totals are a few thousand rows. Triggers keep them exact for every writer
(shout-outs, story credits, kind switches, erasure) without any of them knowing.
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER recognition_totals_insert AFTER INSERT ON recognitions
    BEGIN
        INSERT INTO recognition_totals (workspace_id, user_id, kind, received, given)
        VALUES (NEW.workspace_id, NEW.recipient_id, NEW.kind, 1, 0)
        ON CONFLICT (workspace_id, user_id, kind) DO UPDATE SET received = received + 1;
        INSERT INTO recognition_totals (workspace_id, user_id, kind, received, given)
        VALUES (NEW.workspace_id, NEW.giver_id, NEW.kind, 0, 1)
        ON CONFLICT (workspace_id, user_id, kind) DO UPDATE SET given = given + 1;
    END
    """,
    """
    CREATE TRIGGER recognition_totals_delete AFTER DELETE ON recognitions
    BEGIN
        UPDATE recognition_totals SET received = received - 1
        WHERE workspace_id = OLD.workspace_id AND user_id = OLD.recipient_id AND kind = OLD.kind;
        UPDATE recognition_totals SET given = given - 1
        WHERE workspace_id = OLD.workspace_id AND user_id = OLD.giver_id AND kind = OLD.kind;
    END
    """,
    """
    CREATE TRIGGER recognition_totals_update
    AFTER UPDATE OF workspace_id, recipient_id, giver_id, kind ON recognitions
    BEGIN
        UPDATE recognition_totals SET received = received - 1
        WHERE workspace_id = OLD.workspace_id AND user_id = OLD.recipient_id AND kind = OLD.kind;
        UPDATE recognition_totals SET given = given - 1
        WHERE workspace_id = OLD.workspace_id AND user_id = OLD.giver_id AND kind = OLD.kind;
        INSERT INTO recognition_totals (workspace_id, user_id, kind, received, given)
        VALUES (NEW.workspace_id, NEW.recipient_id, NEW.kind, 1, 0)
        ON CONFLICT (workspace_id, user_id, kind) DO UPDATE SET received = received + 1;
        INSERT INTO recognition_totals (workspace_id, user_id, kind, received, given)
        VALUES (NEW.workspace_id, NEW.giver_id, NEW.kind, 0, 1)
        ON CONFLICT (workspace_id, user_id, kind) DO UPDATE SET given = given + 1;
    END
    """,
)

# PostgreSQL: statement-level triggers over transition tables, one aggregated upsert per
# statement (a COPY of a million rows is one upsert). Rows are upserted in key order, so two
# transactions touching the same people always lock them in the same order: no deadlocks.
_PG_DELTAS = """
    INSERT INTO recognition_totals AS t (workspace_id, user_id, kind, received, given)
    SELECT workspace_id, user_id, kind, sum(received), sum(given) FROM ({deltas}) d
    GROUP BY workspace_id, user_id, kind
    HAVING sum(received) <> 0 OR sum(given) <> 0
    ORDER BY workspace_id, user_id, kind
    ON CONFLICT (workspace_id, user_id, kind) DO UPDATE
    SET received = t.received + EXCLUDED.received, given = t.given + EXCLUDED.given
"""
_NEW = (
    "SELECT workspace_id, recipient_id AS user_id, kind, 1 AS received, 0 AS given FROM new_rows"
    " UNION ALL SELECT workspace_id, giver_id, kind, 0, 1 FROM new_rows"
)
_OLD = (
    "SELECT workspace_id, recipient_id AS user_id, kind, -1 AS received, 0 AS given FROM old_rows"
    " UNION ALL SELECT workspace_id, giver_id, kind, 0, -1 FROM old_rows"
)
# Deleting only ever lowers rows that exist (clearing the totals first never leaves negatives).
_PG_DELETE = """
    UPDATE recognition_totals AS t
    SET received = t.received + d.received, given = t.given + d.given
    FROM (
        SELECT workspace_id, user_id, kind, sum(received) AS received, sum(given) AS given
        FROM ({old}) o GROUP BY workspace_id, user_id, kind
    ) d
    WHERE t.workspace_id = d.workspace_id AND t.user_id = d.user_id AND t.kind = d.kind
""".format(old=_OLD)
_PG_FUNCTIONS = {
    "insert": _PG_DELTAS.format(deltas=_NEW),
    "update": _PG_DELTAS.format(deltas=_NEW + " UNION ALL " + _OLD),
    "delete": _PG_DELETE,
}
_PG_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}

_BACKFILL = """
    INSERT INTO recognition_totals (workspace_id, user_id, kind, received, given)
    SELECT workspace_id, user_id, kind, sum(received), sum(given) FROM (
        SELECT workspace_id, recipient_id AS user_id, kind, 1 AS received, 0 AS given
        FROM recognitions
        UNION ALL
        SELECT workspace_id, giver_id, kind, 0, 1 FROM recognitions
    ) d
    GROUP BY workspace_id, user_id, kind
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
            "workspace_id", "user_id", "kind", name=op.f("pk_recognition_totals")
        ),
    )
    with op.batch_alter_table("recognitions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recognitions_leaderboard",
            ["workspace_id", "created_at", "recipient_id", "giver_id", "kind", "channel_id"],
            unique=False,
        )
    if op.get_context().dialect.name == "postgresql":
        for event, body in _PG_FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION recognition_totals_on_{event}() RETURNS trigger"
                f" LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER recognition_totals_{event} AFTER {event.upper()} ON recognitions"
                f" {_PG_REFERENCING[event]} FOR EACH STATEMENT"
                f" EXECUTE FUNCTION recognition_totals_on_{event}()"
            )
    else:
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)
    op.execute(_BACKFILL)


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
    op.drop_table("recognition_totals")
