"""The catalogue: courses and their completion rule, offerings, sessions, assessments,
and the signatories of certificates."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms import audit
from lms.enrollments.service import capacity_changed
from lms.errors import Conflict, Invalid
from lms.extensions import academy_date, db
from lms.formatting import format_date, format_range
from lms.models import (
    COURSE_KINDS,
    OFFERING_FORMATS,
    OFFERING_STATUSES,
    Course,
    Offering,
    OfferingSession,
    Organization,
    User,
)
from lms.search import contains
from lms.validation import Field, clean

COURSE_FIELDS = {
    'code': Field(max_length=40),
    'title_ka': Field(max_length=300),
    'title_en': Field(max_length=300),
    'description_ka': Field('text', required=False, max_length=10000, default=''),
    'description_en': Field('text', required=False, max_length=10000, default=''),
    'kind': Field(choices=COURSE_KINDS),
    'hours': Field('decimal', min=0, max=9999),
    'min_attendance_pct': Field('int', required=False, min=0, max=100, default=80),
    'grants_certificate': Field('bool', required=False, default=True),
    'validity_months': Field('int', required=False, min=1, max=600),
}
OFFERING_FIELDS = {
    'course_id': Field('id'),
    'starts_on': Field('date'),
    'ends_on': Field('date'),
    'location': Field(max_length=300),
    'location_en': Field(max_length=300, required=False, default=''),
    'municipality_id': Field('id', required=False),
    'format': Field(choices=OFFERING_FORMATS, required=False, default='in_person'),
    'capacity': Field('int', required=False, min=1, max=100000),
    'applications_open_on': Field('date', required=False),
    'applications_close_on': Field('date', required=False),
    'status': Field(choices=OFFERING_STATUSES, required=False, default='published'),
    'trainer_ids': Field('ids', required=False, default=[]),
}
SESSION_FIELDS = {
    'starts_at': Field('datetime'),
    'ends_at': Field('datetime'),
    'topic': Field(max_length=300, required=False, default=''),
}
COURSE_AUDITED = tuple(COURSE_FIELDS)
OFFERING_AUDITED = tuple(k for k in OFFERING_FIELDS if k != 'trainer_ids')


def _check_course_code(code, course=None):
    other = db.session.scalar(select(Course).where(func.lower(Course.code) == code.lower()))
    if other is not None and other is not course:
        raise Conflict(
            _l('A course with this code already exists.'),
            fields={'code': _l('This code is taken.')},
        )


def create_course(data, *, actor):
    """Create a course with its completion rule. Conflict when the code is taken."""
    values = clean(data, COURSE_FIELDS)
    _check_course_code(values['code'])
    course = Course(**values)
    db.session.add(course)
    db.session.flush()
    audit.record(actor, 'course.created', course, after=audit.snapshot(course, COURSE_AUDITED))
    return course


def update_course(course, data, *, actor):
    values = clean(data, COURSE_FIELDS)
    _check_course_code(values['code'], course)
    return audit.update(course, values, actor=actor, action='course.updated', fields=COURSE_AUDITED)


def _offering_values(data):
    values = clean(data, OFFERING_FIELDS)
    errors = {}
    if values['ends_on'] < values['starts_on']:
        errors['ends_on'] = _l('The end cannot come before the start.')
    opens, closes = values['applications_open_on'], values['applications_close_on']
    if opens and closes and closes < opens:
        errors['applications_close_on'] = _l('Applications cannot close before they open.')
    elif closes and closes > values['ends_on']:
        errors['applications_close_on'] = _l('Applications cannot close after the event ends.')
    if opens and opens > values['ends_on']:
        errors['applications_open_on'] = _l('Applications cannot open after the event ends.')
    if db.session.get(Course, values['course_id']) is None:
        errors['course_id'] = _l('No course has this id.')
    if values['municipality_id'] is not None:
        municipality = db.session.get(Organization, values['municipality_id'])
        if municipality is None or municipality.kind != 'municipality':
            errors['municipality_id'] = _l('No municipality has this id.')
    trainers = []
    if values['trainer_ids']:
        trainers = db.session.scalars(select(User).where(User.id.in_(values['trainer_ids']))).all()
        if len(trainers) != len(values['trainer_ids']) or any(
            t.role not in ('trainer', 'admin') for t in trainers
        ):
            errors['trainer_ids'] = _l('Every trainer must be an existing trainer or admin.')
    if errors:
        raise Invalid(fields=errors)
    values['trainers'] = trainers
    del values['trainer_ids']
    return values


def _offering_snapshot(offering):
    return {
        **audit.snapshot(offering, OFFERING_AUDITED),
        'trainer_ids': sorted(t.id for t in offering.trainers),
    }


def create_offering(data, *, actor):
    """Create an offering (one run of a course) with its trainers."""
    offering = Offering(**_offering_values(data))
    db.session.add(offering)
    db.session.flush()
    audit.record(actor, 'offering.created', offering, after=_offering_snapshot(offering))
    return offering


def update_offering(offering, data, *, actor):
    """Change an offering. Invalid when its sessions would fall outside its new dates:
    they are moved or deleted first, so that no session lies outside its offering."""
    values = _offering_values(data)
    outside = [
        s
        for s in offering.sessions
        if not values['starts_on'] <= academy_date(s.starts_at) <= values['ends_on']
        or academy_date(s.ends_at) > values['ends_on']
    ]
    if outside:
        days = ', '.join(sorted({format_date(academy_date(s.starts_at)) for s in outside}))
        raise Invalid(
            fields={
                'starts_on': _l(
                    'Sessions on %(days)s fall outside these dates: move or delete them first.',
                    days=days,
                )
            }
        )
    capacity_before = offering.capacity
    audit.update(
        offering, values, actor=actor, action='offering.updated', fields=_offering_snapshot
    )
    capacity_changed(offering, capacity_before, actor=actor)  # a raised capacity frees seats
    return offering


def _session_values(offering, data):
    """A session's start and end: in order, at most a day long, and within the offering's
    dates (as the academy's calendar has them)."""
    values = clean(data, SESSION_FIELDS)
    if values['ends_at'] <= values['starts_at']:
        raise Invalid(fields={'ends_at': _l('The end must come after the start.')})
    if (values['ends_at'] - values['starts_at']).total_seconds() > 24 * 3600:
        raise Invalid(fields={'ends_at': _l('A session lasts at most 24 hours.')})
    span = format_range(offering.starts_on, offering.ends_on)
    if not offering.starts_on <= academy_date(values['starts_at']) <= offering.ends_on:
        raise Invalid(
            fields={
                'starts_at': _l('The offering runs %(dates)s: the session must too.', dates=span)
            }
        )
    if academy_date(values['ends_at']) > offering.ends_on:
        raise Invalid(
            fields={'ends_at': _l('The offering runs %(dates)s: the session must too.', dates=span)}
        )
    return values


def add_session(offering, data, *, actor):
    """Add a meeting to an offering; its hours follow from start and end."""
    offering_session = OfferingSession(offering=offering, **_session_values(offering, data))
    db.session.add(offering_session)
    db.session.flush()
    audit.record(
        actor,
        'session.created',
        offering_session,
        after=audit.snapshot(offering_session, tuple(SESSION_FIELDS)),
    )
    return offering_session


def update_session(offering_session, data, *, actor):
    values = _session_values(offering_session.offering, data)
    return audit.update(
        offering_session,
        values,
        actor=actor,
        action='session.updated',
        fields=tuple(SESSION_FIELDS),
    )


def delete_session(offering_session, *, actor):
    audit.record(
        actor,
        'session.deleted',
        offering_session,
        before=audit.snapshot(offering_session, tuple(SESSION_FIELDS)),
    )
    db.session.delete(offering_session)
    db.session.flush()


def search_courses(query=None, kind=None):
    stmt = select(Course).order_by(Course.code)
    if kind:
        stmt = stmt.where(Course.kind == kind)
    if query:
        stmt = stmt.where(contains(query, Course.code, Course.title_ka, Course.title_en))
    return stmt


def search_offerings(query=None, course_id=None, year=None):
    """A select() of offerings, newest first, with their host municipalities (a page
    of them takes one query however many municipalities it names)."""
    stmt = (
        select(Offering)
        .join(Offering.course)
        .options(joinedload(Offering.municipality))
        .order_by(Offering.starts_on.desc(), Offering.id)
    )
    if course_id:
        stmt = stmt.where(Offering.course_id == course_id)
    if year:
        stmt = stmt.where(func.extract('year', Offering.starts_on) == year)
    if query:
        stmt = stmt.where(
            contains(query, Course.code, Course.title_ka, Course.title_en, Offering.location)
        )
    return stmt
