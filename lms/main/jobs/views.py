"""A job's page (progress, result, retry) and the download of the file it wrote.

The page refreshes itself every REFRESH_SECONDS while the job runs (a meta refresh: no
JavaScript needed), and stops once the job is done or failed.
"""

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.awarding.jobs import (
    ISSUE,
    TITLES,
    ZIP,
    asks_to_check_again,
    export_path,
    offering_of,
    skipped_people,
)
from lms.history.jobs import CHECK, IMPORT
from lms.history.jobs import TITLES as HISTORY_TITLES
from lms.history.service import COLUMNS as HISTORY_COLUMNS
from lms.jobs import progress, queries
from lms.permissions import can_download_export, can_see_job, require

bp = Blueprint('jobs', __name__, template_folder='templates')

REFRESH_SECONDS = 2


@bp.before_request
@login_required
def _logged_in():
    """Every page here needs a login; each view then checks the job."""


def _job_or_404(job_id):
    job = queries.job(job_id)
    if job is None:
        abort(404)
    return job


@bp.get('/<int:job_id>')
def job(job_id):
    job = _job_or_404(job_id)
    require(can_see_job(current_user, job))
    offering = offering_of(job)
    return render_template(
        'jobs/job.html',
        job=job,
        title=TITLES.get(job.kind) or HISTORY_TITLES.get(job.kind, job.kind),
        offering=offering,
        skipped=skipped_people(job) if job.kind == ISSUE and job.is_finished else [],
        file_ready=export_path(job) is not None,
        file_gone=job.kind == ZIP and job.status == 'done' and export_path(job) is None,
        can_retry=progress.can_retry(job) and not asks_to_check_again(job),
        check_again=asks_to_check_again(job),
        refresh=None if job.is_finished else REFRESH_SECONDS,
        ISSUE=ISSUE,
        ZIP=ZIP,
        IMPORT=IMPORT,
        CHECK=CHECK,
        history_columns=HISTORY_COLUMNS,
    )


@bp.post('/<int:job_id>/retry')
def retry(job_id):
    job = _job_or_404(job_id)
    require(can_see_job(current_user, job))
    if progress.can_retry(job) and not asks_to_check_again(job):
        progress.retry(job)
    else:
        flash(_('Only a job that failed can be tried again.'), 'warning')
    return redirect(url_for('jobs.job', job_id=job.id))


@bp.get('/<int:job_id>/download')
def download(job_id):
    job = _job_or_404(job_id)
    require(can_download_export(current_user, job, offering_of(job)))
    path = export_path(job)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype='application/zip',
        as_attachment=True,
        download_name=job.result.get('download_name') or 'certificates.zip',
        max_age=0,
    )
