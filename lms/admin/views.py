"""The academy staff's pages: courses, offerings, sessions, people, organisations, enrollments."""

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from lms.catalogue.service import search_courses, search_offerings
from lms.extensions import db
from lms.models import Enrollment, Offering
from lms.organisations.service import search_organizations
from lms.people.service import search_users
from lms.permissions import can_administer, require

bp = Blueprint('admin', __name__, template_folder='templates')


@bp.before_request
@login_required
def guard():
    """Every page here is for admins: one guard for the blueprint, none to forget per route."""
    require(can_administer(current_user))


def _page(stmt):
    return db.paginate(stmt, per_page=25, error_out=False)


@bp.get('/courses')
def courses():
    q = request.args.get('q', '')
    return render_template('admin/courses.html', page=_page(search_courses(q)), q=q)


@bp.get('/offerings')
def offerings():
    q = request.args.get('q', '')
    return render_template('admin/offerings.html', page=_page(search_offerings(q)), q=q)


@bp.get('/offerings/<int:offering_id>')
def offering(offering_id):
    return render_template('admin/offering.html', offering=db.get_or_404(Offering, offering_id))


@bp.get('/enrollments')
def enrollments():
    from sqlalchemy import select

    stmt = select(Enrollment).order_by(Enrollment.applied_at.desc())
    return render_template('admin/enrollments.html', page=_page(stmt))


@bp.get('/people')
def people():
    q = request.args.get('q', '')
    return render_template('admin/people.html', page=_page(search_users(q)), q=q)


@bp.get('/organizations')
def organizations():
    q = request.args.get('q', '')
    return render_template('admin/organizations.html', page=_page(search_organizations(q)), q=q)
