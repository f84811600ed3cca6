"""The trainer's day: an offering's sessions, the roster of a session, scores, completion.

Admins see every offering; a trainer only the offerings they teach.
"""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from certificates import valid_certificates_for
from lms.assessment.queries import assessment_scores
from lms.assessment.service import add_assessment, record_results
from lms.attendance import checkin
from lms.attendance.csv_io import COLUMNS, export_csv, import_csv, read_upload
from lms.attendance.queries import last_recorded, recorded_counts
from lms.attendance.service import record_attendance, session_attendance
from lms.attendance.sheet import render_sign_in_sheet
from lms.awarding.service import issuable
from lms.completion.queries import at_a_glance
from lms.completion.service import (
    offering_completion,
    offering_end,
)
from lms.completion.words import describe_all, standing_word
from lms.enrollments.queries import accepted_enrollments
from lms.extensions import db, utcnow
from lms.formatting import format_datetime
from lms.forms import AssessmentForm, EmptyForm, form_data, render_form, saved
from lms.i18n import academy_name, current_language, localized
from lms.models import ATTENDED_STATUSES, Assessment, Offering, OfferingSession
from lms.permissions import can_manage_offering, can_report_on_offering, require
from lms.qr import qr_svg
from lms.reports.exports import offering_csv, offering_xlsx
from lms.reports.queries import offering_report
from lms.spreadsheets import CSV, XLSX, attachment
from lms.trainer.forms import CsvImportForm, roster_records, score_records
from lms.transactions import attempt

bp = Blueprint('trainer', __name__, template_folder='templates')


@bp.before_request
@login_required
def _logged_in():
    """Every page here needs a login; each view then checks the offering itself."""


