"""What pages read about jobs: one job, and the job still at work on a thing."""

from sqlalchemy import select

from lms.extensions import db
from lms.models import Job


def job(job_id):
    return db.session.get(Job, job_id)


def unfinished_job(kind, **params):
    """The newest job of `kind` that is queued or running and whose params include `params`
    (e.g. offering_id=7), or None. Few jobs are unfinished at a time: the params are
    compared here rather than in JSON SQL, which SQLite and PostgreSQL spell differently."""
    candidates = db.session.scalars(
        select(Job)
        .where(Job.kind == kind, Job.status.in_(('queued', 'running')))
        .order_by(Job.id.desc())
    )
    for candidate in candidates:
        if all((candidate.params or {}).get(k) == v for k, v in params.items()):
            return candidate
    return None
