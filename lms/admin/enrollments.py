"""Applications: the list with its filters, the decision buttons, and enrolling someone."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.common import cursors, query_int
from lms.admin.forms import EnrollForm
from lms.catalogue.queries import recent_offerings
from lms.enrollments.queries import people_to_enroll, search_enrollments
from lms.enrollments.service import enroll, set_enrollment_status
from lms.extensions import db
from lms.forms import EmptyForm, form_data, render_form, saved
from lms.i18n import localized
from lms.labels import choices, label
from lms.models import Enrollment, Offering
from lms.pagination import keyset_page
from lms.permissions import can_set_enrollment_status, require
from lms.redirects import safe_next
from lms.search import search_text


def index():
    q, status, offering_id = (
        search_text(request.args.get('q')),
        request.args.get('status', ''),
        query_int('offering_id'),
    )
    return render_template(
        'admin/enrollments.html',
        page=keyset_page(search_enrollments(q, status, offering_id), **cursors()),
        q=q,
        status=status,
        offering_id=offering_id,
        statuses=choices('enrollment_status'),
        offerings=recent_offerings(include_id=offering_id),
    )


def set_status(enrollment_id):
    """A decision button (accept, waitlist, reject); a full offering is said in a message."""
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    require(can_set_enrollment_status(current_user, enrollment))
    back = safe_next(request.form.get('next'), url_for('.enrollments'))
    if EmptyForm().validate_on_submit():
        # A refusal (the offering is full) goes back to the page with the reason in words.
        set_enrollment_status(
            enrollment, {'status': request.form.get('status')}, actor=current_user
        )
        name = localized(enrollment.user, 'full_name')
        status_word = label(enrollment.status, 'enrollment_status')
        flash(_('%(name)s: %(status)s.', name=name, status=status_word), 'success')
    return redirect(back)


def new(offering_id):
    """Enroll a person chosen from a search (?q=) with a status the admin picks."""
    offering = db.get_or_404(Offering, offering_id)
    q = search_text(request.args.get('q'))
    form = EnrollForm(people=people_to_enroll(offering, q))
    enrollment = saved(form, lambda: enroll(offering, form_data(form), actor=current_user))
    if enrollment:
        flash(_('%(name)s is enrolled.', name=localized(enrollment.user, 'full_name')), 'success')
        return redirect(url_for('.offering', offering_id=offering.id, _anchor='enrollments'))
    return render_form('admin/enroll.html', form, offering=offering, q=q)
