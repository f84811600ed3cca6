"""The Job rows that long work reports its progress to, and that pages read.

The request that starts the work creates the row (`start`), in its own transaction, and
submits the task; the task reports with `running`, `advance`, `finish` or `fail`, each
committing at once so that the page sees it.
"""

from lms import jobs
from lms.extensions import db, utcnow
from lms.models import Job


def start(kind, task_function, *, actor, total=0, **params):
    """Record a job of `kind` and queue `task_function(job_id)` once this transaction commits."""
    job = Job(kind=kind, params=params, total=total, created_by=actor, status='queued')
    db.session.add(job)
    db.session.flush()
    jobs.submit(task_function, job.id)
    return job


def running(job, total=None):
    job.status = 'running'
    job.started_at = job.started_at or utcnow()
    job.error = None
    if total is not None:
        job.total = total
    db.session.commit()


def advance(job, count=1):
    """`count` more items done; committed with whatever the caller's transaction holds."""
    job.done = min(job.done + count, job.total) if job.total else job.done + count
    db.session.commit()


def finish(job, result=None):
    job.status = 'done'
    job.done = job.total or job.done
    job.result = result
    job.finished_at = utcnow()
    db.session.commit()


def fail(job, error):
    """The work stopped: roll back its unfinished part, and say so on the job."""
    db.session.rollback()
    job = db.session.get(Job, job.id)
    job.status = 'failed'
    job.error = str(error)[:2000]
    job.finished_at = utcnow()
    db.session.commit()
    return job


def retry(job, task_function):
    """Queue a failed job again; what it had finished stays finished."""
    job.status = 'queued'
    job.error = None
    job.finished_at = None
    db.session.flush()
    jobs.submit(task_function, job.id)
    return job
