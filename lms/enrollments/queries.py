"""Read side of enrollments: applications to search and decide, an offering's people, and
a person's enrollments."""

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, selectinload

from lms import search
from lms.extensions import db
from lms.models import (
    ENROLLMENT_STATUSES,
    Enrollment,
    Offering,
    User,
)
from lms.people.service import search_users

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
        stmt = stmt.where(search.people(query))
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
    """A person's enrollments, newest offering first, with their offerings, courses and
    host municipalities."""
    return db.session.scalars(
        select(Enrollment)
        .join(Enrollment.offering)
        .options(
            contains_eager(Enrollment.offering).joinedload(Offering.course),
            contains_eager(Enrollment.offering).joinedload(Offering.municipality),
        )
        .where(Enrollment.user_id == user.id)
        .order_by(Offering.starts_on.desc())
    ).all()


def application_queue(offering, status=None, sector=None, residence_id=None, gender=None):
    """A select() of an offering's applications for the admins' queue, first come first,
    narrowed by status, sector and municipality of residence (as told on the application)
    and the person's gender."""
    stmt = (
        select(Enrollment)
        .join(Enrollment.user)
        .options(
            selectinload(Enrollment.organization), selectinload(Enrollment.residence_municipality)
        )
        .where(Enrollment.offering_id == offering.id)
        .order_by(Enrollment.applied_at, Enrollment.id)
    )
    if status:
        stmt = stmt.where(Enrollment.status == status)
    if sector:
        stmt = stmt.where(Enrollment.sector == sector)
    if residence_id:
        stmt = stmt.where(Enrollment.residence_municipality_id == residence_id)
    if gender:
        stmt = stmt.where(User.gender == gender)
    return stmt


def waitlist_positions(offering):
    """{enrollment id: place on the waitlist (1 = next)} of the people still in line for a
    seat: waitlisted, no offer let go, in the order seats are offered."""
    ids = db.session.scalars(
        select(Enrollment.id)
        .where(
            Enrollment.offering_id == offering.id,
            Enrollment.status == 'waitlisted',
            Enrollment.offer_lapsed_at.is_(None),
        )
        .order_by(Enrollment.applied_at, Enrollment.id)
    ).all()
    return {enrollment_id: place for place, enrollment_id in enumerate(ids, start=1)}


def applications_of(user):
    """A person's applications, the soonest event first, each with its waitlist place
    (None when not waitlisted): [(enrollment, place)]."""
    enrollments = db.session.scalars(
        select(Enrollment)
        .join(Enrollment.offering)
        .options(selectinload(Enrollment.offering).selectinload(Offering.sessions))
        .where(Enrollment.user_id == user.id)
        .order_by(Offering.starts_on.desc(), Enrollment.id.desc())
    ).all()
    places = _waitlist_places(
        [e.id for e in enrollments if e.status == 'waitlisted' and e.offer_lapsed_at is None]
    )
    return [(e, places.get(e.id)) for e in enrollments]


def _waitlist_places(enrollment_ids):
    """{enrollment id: place on its offering's waitlist} of these waitlisted enrollments
    (waitlist_positions' order), in one query however many offerings they are in: each
    counts those in line up to it."""
    if not enrollment_ids:
        return {}
    ahead = aliased(Enrollment)
    return dict(
        db.session.execute(
            select(Enrollment.id, func.count(ahead.id))
            .join(
                ahead,
                and_(
                    ahead.offering_id == Enrollment.offering_id,
                    ahead.status == 'waitlisted',
                    ahead.offer_lapsed_at.is_(None),
                    or_(
                        ahead.applied_at < Enrollment.applied_at,
                        and_(ahead.applied_at == Enrollment.applied_at, ahead.id <= Enrollment.id),
                    ),
                ),
            )
            .where(Enrollment.id.in_(enrollment_ids))
            .group_by(Enrollment.id)
        ).all()
    )
