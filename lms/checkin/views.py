"""A participant checks in to a session: by scanning the trainer's QR code or typing its code."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.attendance import checkin
from lms.attendance.queries import sessions_open_for_check_in
from lms.errors import Invalid
from lms.extensions import db, limiter, utcnow
from lms.forms import EmptyForm
from lms.limits import limit_minutes
from lms.models import OfferingSession
from lms.transactions import attempt

bp = Blueprint('checkin', __name__, template_folder='templates')


#: Where a scan made before logging in waits for the login (the signed session cookie).
_PENDING = 'check_in_scan'


def _enter_code(form):
    sessions = sessions_open_for_check_in(current_user, utcnow())
    return render_template('checkin/enter_code.html', sessions=sessions, form=form)


def _done(offering_session, recorded):
    if recorded:
        flash(_('You are checked in. Welcome!'), 'success')
    else:
        flash(_('You were already checked in.'), 'info')
    return render_template('checkin/done.html', offering_session=offering_session)


@bp.route('/', methods=['GET'])
@login_required
def enter_code():
    return render_template(
        'checkin/enter_code.html',
        sessions=sessions_open_for_check_in(current_user, utcnow()),
        form=EmptyForm(),
    )


def _code_limit():
    return current_app.config['CHECK_IN_CODE_RATE_LIMIT']


def _session_code_limit():
    return current_app.config['CHECK_IN_SESSION_RATE_LIMIT']


def _person_in_session():
    # The person's id, not get_id(): that changes with every logout, which would reset it.
    return f'check-in-code:{request.view_args["session_id"]}:{current_user.id}'


def _whole_session():
    return f'check-in-code:{request.view_args["session_id"]}'


def _wrong_code(response):
    """Only a wrong code counts against the limits: not a check-in that worked, nor the
    refusal of someone who may not check in to the session at all (they are told so
    before their code is looked at), so outsiders cannot use up a session's budget."""
    return g.get('wrong_check_in_code', False)


def _person_paused():
    return _(
        'Too many wrong codes. Typing is paused for you for %(minutes)d minutes: scan the QR '
        'code on the screen instead, or ask the trainer to mark you present.',
        minutes=limit_minutes(_code_limit()),
    )


def _session_paused():
    return _(
        'Too many wrong codes were typed for this session. Typing is paused for %(minutes)d '
        'minutes: scan the QR code on the screen instead, or ask the trainer to mark you '
        'present.',
        minutes=limit_minutes(_session_code_limit()),
    )


@bp.post('/<int:session_id>/code')
@login_required
# Six digits are a million codes, three of them good at a time: a few wrong tries per
# person and a cap per session keep guessing hopeless (README, "Self check-in").
@limiter.limit(
    _code_limit, key_func=_person_in_session, deduct_when=_wrong_code, error_message=_person_paused
)
@limiter.limit(
    _session_code_limit,
    key_func=_whole_session,
    deduct_when=_wrong_code,
    error_message=_session_paused,
)
def typed(session_id):
    offering_session = db.get_or_404(OfferingSession, session_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for('.enter_code'))
    secret = current_app.config['SECRET_KEY']

    def check_in():
        checkin.enrollment_checking_in(offering_session, current_user, utcnow())
        try:
            checkin.check_typed_code(secret, session_id, request.form.get('code'), utcnow())
        except Invalid:
            g.wrong_check_in_code = True
            raise
        return checkin.check_in(offering_session, current_user)

    recorded, error = attempt(check_in)
    if error is not None:
        flash(error.message, 'danger')
        return render_template(
            'checkin/enter_code.html',
            sessions=sessions_open_for_check_in(current_user, utcnow()),
            form=form,
        ), 422
    return _done(offering_session, recorded)


@bp.route('/<int:session_id>/<token>', methods=['GET', 'POST'])
def scan(session_id, token):
    """The QR code's address: a confirm button (GET changes nothing), then the check-in.

    Scanned before logging in, the code is checked at once and the scan is remembered in
    the person's session; after logging in (within checkin.LOGIN_GRACE) the same address
    still checks them in, although the code on the screen has long changed.
    """
    offering_session = db.get_or_404(OfferingSession, session_id)
    secret, now = current_app.config['SECRET_KEY'], utcnow()
    form = EmptyForm()

    def answer():
        if not current_user.is_authenticated:
            checkin.read_token(secret, token, session_id, now)
            session[_PENDING] = checkin.pending_scan(session_id, token, now)
            return current_app.login_manager.unauthorized()
        if not checkin.is_pending(session.get(_PENDING), session_id, token, now):
            checkin.read_token(
                secret, token, session_id, now, grace=0 if request.method == 'GET' else 1
            )
        if form.validate_on_submit():
            recorded = checkin.check_in(offering_session, current_user)
            session.pop(_PENDING, None)
            return _done(offering_session, recorded)
        return render_template('checkin/confirm.html', offering_session=offering_session, form=form)

    response, refused = attempt(answer)
    if refused is not None:
        return render_template('checkin/refused.html', message=refused.message), 422
    return response
