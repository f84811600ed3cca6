"""Read side of the catalogue: published offerings, a person's own application, the offerings
a trainer teaches or a participant may still apply to, and the years offerings start in."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, selectinload

from lms.caching import remembered
from lms.extensions import academy_today, db
from lms.models import (
    Course,
    Enrollment,
    Offering,
    Organization,
    offering_trainers,
)
from lms.pagination import page_number, paginate
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
    stmt = stmt.options(
        contains_eager(Offering.course), contains_eager(Offering.municipality.of_type(host))
    )
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


@dataclass(frozen=True)
class CourseCard:
    code: str
    kind: str
    title_ka: str
    title_en: str


@dataclass(frozen=True)
class OfferingCard:
    """What a list of offerings shows of one (the catalogue, the front page): plain values,
    the same for every visitor, kept between requests (lms.caching); it answers what the
    templates ask of an Offering (`course`, `place(lang)`, the application window)."""

    id: int
    status: str
    course: CourseCard
    starts_on: date
    ends_on: date
    format: str
    applications_open_on: date | None
    applications_close_on: date | None
    place_ka: str
    place_en: str

    def place(self, lang):
        return self.place_en if lang == 'en' else self.place_ka

    @classmethod
    def of(cls, offering):
        course = offering.course
        return cls(
            id=offering.id,
            status=offering.status,
            course=CourseCard(course.code, course.kind, course.title_ka, course.title_en),
            starts_on=offering.starts_on,
            ends_on=offering.ends_on,
            format=offering.format,
            applications_open_on=offering.applications_open_on,
            applications_close_on=offering.applications_close_on,
            place_ka=offering.place('ka'),
            place_en=offering.place('en'),
        )


def catalogue_page(today, query, kind, page):
    """One page of `published_offerings` as OfferingCards (a Pagination whose items are
    cards), reused for PUBLIC_CACHE_SECONDS: two statements when computed (count, page)."""
    per_page = current_app.config['PER_PAGE']
    number = page_number(page)

    def compute():
        result = paginate(published_offerings(today, query, kind), str(number), per_page=per_page)
        result.items = [OfferingCard.of(o) for o in result.items]
        result._query_args = {}  # no statement or session kept with the cards
        return result

    return remembered(('catalogue', today, query, kind, number, per_page), compute)


def upcoming_cards(today, limit=6):
    """The next published offerings not yet over, soonest first, as OfferingCards, reused
    for PUBLIC_CACHE_SECONDS: two statements when computed (offerings with their course,
    their municipalities)."""

    def compute():
        offerings = db.session.scalars(
            select(Offering)
            .where(Offering.status == 'published', Offering.ends_on >= today)
            .options(selectinload(Offering.municipality))
            .order_by(Offering.starts_on, Offering.id)
            .limit(limit)
        ).all()
        return tuple(OfferingCard.of(o) for o in offerings)

    return remembered(('upcoming', today, limit), compute)


def enrollment_of(user, offering):
    """The person's enrollment in the offering, or None."""
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.offering_id == offering.id, Enrollment.user_id == user.id
        )
    )


def recent_offerings(include_id=None):
    """Offerings for the applications filter: those that ended within a year or are still
    to come, newest first, and the one already chosen (an older list would be too long).
    Rows of what the filter shows (id, starts_on, code, title_ka, title_en), not whole
    offerings: a busy year has hundreds."""
    since = academy_today() - timedelta(days=365)
    return db.session.execute(
        select(Offering.id, Offering.starts_on, Course.code, Course.title_ka, Course.title_en)
        .join(Course, Course.id == Offering.course_id)
        .where(or_(Offering.ends_on >= since, Offering.id == include_id))
        .order_by(Offering.starts_on.desc(), Offering.id)
    ).all()


def offering_years():
    """The years in which offerings start, latest first."""
    year = func.extract('year', Offering.starts_on)
    return [int(y) for y in db.session.scalars(select(year).distinct().order_by(year.desc()))]


def offerings_taught(user, today=None):
    """The offerings a trainer teaches that are under way or to come, the soonest first
    (a handful at any time; the past ones are `past_offerings_taught`, paged)."""
    today = today or academy_today()
    return db.session.scalars(
        _taught(user).where(Offering.ends_on >= today).order_by(Offering.starts_on, Offering.id)
    ).all()


def past_offerings_taught(user, today=None):
    """A select() of the offerings a trainer taught that are over, the latest first (the
    order keyset pages read: lms.pagination.keyset_page)."""
    today = today or academy_today()
    return (
        _taught(user)
        .where(Offering.ends_on < today)
        .order_by(Offering.starts_on.desc(), Offering.id.desc())
    )


def _taught(user):
    taught = select(offering_trainers.c.offering_id).where(offering_trainers.c.user_id == user.id)
    return (
        select(Offering)
        .where(Offering.id.in_(taught))
        .options(selectinload(Offering.sessions), selectinload(Offering.course))
    )


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
