"""An offering's applications queue: what each applicant told, filters, and deciding many
at once (accept, waitlist, reject) within capacity."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.admin.common import cursors, query_int
from lms.enrollments import seats
from lms.enrollments.queries import application_queue, waitlist_positions
from lms.enrollments.service import decide_many
from lms.extensions import db, utcnow
from lms.forms import EmptyForm
from lms.labels import choices, label
from lms.models import ENROLLMENT_STATUSES, GENDERS, SECTORS, Offering
from lms.organizations.service import municipalities
from lms.pagination import keyset_page
from lms.redirects import safe_next


def _choice(name, allowed):
    value = request.args.get(name, '')
    return value if value in allowed else ''


#: Besides PER_PAGE, how many applications a page of the queue may show: up to 250 at
#: once, so that a call's applicants can be decided in one action.
LARGER_PAGES = (100, 250)


def _page_sizes():
    return sorted({current_app.config['PER_PAGE'], *LARGER_PAGES})


def _page_size():
    size = query_int('per_page')
    return size if size in _page_sizes() else current_app.config['PER_PAGE']


def queue(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    seats.lapse_expired_offers(offering_ids=[offering.id])  # seats, rule 4, without a worker
    filters = {
        'status': _choice('status', ENROLLMENT_STATUSES),
        'sector': _choice('sector', SECTORS),
        'residence_id': query_int('residence_id'),
        'gender': _choice('gender', GENDERS),
    }
    now = utcnow()
    return render_template(
        'admin/applications.html',
        offering=offering,
        page=keyset_page(
            application_queue(offering, **filters), **cursors(), per_page=_page_size()
        ),
        filters=filters,
        page_sizes=_page_sizes(),
        page_size=_page_size(),
        select_all=request.args.get('select') == 'all',
        places_left=seats.places_left(offering, now),
        places=waitlist_positions(offering),
        now=now,
        statuses=choices('enrollment_status'),
        sectors=choices('sector'),
        genders=choices('gender'),
        municipalities=municipalities(),
        form=EmptyForm(),
    )


def decide(offering_id):
    """The bulk action: all the selected applications get the decision, or none does (a
    refusal, such as too few places, goes back to the queue with the reason)."""
    offering = db.get_or_404(Offering, offering_id)
    back = safe_next(request.form.get('next'), url_for('.applications', offering_id=offering.id))
    ids, status = request.form.getlist('enrollment_ids'), request.form.get('status', '')
    if not ids:
        flash(_('Select at least one application.'), 'warning')
    elif EmptyForm().validate_on_submit():
        changed = decide_many(offering, ids, status, actor=current_user)
        flash(
            ngettext(
                '%(num)d application: %(status)s.',
                '%(num)d applications: %(status)s.',
                changed,
                status=label(status, 'enrollment_status'),
            ),
            'success',
        )
    return redirect(back)
