"""The figures' jobs (lms/statistics/snapshots.py): count a range again, keep what a
request counted, and every few minutes count the range every visitor sees first."""

from datetime import datetime

from lms import jobs
from lms.extensions import db
from lms.statistics import snapshots
from lms.statistics.figures import default_range


@jobs.task()
def recount(first, last, asked_at):
    snapshots.recount(first, last, datetime.fromisoformat(asked_at))
    db.session.commit()


@jobs.task()
def keep(first, last, figures_json, counted_at):
    snapshots.keep(first, last, figures_json, datetime.fromisoformat(counted_at))
    db.session.commit()


@jobs.periodic_task(jobs.crontab(minute='*/5'))
def recount_default_range():
    """Every five minutes: the front page's and /stats' figures (every year to this one)."""
    snapshots.recount(*default_range())
    db.session.commit()
