"""The Job rows that long work reports its progress to, and that pages read.

The request that starts the work creates the row (`start`), in its own transaction, and
submits the task; the task reports with `running`, `advance`, `finish` or `fail`, each
committing at once so that the page sees it. Work split into chunks that several workers
share reports with `count_done`, in the transaction of the chunk's own work.

Each kind of job names its task once (`register`), so that a failed job can be retried
from its page without the page knowing what the work is.
"""

import logging
from datetime import timedelta

from sqlalchemy import select, update

from lms import jobs
from lms.errors import DomainError, Invalid
from lms.extensions import db, utcnow
from lms.models import Job
from lms.notifications.service import recipient_locale

logger = logging.getLogger('lms.jobs')

#: The bad rows a failed job's message names (a refusal of a whole file names them all
#: on its own page).
SHOWN_ROWS = 20

_TASKS = {}


def register(kind, task_function):
    """`task_function(job_id)` does the work of jobs of `kind` (started and retried)."""
    _TASKS[kind] = task_function
    return task_function


#: A job unfinished this long after it began is taken for lost (its worker died, its task
#: was dropped) and may be retried like a failed one.
LOST_AFTER = timedelta(minutes=30)


def is_lost(job, now=None):
    began = job.started_at or job.created_at
    return not job.is_finished and began is not None and (now or utcnow()) - began > LOST_AFTER


def can_retry(job):
    return job.kind in _TASKS and (job.status == 'failed' or is_lost(job))


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


def count_done(job_id, count, merge=None):
    """`count` more items of job `job_id` done, in the current transaction (not committed).

    The row is written first (an UPDATE adding to `done`), which locks it, so that workers
    sharing a job add up instead of overwriting each other; `merge(result) -> result` then
    folds what this part produced into the job's result. The last part marks the job done,
    unless another part failed meanwhile. Returns the job as it stands now.
    """
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(done=Job.done + count)
        .execution_options(synchronize_session=False)
    )
    job = db.session.scalars(
        select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    ).one()
    if merge is not None:
        job.result = merge(dict(job.result or {}))
    if job.status == 'running' and job.done >= job.total:
        job.status = 'done'
        job.finished_at = utcnow()
    db.session.flush()
    return job


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


def failed(job_id, exc):
    """The work of job `job_id` stopped on `exc`: roll back its unfinished part and write
    why on the job. An unexpected error is logged with its traceback; a refusal (a
    DomainError, such as a bad file) is the job's own message alone."""
    if not isinstance(exc, DomainError):
        logger.exception('Job %s failed', job_id)
    db.session.rollback()
    return fail(db.session.get(Job, job_id), failure_text(exc))


def failure_text(exc):
    """What a job's page says of `exc`: a refusal's message, with its first bad rows."""
    if isinstance(exc, Invalid) and exc.rows:
        lines = [
            f'line {row["index"]}: '
            + '; '.join(f'{column}: {message}' for column, message in row['errors'].items())
            for row in exc.rows[:SHOWN_ROWS]
        ]
        return '\n'.join([str(exc.message), *lines])
    if isinstance(exc, DomainError):
        return str(exc.message)
    return f'{type(exc).__name__}: {exc}'


def owner_locale(job):
    """The language a job writes its reasons and messages in: that of the page that
    started it when it said, else its starter's, else Georgian."""
    return (
        (job.params or {}).get('locale')
        or (recipient_locale(job.created_by) if job.created_by else None)
        or 'ka'
    )


def retry(job, task_function=None):
    """Queue a failed (or lost) job again; what it had finished stays finished."""
    task_function = task_function or _TASKS[job.kind]
    job.status = 'queued'
    job.started_at = utcnow()  # begun again: not lost until LOST_AFTER from now
    job.error = None
    job.finished_at = None
    db.session.flush()
    jobs.submit(task_function, job.id)
    return job
