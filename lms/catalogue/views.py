"""The public catalogue: published offerings, one offering's page, and applying to it."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.catalogue import queries
from lms.catalogue.forms import ApplyForm
from lms.enrollments.service import enroll
from lms.extensions import db
from lms.models import COURSE_KINDS, Offering
from lms.pagination import paginate
from lms.permissions import (
    academy_today,
    can_apply,
    can_view_offering,
    is_participant,
    require,
)
from lms.search import search_text

bp = Blueprint('catalogue', __name__, template_folder='templates')


def _load_offering(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    if not can_view_offering(current_user, offering):
        abort(404)  # a draft does not exist for the public
    return offering


@bp.get('/')
def index():
    kind = request.args.get('kind')
    kind = kind if kind in COURSE_KINDS else None
    q = search_text(request.args.get('q'))
    page = paginate(queries.published_offerings(academy_today(), q, kind), request.args.get('page'))
    return render_template('catalogue/index.html', page=page, kind=kind, q=q, kinds=COURSE_KINDS)


def _render_offering(offering, form, status=200):
    enrollment = None
    if current_user.is_authenticated:
        enrollment = queries.enrollment_of(current_user, offering)
    return render_template(
        'catalogue/offering.html', offering=offering, form=form, enrollment=enrollment
    ), status


@bp.get('/offerings/<int:offering_id>')
def offering(offering_id):
    return _render_offering(_load_offering(offering_id), ApplyForm())


@bp.post('/offerings/<int:offering_id>/apply')
@login_required
def apply(offering_id):
    """A participant applies for themselves; the academy decides later."""
    offering = _load_offering(offering_id)
    require(is_participant(current_user))
    form = ApplyForm()
    if not form.validate_on_submit():
        return _render_offering(offering, form, 422)
    here = url_for('.offering', offering_id=offering.id)
    if queries.enrollment_of(current_user, offering) is not None:
        flash(_('You have already applied to this offering.'), 'info')
        return redirect(here)
    if not can_apply(current_user, offering):
        flash(_('This offering does not take applications now.'), 'warning')
        return redirect(here)
    # A second click that overtook the first is refused as a Conflict and goes back to
    # the offering's page with the reason (lms.main.errors).
    enroll(
        offering,
        {'user_id': current_user.id, 'motivation': form.motivation.data or ''},
        actor=current_user,
    )
    flash(
        _('Your application has been sent. The academy will let you know its decision.'), 'success'
    )
    return redirect(here)
