"""Read side of the public catalogue: published offerings, and a person's own application."""

from sqlalchemy import case, select
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.models import Course, Enrollment, Offering, Organization
from lms.search import contains


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
        stmt = stmt.where(
            contains(
                query,
                Course.code,
                Course.title_ka,
                Course.title_en,
                Offering.location,
                host.name_ka,
                host.name_en,
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
