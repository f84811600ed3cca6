"""The import of past years as a background job, for the admin page.

The page keeps the uploaded file in the instance folder (`instance/history-imports/`,
under a random name) and shows the dry run; once confirmed, `import_job` runs the whole
import on a worker: it reports the lines checked as the job's progress (nothing is
written while it checks, so each report commits nothing else), then writes every line in
one transaction that also marks the job done, so the job is done exactly when the import
is in the database. A file with bad lines fails the job and writes nothing. The file is
removed once the job is done; a failed job keeps it, for a retry. Uploads never confirmed
are removed after KEEP.
"""

import logging
import os
import re
import secrets
import time
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from lms import jobs
from lms.errors import DomainError, Invalid
from lms.extensions import db
from lms.history.service import import_history
from lms.jobs import progress
from lms.models import Job
from lms.notifications.service import recipient_locale

logger = logging.getLogger('lms.jobs')

IMPORT = 'history_import'
TITLES = {IMPORT: _l('Import of past years')}
#: How long an upload waits for its confirmation.
KEEP = timedelta(hours=24)
#: Problems named in a failed job's message (the dry run on the page lists them all).
SHOWN_PROBLEMS = 20
_NAME = re.compile(r'[A-Za-z0-9_-]{16,64}\.(csv|xlsx)')


def folder():
    path = os.path.join(current_app.instance_path, 'history-imports')
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def save_upload(data, filename):
    """Keep an uploaded file until its import is done; returns the name it is kept under.
    Uploads older than KEEP that were never imported go at the same time."""
    _remove_old()
    suffix = '.xlsx' if (filename or '').lower().endswith('.xlsx') else '.csv'
    name = secrets.token_urlsafe(18) + suffix
    with open(os.path.join(folder(), name), 'wb') as fh:
        fh.write(data)
    return name


def upload_path(name):
    """The kept file `name` (as the confirmation form sends it back), or None."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return None
    path = os.path.join(folder(), name)
    return path if os.path.isfile(path) else None


def _remove_old(now=None):
    now = time.time() if now is None else now
    with os.scandir(folder()) as entries:
        for entry in entries:
            if entry.is_file() and now - entry.stat().st_mtime > KEEP.total_seconds():
                os.unlink(entry.path)


def start_import(name, filename, *, actor):
    """Start importing the kept upload `name` in the background; returns the Job.
    Flushes, never commits: the work is queued when the caller commits."""
    return progress.start(IMPORT, import_job, actor=actor, file=name, filename=filename)


def _locale(job):
    return (recipient_locale(job.created_by) if job.created_by else None) or 'ka'


def _failure(exc):
    if isinstance(exc, Invalid) and exc.rows:
        lines = [
            f'line {row["index"]}: '
            + '; '.join(f'{column}: {message}' for column, message in row['errors'].items())
            for row in exc.rows[:SHOWN_PROBLEMS]
        ]
        return '\n'.join([str(exc.message), *lines])
    if isinstance(exc, DomainError):
        return str(exc.message)
    return f'{type(exc).__name__}: {exc}'


@jobs.task()
def import_job(job_id):
    """Import the job's file: every line or none (lms.history.service)."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != 'queued':
        return
    with force_locale(_locale(job)):
        try:
            _run(job)
        except Exception as exc:
            if not isinstance(exc, DomainError):
                logger.exception('Job %s failed', job_id)
            db.session.rollback()
            progress.fail(db.session.get(Job, job_id), _failure(exc))


def _run(job):
    params = job.params or {}
    path = upload_path(params.get('file'))
    if path is None:
        raise Invalid(_l('The uploaded file is gone; upload it again.'))
    with open(path, 'rb') as fh:
        data = fh.read()
    progress.running(job, total=0)

    def report(done, total):
        # Nothing is written while the lines are checked: this commits the progress alone.
        job.total = total
        job.done = min(done, total - 1)
        db.session.commit()

    counts = import_history(
        data, params.get('filename') or '', actor=job.created_by, dry_run=False, progress=report
    )
    # The import and the job's end, in one commit.
    progress.finish(
        job,
        {
            'lines': counts.rows,
            'offerings': counts.offerings,
            'people': counts.people,
            'enrollments': counts.enrollments,
            'certificates': counts.certificates,
        },
    )
    os.unlink(path)


progress.register(IMPORT, import_job)
