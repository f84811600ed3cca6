"""The academy's figures: the public ones on the front page, and the admin's overview."""

from sqlalchemy import func, select

from lms.extensions import academy_today, db
from lms.models import (
    Course,
    Enrollment,
    Offering,
    Organization,
    User,
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
