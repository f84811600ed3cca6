"""Enrollments: applying to an offering, withdrawing, and the academy's decision (accept,
waitlist, reject), one at a time or many at once.

Capacity is one rule for every path (the page, the bulk action, the API): the offering's
row is locked before the seats are counted (lms.enrollments.seats), and a freed seat is
offered to the waitlist there too. Every change of status is audited and the person is
told by e-mail (the outbox, in the same transaction).
"""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms import audit
from lms.enrollments import consent, seats
from lms.errors import Conflict, Invalid
from lms.extensions import academy_zone, db, utcnow
from lms.models import ENROLLMENT_STATUSES, SECTORS, Enrollment, Organization, User
from lms.notifications.service import notify
from lms.validation import Field, clean

ENROLLMENT_FIELDS = {
    'user_id': Field('id'),
    'status': Field(choices=ENROLLMENT_STATUSES, required=False, default='applied'),
    'motivation': Field('text', required=False, max_length=5000, default=''),
}
#: What the application form asks (the person is the one applying).
APPLICATION_FIELDS = {
    'sector': Field(choices=SECTORS),
    'organization_id': Field('id', required=False),
    'organization_other': Field(required=False, max_length=200),
    'position': Field(required=False, max_length=200),
    'residence_municipality_id': Field('id'),
    'motivation': ENROLLMENT_FIELDS['motivation'],
    'consent': Field('bool', required=False, default=False),
}
#: The e-mail a person gets when their enrollment comes to a status.
STATUS_MAIL = {
    'applied': 'application_received',
    'accepted': 'application_accepted',
    'waitlisted': 'application_waitlisted',
    'rejected': 'application_rejected',
}
#: The decisions the admins' queue takes for many at once.
DECISIONS = ('accepted', 'waitlisted', 'rejected')
#: Statuses a person may still withdraw from.
WITHDRAWABLE = ('applied', 'waitlisted', 'accepted')


def tell_status(enrollment):
    """Write the e-mail that says the enrollment's status, if that status has one."""
    template = STATUS_MAIL.get(enrollment.status)
    if template:
        notify(enrollment.user, template, enrollment=enrollment)


def accepted_count(offering):
    return db.session.scalar(
        select(db.func.count())
        .select_from(Enrollment)
        .where(Enrollment.offering_id == offering.id, Enrollment.status == 'accepted')
    )


def _seats_needed(enrollments, status, now):
    """How many more seats `status` for these enrollments takes (a pending offer is
    already the person's seat)."""
    if status != 'accepted':
        return 0
    return sum(1 for e in enrollments if not seats.holds_seat(e, now))


def _find_enrollment(offering, person):
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.offering_id == offering.id, Enrollment.user_id == person.id
        )
    )


def _refuse_twice(offering, person):
    if _find_enrollment(offering, person) is not None:
        raise Conflict(
            _l('This person is already enrolled in this offering.'),
            fields={'user_id': _l('Already enrolled.')},
        )


def enroll(offering, data, *, actor, tell=True):
    """Put a person into an offering, as an application unless a status is given.

    Conflict if the person is already enrolled, or when accepting beyond capacity. The
    person is told by e-mail, unless `tell` is false (a message of the caller's says it
    already, such as an invitation). Flushes, never commits.
    """
    values = clean(data, ENROLLMENT_FIELDS)
    person = db.session.get(User, values['user_id'])
    if person is None:
        raise Invalid(fields={'user_id': _l('No person has this id.')})
    _refuse_twice(offering, person)
    now = utcnow()
    seats.require_places(offering, 1 if values['status'] == 'accepted' else 0, now)
    enrollment = Enrollment(
        offering=offering, user=person, status=values['status'], motivation=values['motivation']
    )
    if values['status'] != 'applied':
        enrollment.decided_at = now
    if values['status'] == 'withdrawn':
        enrollment.withdrawn_at = now
    db.session.add(enrollment)
    db.session.flush()
    audit.record(
        actor,
        'enrollment.created',
        enrollment,
        after={'status': enrollment.status, 'user_id': person.id, 'offering_id': offering.id},
    )
    if tell:
        tell_status(enrollment)
    return enrollment


def _application_values(data):
    values = clean(data, APPLICATION_FIELDS)
    errors = {}
    if not values.pop('consent'):
        errors['consent'] = _l('Please agree to the processing of your data to apply.')
    if values['organization_id'] is not None:
        if db.session.get(Organization, values['organization_id']) is None:
            errors['organization_id'] = _l('No organisation has this id.')
        values['organization_other'] = None
    residence = db.session.get(Organization, values['residence_municipality_id'])
    if residence is None or residence.kind != 'municipality':
        errors['residence_municipality_id'] = _l('No municipality has this id.')
    if errors:
        raise Invalid(fields=errors)
    return values


def check_application(data):
    """Check the application form's answers as `apply` will (Invalid naming each bad
    field), without applying: a newcomer's answers wait for their account
    (lms/people/registration.py)."""
    _application_values(data)


