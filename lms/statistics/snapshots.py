"""The figures as the job worker last counted them: what the public pages show.

Counting the academy in numbers (`figures`, lms/statistics/figures.py, where the rules
live) reads every accepted enrollment of the range: about a second for ten years of an
academy (bench/stats.py), too long for a visitor to wait, and the same work for every
visitor. So pages do not count. They read the figures of their range as they were last
counted (a row of `figure_snapshots`, shared by every process and machine), and when
those are older than STATS_CACHE_SECONDS they are shown once more while a job counts
them again (stale-while-revalidate): figures are a minute or two behind the data, never
more while anyone is looking.

- The range every visitor sees first (the front page, `/stats` unfiltered) is counted by
  the worker every few minutes as well (lms/statistics/tasks.py), so it is ready even
  after a quiet night.
- A range nobody asked for before, or one last counted over `SHOWN_FOR` ago, is counted
  in the request that asks; a job stores what it counted, so it is counted there once.
- Jobs that are asked twice count once: a recount finds the figures already counted
  since it was asked, and stops.

With STATS_CACHE_SECONDS = 0 (the tests) nothing is kept: every request counts.
"""

import dataclasses
import json
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from lms import jobs
from lms.extensions import db, utcnow
from lms.models import FigureSnapshot
from lms.statistics.figures import Figures, Municipality, figures

#: Figures last counted longer ago than this are counted again before they are shown.
SHOWN_FOR = timedelta(days=1)

#: The figures keyed by year; JSON keeps their keys as text.
_BY_YEAR = ('participants_by_year', 'certificates_by_year')


def kept_figures(first, last, fresh_for):
    """The figures of first..last as last counted; a recount is queued when they are older
    than `fresh_for` seconds, and they are counted here when there are none (or they are
    older than SHOWN_FOR)."""
    from lms.statistics import tasks

    kept = db.session.execute(
        select(FigureSnapshot.figures_json, FigureSnapshot.counted_at).where(
            FigureSnapshot.first_year == first, FigureSnapshot.last_year == last
        )
    ).first()
    now = utcnow()
    shown = loads(kept.figures_json) if kept is not None else None
    if shown is not None and now - kept.counted_at <= SHOWN_FOR:
        if now - kept.counted_at > timedelta(seconds=fresh_for):
            jobs.submit(tasks.recount, first, last, now.isoformat())
        return shown
    counted = figures(first, last)
    jobs.submit(tasks.keep, first, last, dumps(counted), now.isoformat())
    return counted


def recount(first, last, asked_at=None):
    """Count first..last and keep the figures, unless they were counted after `asked_at`
    (another job did the work meanwhile). The caller commits."""
    if asked_at is not None:
        counted_at = db.session.scalar(
            select(FigureSnapshot.counted_at).where(
                FigureSnapshot.first_year == first, FigureSnapshot.last_year == last
            )
        )
        if counted_at is not None and counted_at >= asked_at:
            return
    now = utcnow()
    keep(first, last, dumps(figures(first, last)), now)


def keep(first, last, figures_json, counted_at):
    """Keep the figures of first..last counted at `counted_at`, unless newer ones are kept
    already (two processes counting at once: the later count stands)."""
    dialect = {'postgresql': postgresql, 'sqlite': sqlite}[db.engine.dialect.name]
    table = FigureSnapshot.__table__
    values = {
        'first_year': first,
        'last_year': last,
        'figures_json': figures_json,
        'counted_at': counted_at,
    }
    statement = dialect.insert(table).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.first_year, table.c.last_year],
            set_={'figures_json': figures_json, 'counted_at': counted_at},
            where=table.c.counted_at < statement.excluded.counted_at,
        )
    )


def dumps(f):
    return json.dumps(dataclasses.asdict(f), ensure_ascii=False, sort_keys=True)


def loads(text):
    """The Figures kept as `text`; None when they were kept by a version of the application
    that counted other figures (they are counted again)."""
    values = json.loads(text)
    if set(values) != {f.name for f in dataclasses.fields(Figures)}:
        return None
    for name in _BY_YEAR:
        values[name] = {int(year): n for year, n in values[name].items()}
    values['municipalities_reached'] = [Municipality(**m) for m in values['municipalities_reached']]
    return Figures(**values)
