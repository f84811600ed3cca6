"""Issuing for a whole offering, and the ZIP of its certificates, as background jobs.

Issuing: the request that asks (`start_issue`) records a Job and returns at once. On a
worker, `issue_job` works out who gets a certificate and queues them in chunks of
CHUNK_SIZE enrollments (`issue_chunk`), which any number of workers share. Each chunk
renders and signs its certificates and commits them together with the job's progress and
the e-mails to their holders, or, when anything fails, rolls back whole: there is never a
certificate row without its PDF and credential, nor progress without its certificates.
The job then shows failed with the error; a retry plans again and issues only what is
still missing (issue_for_offering passes by whoever holds a valid certificate).

One issuing job at a time per offering: a second start (a double click, a colleague)
gets the job already at work. The ZIP (`start_zip`, `zip_job`) is written to a file in
the exports folder (lms.jobs.exports) and downloaded from there.
"""

import zipfile

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from certificates import valid_certificates_for
from lms import jobs
from lms.awarding import queries
from lms.awarding.service import (
    check_offering_over,
    intact_pdf,
    issue_for_offering,
    prepare_signing,
    skip_reasons,
)
from lms.completion.service import offering_completion
from lms.extensions import db
from lms.jobs import exports, progress
from lms.jobs.queries import unfinished_job
from lms.models import Job, Offering

ISSUE = 'issue_certificates'
ZIP = 'certificates_zip'
#: Enrollments per chunk: each is one task, one transaction, a few seconds of work.
CHUNK_SIZE = 25
#: Certificates read from the database at a time while a ZIP is written.
ZIP_BATCH = 50

#: What each kind of job is called on its page.
TITLES = {
    ISSUE: _l('Issuing certificates'),
    ZIP: _l('All certificates as a ZIP'),
}


def offering_of(job):
    offering_id = (job.params or {}).get('offering_id')
    return db.session.get(Offering, offering_id) if offering_id else None


def _hold(offering):
    """Hold the offering's row until this transaction ends (a write that changes nothing:
    a row lock on PostgreSQL, the write lock on SQLite), so that two requests starting a
    job on it go one after the other and the second sees the first one's job."""
    db.session.execute(
        update(Offering)
        .where(Offering.id == offering.id)
        .values(id=Offering.id)
        .execution_options(synchronize_session=False)
    )


def _start(kind, task_function, offering, actor, **params):
    _hold(offering)
    running = unfinished_job(kind, offering_id=offering.id)
    if running is not None:
        return running, False
    job = progress.start(kind, task_function, actor=actor, offering_id=offering.id, **params)
    return job, True


def asks_to_check_again(job):
    """An issuing job that found another number than the one confirmed, and stopped."""
    return job.kind == ISSUE and bool((job.result or {}).get('changed'))


def start_issue(offering, *, actor, expected=None):
    """Start issuing to everyone eligible of `offering` in the background.

    `expected`: how many certificates the person was told would be issued; when the job
    finds another number, it issues nothing and asks them to check again.
    Returns (job, True), or (the job already at work, False) when one is queued or running
    for this offering. Flushes, never commits; the work is queued when the caller commits.
    """
    return _start(ISSUE, issue_job, offering, actor, expected=expected)


def start_zip(offering, *, actor):
    """Start writing the ZIP of the offering's valid certificates; (job, started) as
    start_issue."""
    return _start(ZIP, zip_job, offering, actor)


