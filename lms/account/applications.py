"""A participant's own applications: their status, withdrawing one, answering a seat offer."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.enrollments import seats
from lms.enrollments.queries import applications_of
from lms.enrollments.service import can_still_withdraw, withdraw
from lms.extensions import db, utcnow
from lms.forms import EmptyForm
from lms.i18n import localized
from lms.models import Enrollment
from lms.permissions import can_answer_for


def _own(enrollment_id):
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    if not can_answer_for(current_user, enrollment):
        abort(404)  # someone else's application: not even that it exists is told
    return enrollment


def index():
    """The list; offers whose time has passed are lapsed first (seats, rule 4)."""
    seats.lapse_offers_for(current_user)
    now = utcnow()
    return render_template(
        'account/applications.html',
        applications=[
            (e, place, seats.has_pending_offer(e, now), can_still_withdraw(e, now))
            for e, place in applications_of(current_user)
        ],
        form=EmptyForm(),
    )


def withdraw_page(enrollment_id):
    """GET asks for confirmation (no JavaScript needed); POST withdraws. After the event
    has started it is refused, with the reason."""
    enrollment = _own(enrollment_id)
    form = EmptyForm()
    if form.validate_on_submit():
        withdraw(enrollment, actor=current_user)
        title = localized(enrollment.offering.course, 'title')
        flash(_('Your application to "%(title)s" is withdrawn.', title=title), 'success')
        return redirect(url_for('.applications'))
    return render_template(
        'account/application_withdraw.html',
        form=form,
        enrollment=enrollment,
        allowed=can_still_withdraw(enrollment),
    )


def confirm_offer(enrollment_id):
    enrollment = _own(enrollment_id)
    if EmptyForm().validate_on_submit():
        seats.confirm_offer(enrollment, actor=current_user)
        flash(_('The seat is yours: you are accepted. See you there!'), 'success')
    return redirect(url_for('.applications'))


def decline_offer(enrollment_id):
    enrollment = _own(enrollment_id)
    if EmptyForm().validate_on_submit():
        seats.decline_offer(enrollment, actor=current_user)
        flash(_('You declined the seat; it goes to the next person on the waitlist.'), 'info')
    return redirect(url_for('.applications'))