def _fill_profile(person, values, *, actor):
    """Copy what the person told into their profile where it is still empty."""
    changes = {}
    if not person.organization_id and values['organization_id']:
        changes['organization_id'] = values['organization_id']
    if not person.position and values['position']:
        changes['position'] = values['position']
    if person.sector in (None, 'other') and values['sector'] != person.sector:
        changes['sector'] = values['sector']
    if changes:
        audit.update(person, changes, actor=actor, action='user.updated', fields=tuple(changes))


def apply(offering, person, data, *, actor):
    """`person` applies to `offering` with the application form's answers.

    Consent to the current personal-data notice is required and stored with its version.
    What the person told is kept on the enrollment as it was then, and copied into their
    profile where that is empty. Conflict if they already applied. The person is told
    by e-mail. Flushes, never commits.
    """
    values = _application_values(data)
    _refuse_twice(offering, person)
    now = utcnow()
    enrollment = Enrollment(
        offering=offering,
        user=person,
        status='applied',
        applied_at=now,
        consent_version=consent.CURRENT,
        consented_at=now,
        **values,
    )
    db.session.add(enrollment)
    db.session.flush()
    audit.record(
        actor,
        'enrollment.created',
        enrollment,
        after={
            'status': 'applied',
            'user_id': person.id,
            'offering_id': offering.id,
            'consent_version': consent.CURRENT,
        },
    )
    _fill_profile(person, values, actor=actor)
    tell_status(enrollment)
    return enrollment


def _change_status(enrollment, status, *, actor, now):
    """Set `status` (already checked against capacity); audited and told. Returns whether
    the enrollment held a seat it no longer holds."""
    if status == enrollment.status:
        return False
    freed = seats.holds_seat(enrollment, now) and status != 'accepted'
    before = {'status': enrollment.status}
    enrollment.status = status
    enrollment.decided_at = now
    enrollment.offered_until = None
    if status == 'withdrawn':
        enrollment.withdrawn_at = now
    db.session.flush()
    audit.record(
        actor, 'enrollment.status_changed', enrollment, before=before, after={'status': status}
    )
    tell_status(enrollment)
    return freed


def set_enrollment_status(enrollment, data, *, actor):
    """Accept, waitlist, reject (or mark withdrawn) an enrollment; the change is audited.

    Accepting beyond capacity is refused (Conflict); a seat freed is offered to the
    waitlist.
    """
    values = clean(data, {'status': Field(choices=ENROLLMENT_STATUSES)})
    status, now = values['status'], utcnow()
    offering = enrollment.offering
    seats.require_places(offering, _seats_needed([enrollment], status, now), now)
    if _change_status(enrollment, status, actor=actor, now=now):
        seats.offer_free_seats(offering, now=now, actor=actor)
    return enrollment


def decide_many(offering, enrollment_ids, status, *, actor):
    """Give many applications of `offering` the same decision at once: all or nothing.

    Refused whole (Conflict) when accepting them would exceed the places left; returns
    how many changed.
    """
    if status not in DECISIONS:
        raise Invalid(_l('Choose accept, waitlist or reject.'))
    try:
        ids = sorted(set(Field('ids').convert(list(enrollment_ids or ()))))
    except ValueError as exc:
        raise Invalid(exc.args[0]) from None
    if not ids:
        raise Invalid(_l('Select at least one application.'))
    now = utcnow()
    seats.lock_offering(offering)
    enrollments = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.id.in_(ids), Enrollment.offering_id == offering.id)
        .order_by(Enrollment.applied_at, Enrollment.id)
    ).all()
    if len(enrollments) != len(ids):
        raise Invalid(_l('Some of the selected applications are not of this offering.'))
    seats.require_places(offering, _seats_needed(enrollments, status, now), now)
    changed, freed = 0, False
    for enrollment in enrollments:
        if enrollment.status != status:
            freed = _change_status(enrollment, status, actor=actor, now=now) or freed
            changed += 1
    if freed:
        seats.offer_free_seats(offering, now=now, actor=actor)
    return changed


def event_starts_at(offering):
    """When the event begins: its first session, else the start of its first day in Tbilisi."""
    if offering.sessions:
        return min(s.starts_at for s in offering.sessions)
    midnight = datetime.combine(offering.starts_on, datetime.min.time(), academy_zone())
    return midnight.astimezone(UTC)


def can_still_withdraw(enrollment, now=None):
    return enrollment.status in WITHDRAWABLE and (now or utcnow()) < event_starts_at(
        enrollment.offering
    )


def withdraw(enrollment, *, actor, now=None):
    """The person withdraws their application before the event starts; a seat they held
    goes to the waitlist."""
    now = now or utcnow()
    if enrollment.status not in WITHDRAWABLE:
        raise Conflict(_l('This application cannot be withdrawn any more.'))
    if now >= event_starts_at(enrollment.offering):
        raise Conflict(
            _l('The event has already started: the application can no longer be withdrawn.'),
            code='event_started',
        )
    seats.lock_offering(enrollment.offering)
    if _change_status(enrollment, 'withdrawn', actor=actor, now=now):
        seats.offer_free_seats(enrollment.offering, now=now, actor=actor)
    return enrollment


def capacity_changed(offering, before, *, actor):
    """After an offering's capacity changed: a raised (or removed) limit frees seats."""
    after = offering.capacity
    if after is not None and (before is None or after > before):
        seats.offer_free_seats(offering, actor=actor)
