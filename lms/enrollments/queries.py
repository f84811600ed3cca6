"""Read side of enrollments: applications to search and decide, an offering's people, and
a person's enrollments."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.models import (
    ENROLLMENT_STATUSES,
    Enrollment,
    Offering,
    User,
)
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


def people_to_enroll(offering, query=None):
    """People not yet enrolled in `offering` whose name or e-mail matches, by name."""
    enrolled = select(Enrollment.user_id).where(Enrollment.offering_id == offering.id)
    stmt = search_users(query).where(User.id.not_in(enrolled)).limit(PEOPLE_TO_ENROLL)
    return db.session.scalars(stmt).all()


def accepted_enrollments(offering):
    """The offering's accepted enrollments with their people, by Georgian name (one query)."""
    return (
        db.session.scalars(
            select(Enrollment)
            .join(Enrollment.user)
            .where(Enrollment.offering_id == offering.id, Enrollment.status == 'accepted')
            .order_by(User.full_name_ka, Enrollment.id)
        )
        .unique()
        .all()
    )


def enrollments_of(user):
    return db.session.scalars(
        select(Enrollment)
        .join(Enrollment.offering)
        .where(Enrollment.user_id == user.id)
        .order_by(Offering.starts_on.desc())
    ).all()
