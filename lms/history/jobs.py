"""The import of past years as background jobs, for the admin page: the check (the dry
run) and the import.

The page keeps the uploaded file in the instance folder (`instance/history-imports/`,
under a random name) and starts `check_job`, which runs the dry run on a worker with the
lines checked as the job's progress. The job's result is what the dry run found (every
bad line, or what importing would create) and the SHA-256 of the bytes it checked. Once
the admin confirms a good check (`confirm_check`), `import_job` imports that same file,
and only while it still has the checked hash: a file changed or removed since is refused,
on the page and again by the job. The import reports the lines checked as its progress
(nothing is written while it checks, so each report commits nothing else), then writes
every line in one transaction that also marks the job done, so the job is done exactly
when the import is in the database. A file with bad lines fails the import job and writes
nothing. The file is removed once imported, or once its check found that it cannot be
imported; a failed job keeps it, for a retry. Uploads never confirmed are removed after
KEEP.

Both jobs speak the language of the page that started them: a check's result keeps the
dry run's messages as words.
"""

import contextlib
import hashlib
import os
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from lms import jobs
from lms.errors import Invalid
from lms.extensions import db
from lms.history.service import import_history
from lms.i18n import current_language
from lms.jobs import exports, progress, queries
from lms.models import Job
from lms.validation import MAX_INT

IMPORT = 'history_import'
CHECK = 'history_check'
TITLES = {IMPORT: _l('Import of past years'), CHECK: _l('Check of a file of past years')}
#: How long an upload waits for its confirmation.
KEEP = timedelta(hours=24)
_NAME = re.compile(r'[A-Za-z0-9_-]{16,64}\.(csv|xlsx)')
_ID = re.compile(r'[0-9]{1,10}')


def folder():
    path = os.path.join(current_app.instance_path, 'history-imports')
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def save_upload(data, filename):
    """Keep an uploaded file until its import is done; returns the name it is kept under.
    Uploads older than KEEP that were never imported go at the same time."""
    exports.remove_older(folder(), KEEP)
    suffix = '.xlsx' if (filename or '').lower().endswith('.xlsx') else '.csv'
    name = secrets.token_urlsafe(18) + suffix
    with open(os.path.join(folder(), name), 'wb') as fh:
        fh.write(data)
    return name


def upload_path(name):
    """The kept file `name` (as a job's params hold it), or None."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return None
    path = os.path.join(folder(), name)
    return path if os.path.isfile(path) else None


def digest(data):
    """What identifies a file's contents: the SHA-256 of its bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def _remove(path):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def start_check(data, filename, *, actor):
    """Keep the uploaded spreadsheet `data` and start its dry run in the background;
    returns the Job. Flushes, never commits: the work is queued when the caller commits."""
    name = save_upload(data, filename)
    return progress.start(
        CHECK, check_job, actor=actor, file=name, filename=filename, locale=current_language()
    )


def _gone():
    return _l('The checked file is no longer here: upload it and check it again.')


def _changed():
    return _l('The file changed after it was checked: upload it and check it again.')


def confirm_check(check_id, *, actor):
    """Start importing the file that the check job `check_id` (its id, as the form sends
    it) found right; returns the import's Job (the one already at work on it, if any).
    Raises Invalid, starting nothing, unless the check ended without problems and its
    file is still there with the checked hash. Flushes, never commits."""
    digits = str(check_id or '').strip()
    found = _ID.fullmatch(digits) and 0 < int(digits) <= MAX_INT
    check = db.session.get(Job, int(digits)) if found else None
    result = (check.result or {}) if check is not None else {}
    if check is None or check.kind != CHECK or check.status != 'done' or 'lines' not in result:
        raise Invalid(_gone())
    name = (check.params or {}).get('file')
    path = upload_path(name)
    if path is None:
        raise Invalid(_gone())
    with open(path, 'rb') as fh:
        if digest(fh.read()) != result.get('sha256'):
            raise Invalid(_changed())
    running = queries.unfinished_job(IMPORT, file=name, sha256=result['sha256'])
    if running is not None:
        return running
    return progress.start(
        IMPORT,
        import_job,
        actor=actor,
        file=name,
        filename=check.params.get('filename') or '',
        sha256=result['sha256'],
        check=check.id,
        locale=current_language(),
    )


def _run_job(job_id, kind, work):
    """Run `work(job)` for the queued job `job_id` of `kind`, in its language; a failure
    rolls back and is written on the job."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != kind or job.status != 'queued':
        return
    with force_locale(progress.owner_locale(job)):
        try:
            work(job)
        except Exception as exc:
            progress.failed(job_id, exc)


def _read(job):
    """(path, bytes) of the job's kept file; Invalid when it is gone."""
    path = upload_path((job.params or {}).get('file'))
    if path is None:
        raise Invalid(_l('The uploaded file is gone; upload it again.'))
    with open(path, 'rb') as fh:
        return path, fh.read()


def _reporter(job):
    """The `progress(done, total)` of import_history, for `job`."""

    def report(done, total):
        # Nothing is written while the lines are checked: this commits the progress alone.
        job.total = total
        job.done = min(done, total - 1)
        db.session.commit()

    return report


def _figures(counts):
    """A job's result: what the import created (or, checked, would create)."""
    return {
        'lines': counts.rows,
        'offerings': counts.offerings,
        'people': counts.people,
        'enrollments': counts.enrollments,
        'certificates': counts.certificates,
    }


@jobs.task()
def check_job(job_id):
    """The dry run of the job's file (lms.history.service): what it found is the result."""
    _run_job(job_id, CHECK, _check)


def _check(job):
    path, data = _read(job)
    progress.running(job, total=0)
    try:
        counts = import_history(
            data,
            job.params.get('filename') or '',
            actor=job.created_by,
            dry_run=True,
            progress=_reporter(job),
        )
    except Invalid as exc:
        db.session.rollback()
        if exc.rows:
            result = {
                'summary': str(exc.message),
                'problems': [
                    {
                        'index': row['index'],
                        'errors': {column: str(text) for column, text in row['errors'].items()},
                    }
                    for row in exc.rows
                ],
            }
        else:
            result = {'file_error': str((exc.fields or {}).get('file') or exc.message)}
        progress.finish(job, result)
        _remove(path)  # it cannot be imported
        return
    db.session.rollback()  # a dry run: nothing to keep
    progress.finish(job, {**_figures(counts), 'sha256': digest(data)})


@jobs.task()
def import_job(job_id):
    """Import the job's file: every line or none (lms.history.service)."""
    _run_job(job_id, IMPORT, _import)


def _import(job):
    params = job.params or {}
    path, data = _read(job)
    if params.get('sha256') and digest(data) != params['sha256']:
        raise Invalid(_changed())
    progress.running(job, total=0)
    counts = import_history(
        data,
        params.get('filename') or '',
        actor=job.created_by,
        dry_run=False,
        progress=_reporter(job),
    )
    progress.finish(job, _figures(counts))  # the import and the job's end, in one commit
    _remove(path)


progress.register(CHECK, check_job)
progress.register(IMPORT, import_job)
