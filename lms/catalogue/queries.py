"""Read side of the public catalogue: published offerings, and a person's own application."""

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.models import Course, Enrollment, Offering, Organization


def published_offerings(today, query=None, kind=None):
    """A select() of published offerings: those not over first, soonest first, then the rest,
    latest first. `query` matches the course's code or title (either language), the place
    or the host municipality; `kind` is a course kind.
    """
    host = aliased(Organization)
    not_over = Offering.ends_on >= today
    stmt = (
        select(Offering)
        .join(Offering.course)
        .outerjoin(host, Offering.municipality_id == host.id)
        .where(Offering.status == 'published')
        .order_by(
            case((not_over, 0), else_=1),
            case((not_over, Offering.starts_on)),
            Offering.starts_on.desc(),
            Offering.id,
        )
    )
    if kind:
        stmt = stmt.where(Course.kind == kind)
    if query:
        pattern = f'%{query.strip().lower()}%'
        stmt = stmt.where(
            or_(
                func.lower(Course.code).like(pattern),
                func.lower(Course.title_ka).like(pattern),
                func.lower(Course.title_en).like(pattern),
                func.lower(Offering.location).like(pattern),
                func.lower(host.name_ka).like(pattern),
                func.lower(host.name_en).like(pattern),
            )
        )
    return stmt


def enrollment_of(user, offering):
    """The person's enrollment in the offering, or None."""
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.offering_id == offering.id, Enrollment.user_id == user.id
        )
    )
