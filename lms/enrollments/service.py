"""Enrollments: applying to an offering, and the academy's decision (accept, waitlist, reject)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms import audit
from lms.errors import Conflict, Invalid
from lms.extensions import db, utcnow
from lms.models import ENROLLMENT_STATUSES, Enrollment, User
from lms.validation import Field, clean

ENROLLMENT_FIELDS = {
    'user_id': Field('id'),
    'status': Field(choices=ENROLLMENT_STATUSES, required=False, default='applied'),
    'motivation': Field('text', required=False, max_length=5000, default=''),
}


def accepted_count(offering):
    return db.session.scalar(
        select(func.count())
        .select_from(Enrollment)
        .where(Enrollment.offering_id == offering.id, Enrollment.status == 'accepted')
    )


def _check_capacity(offering, status, enrollment=None):
    if status != 'accepted' or offering.capacity is None:
        return
    if enrollment is not None and enrollment.status == 'accepted':
        return
    if accepted_count(offering) >= offering.capacity:
        raise Conflict(
            _l(
                'The offering is full (%(n)d places). Waitlist the person instead.',
                n=offering.capacity,
            ),
            fields={'status': _l('No place left.')},
        )


def enroll(offering, data, *, actor):
    """Put a person into an offering, as an application unless a status is given.

    Conflict if the person is already enrolled, or when accepting beyond capacity.
    Flushes, never commits.
    """
    values = clean(data, ENROLLMENT_FIELDS)
    person = db.session.get(User, values['user_id'])
    if person is None:
        raise Invalid(fields={'user_id': _l('No person has this id.')})
    existing = db.session.scalar(
        select(Enrollment).where(
            Enrollment.offering_id == offering.id, Enrollment.user_id == person.id
        )
    )
    if existing is not None:
        raise Conflict(
            _l('This person is already enrolled in this offering.'),
            fields={'user_id': _l('Already enrolled.')},
        )
    _check_capacity(offering, values['status'])
    enrollment = Enrollment(
        offering=offering, user=person, status=values['status'], motivation=values['motivation']
    )
    if values['status'] != 'applied':
        enrollment.decided_at = utcnow()
    db.session.add(enrollment)
    db.session.flush()
    audit.record(
        actor,
        'enrollment.created',
        enrollment,
        after={'status': enrollment.status, 'user_id': person.id, 'offering_id': offering.id},
    )
    return enrollment


def set_enrollment_status(enrollment, data, *, actor):
    """Accept, waitlist, reject (or mark withdrawn) an enrollment; the change is audited."""
    values = clean(data, {'status': Field(choices=ENROLLMENT_STATUSES)})
    status = values['status']
    _check_capacity(enrollment.offering, status, enrollment)
    before = {'status': enrollment.status}
    if status != enrollment.status:
        enrollment.status = status
        enrollment.decided_at = utcnow()
        db.session.flush()
        audit.record(
            actor, 'enrollment.status_changed', enrollment, before=before, after={'status': status}
        )
    return enrollment
