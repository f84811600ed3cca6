"""Read side of the admin pages: filters, choices for selects, and the offering overview."""

from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from lms.extensions import academy_today, db
from lms.models import ENROLLMENT_STATUSES, Attendance, Enrollment, Offering, User
from lms.people.service import search_users
from lms.search import contains

#: How many people the enroll form offers at once; a search narrows the list.
PEOPLE_TO_ENROLL = 50


def search_enrollments(query=None, status=None, offering_id=None):
    """A select() of enrollments, newest application first, by person name or e-mail."""
    stmt = (
        select(Enrollment)
        .join(Enrollment.user)
        .options(selectinload(Enrollment.offering))
        .order_by(Enrollment.applied_at.desc(), Enrollment.id.desc())
    )
    if status:
        stmt = stmt.where(Enrollment.status == status)
    if offering_id:
        stmt = stmt.where(Enrollment.offering_id == offering_id)
    if query:
        stmt = stmt.where(contains(query, User.full_name_ka, User.full_name_en, User.email))
    return stmt


def recent_offerings(include_id=None):
    """Offerings for the applications filter: those that ended within a year or are still
    to come, newest first, and the one already chosen (an older list would be too long)."""
    since = academy_today() - timedelta(days=365)
    return db.session.scalars(
        select(Offering)
        .where(or_(Offering.ends_on >= since, Offering.id == include_id))
        .order_by(Offering.starts_on.desc(), Offering.id)
    ).all()


def offering_years():
    """The years in which offerings start, latest first."""
    year = func.extract('year', Offering.starts_on)
    return [int(y) for y in db.session.scalars(select(year).distinct().order_by(year.desc()))]


def enrollments_by_status(offering):
    """{status: [enrollment, ...]} for every status, in the order of ENROLLMENT_STATUSES."""
    groups = {status: [] for status in ENROLLMENT_STATUSES}
    enrollments = db.session.scalars(
        select(Enrollment)
        .join(Enrollment.user)
        .where(Enrollment.offering_id == offering.id)
        .order_by(User.full_name_ka, Enrollment.id)
    ).all()
    for enrollment in enrollments:
        groups[enrollment.status].append(enrollment)
    return groups


def trainers(current=()):
    """Active trainers, and whoever already teaches the offering (even an admin or a former
    trainer), so that editing an offering never drops a trainer silently."""
    people = db.session.scalars(
        select(User).where(User.role == 'trainer', User.is_active).order_by(User.full_name_ka)
    ).all()
    return people + [t for t in current if t not in people]


def people_to_enroll(offering, query=None):
    """People not yet enrolled in `offering` whose name or e-mail matches, by name."""
    enrolled = select(Enrollment.user_id).where(Enrollment.offering_id == offering.id)
    stmt = search_users(query).where(User.id.not_in(enrolled)).limit(PEOPLE_TO_ENROLL)
    return db.session.scalars(stmt).all()


def attendance_count(offering_session):
    return db.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.session_id == offering_session.id)
    )
