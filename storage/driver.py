"""Statements run on the database driver's own cursor, for the path every `/kudos` takes.

Through SQLAlchemy a prebuilt Core statement costs 50-100 us of Python on top of the query
(result objects, row processors, cache lookups); the query itself is 5-10 us on SQLite. A
`Prepared` statement is compiled by SQLAlchemy once per dialect (so the SQL, the placeholders
and every type's bind processing are SQLAlchemy's own) and then executed on the DBAPI cursor
of the session's connection, inside the session's transaction. Rows come back as plain
tuples: callers read only columns whose driver values need no conversion, or convert them with
`utc`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True, slots=True)
class _Form:
    sql: str
    names: tuple[str, ...] | None  # positional paramstyle (SQLite): the order of the names
    defaults: dict[str, Any]  # literal values the statement holds (`source != 'story'`)
    processors: dict[str, Callable[[Any], Any]]


class Prepared:
    """One Core statement, compiled once per dialect, run on the driver's cursor."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._forms: dict[str, _Form] = {}

    def _form(self, dialect) -> _Form:
        form = self._forms.get(dialect.name)
        if form is None:
            compiled = self.statement.compile(dialect=dialect)
            form = _Form(
                sql=compiled.string,
                names=tuple(compiled.positiontup) if compiled.positional else None,
                defaults={  # a value the statement holds, None included (`SET x = NULL`)
                    name: bind.value for name, bind in compiled.binds.items() if not bind.required
                },
                processors=dict(compiled._bind_processors),  # type: ignore[attr-defined]
            )
            self._forms[dialect.name] = form
        return form

    def _params(self, form: _Form, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        merged = {**form.defaults, **values}
        for name, process in form.processors.items():
            if name in merged and merged[name] is not None:
                merged[name] = process(merged[name])
        if form.names is None:
            return merged
        return tuple(merged.get(name) for name in form.names)

    def execute(self, session: Session, values: Mapping[str, Any]) -> list[tuple]:
        """Run once; the rows it returns (none for a statement without RETURNING). Driver
        errors come out as SQLAlchemy's (`OperationalError` ...), as through `execute`."""
        return self._run(session, [values], many=False)

    def execute_many(self, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once for each of `rows` (the driver's executemany), as `execute` runs once."""
        if rows:
            self._run(session, rows, many=True)

    def _run(self, session: Session, rows: Sequence[Mapping[str, Any]], *, many: bool) -> list:
        connection = session.connection()
        form = self._form(connection.dialect)
        params: Any = [self._params(form, values) for values in rows]
        params = params if many else params[0]
        driver_error = connection.dialect.loaded_dbapi.Error
        cursor = connection.connection.driver_connection.cursor()
        # Listeners of the engine's cursor events see these statements as any other.
        events = connection.dispatch
        try:
            for listen in events.before_cursor_execute:
                listen(connection, cursor, form.sql, params, None, many)
            if many:
                cursor.executemany(form.sql, params)
            else:
                cursor.execute(form.sql, params)
            for listen in events.after_cursor_execute:
                listen(connection, cursor, form.sql, params, None, many)
            return list(cursor.fetchall()) if cursor.description else []
        except driver_error as error:
            raise DBAPIError.instance(form.sql, params, error, driver_error) from error
        finally:
            cursor.close()


class PreparedBySize:
    """A statement whose shape depends on a count (an IN list, a multi-row INSERT), prepared
    once per count: `build(n)` makes the statement for n items."""

    def __init__(self, build: Callable[[int], ClauseElement]) -> None:
        self.build = build
        self._by_size: dict[int, Prepared] = {}

    def __call__(self, size: int) -> Prepared:
        prepared = self._by_size.get(size)
        if prepared is None:
            prepared = self._by_size[size] = Prepared(self.build(size))
        return prepared


def utc(value: datetime | str | None) -> datetime | None:
    """A driver's timestamp as an aware UTC datetime (SQLite gives back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def insert_rows(table: Any, columns: Sequence[str], returning: str | None = None) -> PreparedBySize:
    """`INSERT INTO table (columns) VALUES (...), (...) [RETURNING col]`, one statement for n
    rows; give it `numbered(columns, rows)`."""

    def build(n: int) -> ClauseElement:
        values = [
            {c: bindparam(f"{c}_{i}", type_=table.c[c].type) for c in columns} for i in range(n)
        ]
        statement = insert(table).values(values)
        return statement.returning(table.c[returning]) if returning else statement

    return PreparedBySize(build)


def in_list(column: Any, n: int, name: str = "ids") -> ClauseElement:
    """`column IN (:ids_0, ..., :ids_n-1)`, for a `PreparedBySize` statement; give it
    `listed(values)`."""
    return column.in_([bindparam(f"{name}_{i}", type_=column.type) for i in range(n)])


def listed(values: Sequence[Any], name: str = "ids") -> dict[str, Any]:
    """The values of an `in_list` of len(values) items."""
    return {f"{name}_{i}": value for i, value in enumerate(values)}


def numbered(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The values of `rows` for an `insert_rows` statement."""
    return {f"{c}_{i}": row[c] for i, row in enumerate(rows) for c in columns}
