"""The import of past years: upload a spreadsheet, and its dry run (every bad line, or
what importing would create) runs as a background job whose page shows its progress and
then what it found; confirming a good check imports that same file in another job
(lms.history holds the rules, lms.history.jobs the jobs)."""

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import HiddenField
from wtforms.validators import InputRequired

from lms.forms import Form
from lms.history.jobs import confirm_check, start_check
from lms.history.service import COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from lms.permissions import can_administer
from lms.transactions import attempt


class UploadForm(Form):
    """The file comes as `file` (read by the view); the form carries the CSRF token."""


class ConfirmForm(Form):
    """The check job whose file to import (the job's page holds this form)."""

    check = HiddenField(validators=[InputRequired()])


def allow_large_upload():
    """A spreadsheet of past years is larger than any other body the site takes: raise the
    limit for admins on this page alone, before anything reads the body (the CSRF check)."""
    if request.method == 'POST' and can_administer(current_user):
        request.max_content_length = current_app.config['HISTORY_UPLOAD_LIMIT']


def _page(status=200, **context):
    context.setdefault('form', UploadForm())
    context.setdefault('problems', [])
    return (
        render_template(
            'admin/history.html',
            required=REQUIRED_COLUMNS,
            optional=OPTIONAL_COLUMNS,
            columns=COLUMNS,
            **context,
        ),
        status,
    )


def upload():
    """Keep the file and start its check; the job's page follows it (no line is read
    here)."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(422 if form.errors else 200, form=form)
    upload = request.files.get('file')
    data = upload.read() if upload else b''
    if not data:
        return _page(422, form=form, file_error=_no_file())
    job = start_check(data, upload.filename or '', actor=current_user)
    return redirect(url_for('jobs.job', job_id=job.id), 303)


def confirm():
    """Import the file of a good check, if it is still the file that was checked."""
    form = ConfirmForm()
    check = form.check.data if form.validate_on_submit() else None
    job, error = attempt(lambda: confirm_check(check, actor=current_user))
    if error is not None:
        return _page(422, file_error=error.message)
    return redirect(url_for('jobs.job', job_id=job.id), 303)


def _no_file():
    return _('Choose the spreadsheet (.xlsx or .csv) to check.')
