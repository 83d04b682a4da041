"""`bravo export --team T [--period P] [--out FILE]`: a workspace's recognitions as CSV."""

from __future__ import annotations

import argparse
import sys

from bot.entrypoints.cli_help import counted
from bot.entrypoints.runtime import configure_logging
from bot.settings import load_settings


def run(args: argparse.Namespace) -> int:
    from bot.domain.clock import SystemClock
    from bot.domain.errors import NotFound
    from bot.domain.export import operator_export, write_csv
    from bot.domain.periods import normalise_period
    from storage.db import make_engine, make_session_factory
    from storage.uow import UnitOfWorkFactory

    period = normalise_period(args.period)
    if period is None:
        print(f"bravo export: --period {args.period!r} is not a period", file=sys.stderr)
        return 2
    settings = load_settings()
    configure_logging(settings)
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    try:
        job = operator_export(args.team, period, uow=uow(), clock=SystemClock())
        if args.out:
            with open(args.out, "w", newline="", encoding="utf-8") as out:
                rows = write_csv(job, out, uow=uow())
        else:
            rows = write_csv(job, sys.stdout, uow=uow())
    except NotFound:
        print(f"bravo export: no workspace with team id {args.team}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"bravo export: {counted(rows, 'recognition')} ({period})", file=sys.stderr)
    return 0
