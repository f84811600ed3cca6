"""Read side of the landing pages."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from lms.extensions import academy_today, db
from lms.models import (
    Course,
    Enrollment,
    Offering,
    Organization,
    User,
    offering_trainers,
)


def home_figures():
    """A few public figures for the front page; no personal data."""
    participants = db.session.scalar(
        select(func.count(func.distinct(Enrollment.user_id))).where(Enrollment.status == 'accepted')
    )
    return {
        'courses_count': db.session.scalar(select(func.count()).select_from(Course)),
        'offerings_count': db.session.scalar(
            select(func.count()).select_from(Offering).where(Offering.status != 'draft')
        ),
        'participants_count': participants,
        'upcoming': db.session.scalars(
            select(Offering)
            .where(Offering.status == 'published', Offering.ends_on >= academy_today())
            .order_by(Offering.starts_on)
            .limit(6)
        ).all(),
    }


def admin_overview():
    return {
        'pending_applications': db.session.scalar(
            select(func.count()).select_from(Enrollment).where(Enrollment.status == 'applied')
        ),
        'people_count': db.session.scalar(select(func.count()).select_from(User)),
        'organizations_count': db.session.scalar(select(func.count()).select_from(Organization)),
        'upcoming': db.session.scalars(
            select(Offering)
            .where(Offering.ends_on >= academy_today())
            .order_by(Offering.starts_on)
            .limit(10)
        ).all(),
    }


def offerings_taught(user):
    """The offerings a trainer teaches: current and upcoming first, then the past."""
    today = academy_today()
    offerings = (
        db.session.scalars(
            select(Offering)
            .join(offering_trainers)
            .where(offering_trainers.c.user_id == user.id)
            .options(selectinload(Offering.sessions))
            .order_by(Offering.starts_on.desc())
        )
        .unique()
        .all()
    )
    current = sorted((o for o in offerings if o.ends_on >= today), key=lambda o: o.starts_on)
    past = [o for o in offerings if o.ends_on < today]
    return current + past


def enrollments_of(user):
    return db.session.scalars(
        select(Enrollment)
        .join(Enrollment.offering)
        .where(Enrollment.user_id == user.id)
        .order_by(Offering.starts_on.desc())
    ).all()


def open_offerings(user, today=None):
    """Published offerings still to come that take applications on `today` (as
    permissions.applications_state decides) and that the person has not applied to.
    """
    today = today or academy_today()
    applied = select(Enrollment.offering_id).where(Enrollment.user_id == user.id)
    return db.session.scalars(
        select(Offering)
        .where(
            Offering.status == 'published',
            Offering.starts_on >= today,
            or_(Offering.applications_open_on.is_(None), Offering.applications_open_on <= today),
            or_(Offering.applications_close_on.is_(None), Offering.applications_close_on >= today),
            Offering.id.not_in(applied),
        )
        .order_by(Offering.starts_on)
        .limit(10)
    ).all()
