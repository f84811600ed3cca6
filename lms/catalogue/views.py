"""The public catalogue: published offerings, one offering's page, and applying to it."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.caching import shared_page
from lms.catalogue import queries
from lms.catalogue.forms import ApplyForm
from lms.enrollments import consent
from lms.enrollments.service import apply as apply_application
from lms.extensions import db, limiter
from lms.forms import organization_search, render_form, saved
from lms.i18n import current_language
from lms.models import COURSE_KINDS, Offering
from lms.organizations.service import municipalities
from lms.people.registration import request_registration
from lms.people.tokens import lifetime
from lms.permissions import (
    academy_today,
    applications_state,
    can_view_offering,
    is_participant,
    require,
)
from lms.search import search_text

bp = Blueprint('catalogue', __name__, template_folder='templates')

#: Where an application typed by a newcomer waits, should they have an account after all
#: and log in (the e-mail to the address says so; the page never does).
DRAFT_KEY = 'application_draft'


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
    return shared_page(
        ('catalogue.index', current_language(), request.full_path),
        lambda: render_template(
            'catalogue/index.html',
            page=queries.catalogue_page(academy_today(), q, kind, request.args.get('page')),
            kind=kind,
            q=q,
            kinds=COURSE_KINDS,
        ),
        personal=current_user.is_authenticated or '_flashes' in session,
    )


@bp.get('/offerings/<int:offering_id>')
def offering(offering_id):
    offering = _load_offering(offering_id)
    enrollment = None
    if current_user.is_authenticated:
        enrollment = queries.enrollment_of(current_user, offering)
    return render_template('catalogue/offering.html', offering=offering, enrollment=enrollment)


def _apply_form(offering, newcomer):
    """The form, prefilled on a first look: from a draft kept while the person logged in,
    else from their profile."""
    options = {'newcomer': newcomer, 'municipalities': municipalities()}
    if request.method == 'POST':
        return ApplyForm(**options)
    draft = session.get(DRAFT_KEY)
    if draft and draft.get('offering_id') == offering.id:
        return ApplyForm(data=draft['data'], **options)
    if newcomer:
        return ApplyForm(**options)
    person = current_user
    return ApplyForm(
        data={
            'sector': person.sector,
            'organization_id': str(person.organization_id or ''),
            'position': person.position or '',
        },
        **options,
    )


def _newcomer_limit():
    return current_app.config['LOGIN_RATE_LIMIT']


@bp.route('/offerings/<int:offering_id>/apply', methods=['GET', 'POST'])
@limiter.limit(_newcomer_limit, methods=['POST'], exempt_when=lambda: current_user.is_authenticated)
def apply(offering_id):
    """Apply: a participant for themselves; a visitor registers on the way (one submit,
    then the link mailed to them makes the account and files the application). The
    academy decides later."""
    offering = _load_offering(offering_id)
    newcomer = not current_user.is_authenticated
    if not newcomer:
        require(is_participant(current_user))
    here = url_for('.offering', offering_id=offering.id)
    if not newcomer and queries.enrollment_of(current_user, offering) is not None:
        flash(_('You have already applied to this offering.'), 'info')
        return redirect(here)
    if applications_state(offering) != 'open':
        flash(_('This offering does not take applications now.'), 'warning')
        return redirect(here)
    form = _apply_form(offering, newcomer)
    finding = organization_search()
    if finding is not None:  # "Find" in the organisation picker, without JavaScript
        return _apply_page(form, offering, newcomer, finding)
    if newcomer:
        return _apply_as_newcomer(form, offering)
    person = current_user._get_current_object()
    # A second click that overtook the first is refused as a Conflict beside the form.
    enrollment = saved(
        form, lambda: apply_application(offering, person, form.application_data(), actor=person)
    )
    if enrollment:
        session.pop(DRAFT_KEY, None)
        flash(
            _('Your application has been sent. The academy will let you know its decision.'),
            'success',
        )
        return redirect(url_for('account.applications'))
    return _apply_page(form, offering, newcomer)


def _apply_as_newcomer(form, offering):
    """A visitor applies: the same answer whether or not the address has an account
    (lms/people/registration.py). The application is filed when they open the link mailed
    to them; what they typed also waits in the session, should they log in instead."""
    account = {**form.account_data(), 'sector': form.sector.data}
    email = saved(
        form,
        lambda: request_registration(
            account,
            locale=current_language(),
            offering=offering,
            answers=form.application_data(),
        ),
    )
    if not email:
        return _apply_page(form, offering, True)
    session[DRAFT_KEY] = {'offering_id': offering.id, 'data': form.draft()}
    return render_template(
        'auth/registration_sent.html',
        email=email,
        offering=offering,
        valid_for=lifetime('registration'),
    )


def _apply_page(form, offering, newcomer, finding=None):
    return render_form(
        'catalogue/apply.html',
        form,
        offering=offering,
        newcomer=newcomer,
        notice=consent.notice(consent.CURRENT, current_language()),
        finding=finding,
    )
