"""The import of past years: upload a spreadsheet, see the dry run (every bad line, or what
importing would create), confirm, and the import runs as a background job
(lms.history holds the rules)."""

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import HiddenField
from wtforms.validators import InputRequired

from lms.forms import Form
from lms.history.jobs import save_upload, start_import, upload_path
from lms.history.service import COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, import_history
from lms.permissions import can_administer
from lms.transactions import attempt


class UploadForm(Form):
    """The file comes as `file` (read by the view); the form carries the CSRF token."""


class ConfirmForm(Form):
    upload = HiddenField(validators=[InputRequired()])
    filename = HiddenField()


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
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(422 if form.errors else 200, form=form)
    upload = request.files.get('file')
    data = upload.read() if upload else b''
    filename = upload.filename if upload else ''
    if not data:
        return _page(422, form=form, file_error=_no_file())
    counts, error = attempt(
        lambda: import_history(data, filename, actor=current_user, dry_run=True)
    )
    if error is not None:
        return _page(
            422,
            form=form,
            problems=error.rows or [],
            file_error=(error.fields or {}).get('file') or (None if error.rows else error.message),
            summary=error.message if error.rows else None,
        )
    name = save_upload(data, filename)
    confirm = ConfirmForm(formdata=None, upload=name, filename=filename)
    return _page(form=form, counts=counts, confirm=confirm, filename=filename)


def confirm():
    form = ConfirmForm()
    if not form.validate_on_submit() or upload_path(form.upload.data) is None:
        return _page(422, file_error=_gone())
    job = start_import(form.upload.data, form.filename.data or '', actor=current_user)
    return redirect(url_for('jobs.job', job_id=job.id))


def _no_file():
    return _('Choose the spreadsheet (.xlsx or .csv) to check.')


def _gone():
    return _('The checked file is no longer here: upload it and check it again.')