def _load_offering(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    require(can_manage_offering(current_user, offering))
    return offering


def _load_session(session_id):
    offering_session = db.get_or_404(OfferingSession, session_id)
    require(can_manage_offering(current_user, offering_session.offering))
    return offering_session


def _row_errors(exc, records):
    """Map a batch error's row indexes back to enrollment ids, for the page."""
    errors = {}
    for row in exc.rows:
        record = records[row['index']]
        errors[record.get('enrollment_id')] = list(row['errors'].values())
    return errors


@bp.get('/offerings/<int:offering_id>')
def offering(offering_id):
    offering = _load_offering(offering_id)
    glance = at_a_glance([offering])[offering.id]
    return render_template(
        'trainer/offering.html',
        offering=offering,
        recorded=recorded_counts(offering),
        glance=glance,
    )


@bp.route('/sessions/<int:session_id>/roster', methods=['GET', 'POST'])
def roster(session_id):
    offering_session = _load_session(session_id)
    enrollments = accepted_enrollments(offering_session.offering)
    form, errors, refused, posted = EmptyForm(), {}, {}, None
    if form.validate_on_submit():
        posted = roster_records(
            request.form, [e.id for e in enrollments], all_present='all_present' in request.form
        )
        count, error = attempt(
            lambda: record_attendance(
                offering_session,
                posted,
                actor=current_user,
                before_start='before_start' in request.form,
            )
        )
        if error is None:
            flash(_('Attendance saved for %(n)d people.', n=count), 'success')
            return redirect(url_for('.roster', session_id=session_id))
        errors, refused = _row_errors(error, posted), error.fields
        flash(error.message, 'danger')
    recorded_by, recorded_at = last_recorded(offering_session)
    return render_template(
        'trainer/roster.html',
        offering_session=offering_session,
        offering=offering_session.offering,
        enrollments=enrollments,
        attendance=session_attendance(offering_session),
        posted={r['enrollment_id']: r for r in posted or []},
        errors=errors,
        refused=refused,
        not_started=offering_session.starts_at > utcnow(),
        form=form,
        recorded_by=recorded_by,
        recorded_at=recorded_at,
    ), 422 if errors or refused else 200


@bp.route('/offerings/<int:offering_id>/assessments/new', methods=['GET', 'POST'])
def new_assessment(offering_id):
    offering = _load_offering(offering_id)
    form = AssessmentForm()
    if saved(form, lambda: add_assessment(offering, form_data(form), actor=current_user)):
        flash(_('Assessment added.'), 'success')
        return redirect(url_for('.offering', offering_id=offering.id))
    return render_form('trainer/assessment_form.html', form, offering=offering)


@bp.route('/assessments/<int:assessment_id>/scores', methods=['GET', 'POST'])
def scores(assessment_id):
    assessment = db.get_or_404(Assessment, assessment_id)
    require(can_manage_offering(current_user, assessment.offering))
    enrollments = accepted_enrollments(assessment.offering)
    form, errors, posted = EmptyForm(), {}, None
    if form.validate_on_submit():
        posted = score_records(request.form, [e.id for e in enrollments])
        count, error = attempt(lambda: record_results(assessment, posted, actor=current_user))
        if error is None:
            flash(_('Scores saved for %(n)d people.', n=count), 'success')
            return redirect(url_for('.scores', assessment_id=assessment_id))
        errors = _row_errors(error, posted)
        flash(error.message, 'danger')
    return render_template(
        'trainer/scores.html',
        assessment=assessment,
        offering=assessment.offering,
        enrollments=enrollments,
        scores=assessment_scores(assessment),
        posted={r['enrollment_id']: r['score'] for r in posted or []},
        errors=errors,
        form=form,
    ), 422 if errors else 200


@bp.get('/offerings/<int:offering_id>/completion')
def completion(offering_id):
    offering = _load_offering(offering_id)
    completions = offering_completion(offering)
    people = {e.id: e.user for e in accepted_enrollments(offering)}
    serials = {
        enrollment_id: certificate.formatted_serial
        for enrollment_id, certificate in valid_certificates_for(
            [c.enrollment_id for c in completions]
        ).items()
    }
    over, ends_on = offering_end(offering)
    return render_template(
        'trainer/completion.html',
        offering=offering,
        completions=completions,
        people=people,
        reasons={
            c.enrollment_id: describe_all(c.eligibility, skip=('not_over',)) for c in completions
        },
        standing=standing_word,
        serials=serials,
        over=over,
        ends_on=ends_on,
        issuable=len(issuable(offering, completions)) if over else 0,
    )


@bp.get('/offerings/<int:offering_id>/report.xlsx')
def report_xlsx(offering_id):
    """The offering's attendance matrix, scores, completion and serials as a workbook."""
    offering, data = _report(offering_id)
    body = offering_xlsx(data, current_language())
    return attachment(body, XLSX, f'offering-{offering.id}-{offering.starts_on:%Y-%m-%d}.xlsx')


@bp.get('/offerings/<int:offering_id>/report.csv')
def report_csv(offering_id):
    """The same as report_xlsx, as CSV."""
    offering, data = _report(offering_id)
    body = offering_csv(data, current_language())
    return attachment(body, CSV, f'offering-{offering.id}-{offering.starts_on:%Y-%m-%d}.csv')


def _report(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    require(can_report_on_offering(current_user, offering))
    return offering, offering_report(offering)


@bp.get('/sessions/<int:session_id>/sign-in-sheet.pdf')
def sign_in_sheet(session_id):
    offering_session = _load_session(session_id)
    offering = offering_session.offering
    enrollments = accepted_enrollments(offering)
    when = format_datetime(offering_session.starts_at, weekday=True)
    pdf = render_sign_in_sheet(
        heading=academy_name(),
        title=localized(offering.course, 'title'),
        subtitle=f'{when} · {offering.place(current_language())} · {offering_session.topic}',
        columns=['№', _('Name'), _('Organisation'), _('Signature')],
        rows=[
            (
                i,
                e.user.full_name_ka,
                e.user.full_name_en,
                localized(e.user.organization, 'name') if e.user.organization else '',
            )
            for i, e in enumerate(enrollments, 1)
        ],
        footer=_('Sign-in sheet'),
    )
    filename = f'sign-in-{offering_session.starts_at:%Y-%m-%d}-{offering_session.id}.pdf'
    return Response(
        pdf,
        mimetype='application/pdf',
        headers={'Content-Disposition': f'inline; filename="{filename}"'},
    )


@bp.get('/sessions/<int:session_id>/attendance.csv')
def attendance_csv(session_id):
    offering_session = _load_session(session_id)
    text = export_csv(
        accepted_enrollments(offering_session.offering),
        session_attendance(offering_session),
    )
    filename = f'attendance-{offering_session.starts_at:%Y-%m-%d}-{offering_session.id}.csv'
    return Response(
        text.encode('utf-8'),
        mimetype='text/csv',
        headers={'Content-Disposition': f'attachment; filename="{filename}"'},
    )


@bp.route('/sessions/<int:session_id>/import', methods=['GET', 'POST'])
def import_attendance(session_id):
    offering_session = _load_session(session_id)
    form, problems, checked, status, file_error = CsvImportForm(), [], None, 200, None
    refused = {}
    if form.validate_on_submit():
        dry_run = 'apply' not in request.form

        def run():
            form.csv_text.data = _uploaded_text(form)
            return import_csv(
                offering_session,
                form.csv_text.data,
                accepted_enrollments(offering_session.offering),
                actor=current_user,
                dry_run=dry_run,
                before_start='before_start' in request.form,
            )

        result, error = attempt(run)
        if error is not None:
            problems, status, refused = error.rows, 422, error.fields
            file_error = error.fields.get('file')
            if not file_error:
                flash(error.message, 'danger')
        elif dry_run:
            checked = result
        else:
            flash(_('Imported %(n)d rows; %(c)d changed.', n=result[0], c=result[1]), 'success')
            return redirect(url_for('.roster', session_id=session_id))
    elif form.errors:
        status = 422
    return render_template(
        'trainer/import.html',
        offering_session=offering_session,
        offering=offering_session.offering,
        form=form,
        problems=problems,
        checked=checked,
        file_error=file_error,
        refused=refused,
        not_started=offering_session.starts_at > utcnow(),
        columns=COLUMNS,
    ), status


def _uploaded_text(form):
    """The CSV from the file input when one was chosen, else from the text area; Invalid
    when the file is not text (see read_upload)."""
    upload = request.files.get('csv_file')
    if upload and upload.filename:
        return read_upload(upload.read())
    return form.csv_text.data or ''


def _check_in_now(offering_session):
    """What the check-in screen shows now: QR address, typed code, seconds left, counts."""
    secret, now = current_app.config['SECRET_KEY'], utcnow()
    window = checkin.window_at(now)
    token = checkin.make_token(secret, offering_session.id, window)
    path = url_for('checkin.scan', session_id=offering_session.id, token=token)
    attendance = session_attendance(offering_session)
    return {
        'window': window,
        'url': current_app.config['PUBLIC_BASE_URL'] + path,
        'code': checkin.typed_code(secret, offering_session.id, window),
        'seconds_left': checkin.seconds_left(now),
        'present': sum(1 for a in attendance.values() if a.status in ATTENDED_STATUSES),
        'total': len(accepted_enrollments(offering_session.offering)),
        'open': checkin.is_open(offering_session, now),
    }


@bp.get('/sessions/<int:session_id>/check-in')
def check_in_screen(session_id):
    offering_session = _load_session(session_id)
    return render_template(
        'trainer/check_in.html',
        offering_session=offering_session,
        offering=offering_session.offering,
        now=_check_in_now(offering_session),
    )


@bp.get('/sessions/<int:session_id>/check-in/status.json')
def check_in_status(session_id):
    response = jsonify(_check_in_now(_load_session(session_id)))
    response.headers['Cache-Control'] = 'no-store'
    return response


@bp.get('/sessions/<int:session_id>/check-in/qr.svg')
def check_in_qr(session_id):
    now = _check_in_now(_load_session(session_id))
    response = Response(qr_svg(now['url']), mimetype='image/svg+xml')
    response.headers['Cache-Control'] = 'no-store'
    return response
