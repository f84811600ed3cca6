"""Inviting people from a CSV file: a dry run first, then every line or none
(lms.people.invitations holds the rules)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import TextAreaField

from lms.csv_files import read_upload
from lms.forms import Form, max_length
from lms.people.invitations import COLUMNS, MAX_TEXT_LENGTH, invite_people
from lms.transactions import attempt


class InviteForm(Form):
    """The file comes as `csv_file` (read by the view), or its lines pasted here."""

    csv_text = TextAreaField(validators=[max_length(MAX_TEXT_LENGTH)])


def invite():
    form, problems, checked, status, file_error = InviteForm(), [], None, 200, None
    if form.validate_on_submit():
        dry_run = 'apply' not in request.form

        def run():
            form.csv_text.data = _uploaded_text(form)
            return invite_people(form.csv_text.data, actor=current_user, dry_run=dry_run)

        outcome, error = attempt(run)
        if error is not None:
            problems, status = error.rows, 422
            file_error = error.fields.get('file')
            if not file_error:
                flash(error.message, 'danger')
        elif dry_run:
            checked = outcome
        else:
            flash(
                _(
                    '%(rows)d lines: %(created)d people created, %(existing)d already there, '
                    '%(enrolled)d enrolled, %(invited)d invited.',
                    rows=outcome.rows,
                    created=outcome.created,
                    existing=outcome.existing,
                    enrolled=outcome.enrolled,
                    invited=outcome.invited,
                ),
                'success',
            )
            return redirect(url_for('.people'))
    elif form.errors:
        status = 422
    page = render_template(
        'admin/invite.html',
        form=form,
        problems=problems,
        checked=checked,
        file_error=file_error,
        columns=COLUMNS,
    )
    return page, status


def _uploaded_text(form):
    """The CSV from the file input when one was chosen, else from the text area."""
    upload = request.files.get('csv_file')
    if upload and upload.filename:
        return read_upload(upload.read())
    return form.csv_text.data or ''
