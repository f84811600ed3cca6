"""A participant checks in to a session: by scanning the trainer's QR code or typing its code."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.attendance import checkin
from lms.errors import DomainError
from lms.extensions import db, utcnow
from lms.forms import EmptyForm
from lms.models import Enrollment, OfferingSession

bp = Blueprint('checkin', __name__, template_folder='templates')


@bp.before_request
@login_required
def _logged_in():
    """Checking in needs the person's own login; the scanned address survives the login."""


def _sessions_now(user):
    """The sessions open for check-in now in offerings where `user` is accepted."""
    now = utcnow()
    return db.session.scalars(
        select(OfferingSession)
        .join(Enrollment, Enrollment.offering_id == OfferingSession.offering_id)
        .where(
            Enrollment.user_id == user.id,
            Enrollment.status == 'accepted',
            OfferingSession.starts_at <= now + checkin.OPEN_BEFORE,
            OfferingSession.ends_at >= now - checkin.OPEN_AFTER,
        )
        .order_by(OfferingSession.starts_at)
    ).all()


def _done(offering_session, recorded):
    db.session.commit()
    if recorded:
        flash(_('You are checked in. Welcome!'), 'success')
    else:
        flash(_('You were already checked in.'), 'info')
    return render_template('checkin/done.html', offering_session=offering_session)


@bp.route('/', methods=['GET'])
def enter_code():
    return render_template(
        'checkin/enter_code.html', sessions=_sessions_now(current_user), form=EmptyForm()
    )


@bp.post('/<int:session_id>/code')
def typed(session_id):
    offering_session = db.get_or_404(OfferingSession, session_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for('.enter_code'))
    secret = current_app.config['SECRET_KEY']
    try:
        checkin.check_typed_code(secret, session_id, request.form.get('code'), utcnow())
        recorded = checkin.check_in(offering_session, current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, 'danger')
        return render_template(
            'checkin/enter_code.html', sessions=_sessions_now(current_user), form=form
        ), 422
    return _done(offering_session, recorded)


@bp.route('/<int:session_id>/<token>', methods=['GET', 'POST'])
def scan(session_id, token):
    """The QR code's address: a confirm button (GET changes nothing), then the check-in."""
    offering_session = db.get_or_404(OfferingSession, session_id)
    secret = current_app.config['SECRET_KEY']
    form = EmptyForm()
    try:
        checkin.read_token(
            secret, token, session_id, utcnow(), grace=0 if request.method == 'GET' else 1
        )
        if form.validate_on_submit():
            return _done(offering_session, checkin.check_in(offering_session, current_user))
    except DomainError as exc:
        db.session.rollback()
        return render_template('checkin/refused.html', message=exc.message), 422
    return render_template('checkin/confirm.html', offering_session=offering_session, form=form)