@jobs.task()
def issue_job(job_id):
    """Plan a (new or retried) issuing job: who is issued, in chunks queued for workers."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != 'queued':
        return  # finished, or planned already by another delivery of this task
    with force_locale(progress.owner_locale(job)):
        try:
            _plan_issue(job)
        except Exception as exc:
            progress.failed(job_id, exc)


def _plan_issue(job):
    offering = offering_of(job)
    completions = offering_completion(offering)
    check_offering_over(offering, completions)
    held = valid_certificates_for([c.enrollment_id for c in completions])
    todo, skipped = [], []
    for completion in completions:
        reasons = skip_reasons(completion, held.get(completion.enrollment_id))
        if reasons:
            skipped.append({'enrollment_id': completion.enrollment_id, 'reasons': reasons})
        else:
            todo.append(completion.enrollment_id)
    result = dict(job.result or {})
    round_ = result.get('round', 0) + 1
    expected = (job.params or {}).get('expected')
    if round_ == 1 and expected is not None and expected != len(todo):
        job = progress.fail(job, f'{len(todo)} to issue, not the {expected} confirmed')
        job.result = {'offering_id': offering.id, 'changed': True, 'issued': 0, 'round': 1}
        db.session.commit()
        return
    if round_ == 1:
        # Who was passed by, and why, as it stood when the work began; a retry keeps
        # that list and adds whatever its chunks pass by.
        result.update(offering_id=offering.id, issued=0, skipped=skipped)
    result['round'] = round_
    job.result = result
    job.total = job.done + len(todo)
    prepare_signing()
    for start in range(0, len(todo), CHUNK_SIZE):
        jobs.submit(issue_chunk, job.id, round_, todo[start : start + CHUNK_SIZE])
    if todo:
        progress.running(job)
    else:
        progress.running(job)
        progress.finish(job, result)


@jobs.task()
def issue_chunk(job_id, round_, enrollment_ids):
    """Issue to `enrollment_ids` and count them done, in one transaction, or nothing."""
    job = db.session.get(Job, job_id)
    if job is None or (job.result or {}).get('round') != round_:
        return  # a chunk of a round that was retried since: the new round covers it
    with force_locale(progress.owner_locale(job)):
        try:
            offering = offering_of(job)
            # A worker waits for an issue at work on the same people (the API's, or a
            # second delivery of this chunk), then issues what is still missing.
            issued, skipped = issue_for_offering(
                offering, actor=job.created_by, enrollment_ids=enrollment_ids, wait=True
            )

            def merge(result):
                result['issued'] = result.get('issued', 0) + len(issued)
                result['skipped'] = [*result.get('skipped', []), *skipped]
                return result

            progress.count_done(job_id, len(enrollment_ids), merge)
            db.session.commit()
        except Exception as exc:
            progress.failed(job_id, exc)


progress.register(ISSUE, issue_job)


def zip_name(offering):
    return f'certificates-{offering.course.code}-{offering.starts_on:%Y-%m-%d}.zip'


@jobs.task()
def zip_job(job_id):
    """Write every valid certificate of the offering, as issued, into one ZIP file."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != 'queued':
        return
    try:
        offering = offering_of(job)
        ids = queries.valid_certificate_ids_of_offering(offering)
        progress.running(job, total=len(ids))
        name = exports.new_name(job.id, '.zip')

        def produce(fh):
            # Stored, not deflated: PDFs are compressed already, and the bytes stay as issued.
            with zipfile.ZipFile(fh, 'w', zipfile.ZIP_STORED) as archive:
                for start in range(0, len(ids), ZIP_BATCH):
                    part = ids[start : start + ZIP_BATCH]
                    for certificate in queries.certificates_with_pdfs(part):
                        archive.writestr(
                            f'{certificate.formatted_serial}.pdf', intact_pdf(certificate)
                        )
                    progress.advance(job, len(part))

        exports.write(name, produce)
        progress.finish(
            job,
            {
                'offering_id': offering.id,
                'file': name,
                'download_name': zip_name(offering),
                'count': len(ids),
            },
        )
    except Exception as exc:
        progress.failed(job_id, exc)


progress.register(ZIP, zip_job)


def export_path(job):
    """The file a finished ZIP job wrote, or None (not finished, or removed since)."""
    if job.kind != ZIP or job.status != 'done':
        return None
    return exports.path_of((job.result or {}).get('file'))


def skipped_people(job):
    """[(person or None, reasons)] of the enrollments an issuing job passed by."""
    skipped = (job.result or {}).get('skipped') or []
    people = queries.people_of_enrollments([s['enrollment_id'] for s in skipped])
    return [(people.get(s['enrollment_id']), s['reasons']) for s in skipped]
