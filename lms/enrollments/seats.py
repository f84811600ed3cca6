"""Seats of an offering: who holds one, and how a freed seat goes to the waitlist.

The rules:

1. A seat is held by an accepted enrollment, and by a waitlisted one with a pending
   offer: `offered_until` still in the future and `offer_lapsed_at` unset. Seats held
   never exceed the offering's capacity. An offering without a capacity has no limit:
   nothing is counted and nothing is offered.
2. Seats are counted only after the offering's row is locked (SELECT ... FOR UPDATE on
   PostgreSQL; SQLite lets one writer at a time), in the transaction that then writes,
   so two admins, or an admin and a person confirming an offer, can never both take the
   last seat. A batch that would need more seats than are left is refused whole.
3. A seat is freed when a person holding one withdraws, is rejected (or put back on the
   waitlist), when the capacity is raised, and when an offer is declined or lapses. The
   free seats are then offered, one each, to the first waitlisted people by `applied_at`
   (then id) who have no offer and never let one go (`offer_lapsed_at` unset), each
   until now + SEAT_OFFER_HOURS, and they are told by e-mail (seat_offered).
4. The person confirms (-> accepted) or declines (-> `offer_lapsed_at` set; the seat
   goes to the next) on their applications page. An offer whose time has passed holds
   no seat from that moment, whether or not anything noticed: counting ignores it. It is
   lapsed (`offer_lapsed_at` set and the seat offered to the next) by the periodic job in
   lms.enrollments.tasks, and lazily whenever the offering's queue or the person's
   applications page is shown, so the rule holds without a worker.
5. Admins may also accept a waitlisted person by hand, within capacity; an offer pending
   for that person is already their seat.

Every function here flushes and never commits; changes are audited, e-mails go to the
outbox in the same transaction.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from lms import audit
from lms.errors import Conflict
from lms.extensions import db, utcnow
from lms.models import Enrollment, Offering
from lms.notifications.service import notify


def lock_offering(offering):
    """Lock the offering's row until the transaction ends, and read it afresh."""
    return db.session.scalar(
        select(Offering)
        .where(Offering.id == offering.id)
        .with_for_update(of=Offering)  # the offering's row only, not the joined course
        .execution_options(populate_existing=True)
    )


def _pending_offer(now):
    return and_(
        Enrollment.status == 'waitlisted',
        Enrollment.offered_until > now,
        Enrollment.offer_lapsed_at.is_(None),
    )


def has_pending_offer(enrollment, now=None):
    now = now or utcnow()
    return (
        enrollment.status == 'waitlisted'
        and enrollment.offered_until is not None
        and enrollment.offered_until > now
        and enrollment.offer_lapsed_at is None
    )


def holds_seat(enrollment, now=None):
    return enrollment.status == 'accepted' or has_pending_offer(enrollment, now)


def seats_held(offering, now=None):
    """Accepted enrollments plus offers still pending (rule 1)."""
    now = now or utcnow()
    return db.session.scalar(
        select(func.count())
        .select_from(Enrollment)
        .where(
            Enrollment.offering_id == offering.id,
            or_(Enrollment.status == 'accepted', _pending_offer(now)),
        )
    )


def places_left(offering, now=None):
    """Seats nobody holds, or None when the offering has no capacity."""
    if offering.capacity is None:
        return None
    return max(offering.capacity - seats_held(offering, now), 0)


def require_places(offering, wanted, now=None):
    """Lock the offering and refuse (Conflict, nothing changed) unless `wanted` seats are free."""
    offering = lock_offering(offering)
    if wanted <= 0 or offering.capacity is None:
        return
    left = places_left(offering, now)
    if wanted <= left:
        return
    if wanted == 1:
        message = _l(
            'The offering is full (%(n)d places). Waitlist the person instead.',
            n=offering.capacity,
        )
    else:
        message = _l(
            'Only %(left)d places left; you selected %(wanted)d.', left=left, wanted=wanted
        )
    raise Conflict(message, fields={'status': _l('No place left.')})


def offer_hours():
    return current_app.config['SEAT_OFFER_HOURS']


def _lapse(enrollment, now, *, actor=None, action='enrollment.offer_lapsed'):
    before = {'offered_until': enrollment.offered_until, 'offer_lapsed_at': None}
    enrollment.offer_lapsed_at = now
    db.session.flush()
    audit.record(actor, action, enrollment, before=before, after={'offer_lapsed_at': now})


def _lapse_expired(offering, now):
    expired = db.session.scalars(
        select(Enrollment).where(
            Enrollment.offering_id == offering.id,
            Enrollment.status == 'waitlisted',
            Enrollment.offered_until <= now,
            Enrollment.offer_lapsed_at.is_(None),
        )
    ).all()
    for enrollment in expired:
        _lapse(enrollment, now)
    return len(expired)


def next_in_line(offering, limit):
    """The first `limit` waitlisted people to offer a seat to (rule 3)."""
    return db.session.scalars(
        select(Enrollment)
        .where(
            Enrollment.offering_id == offering.id,
            Enrollment.status == 'waitlisted',
            Enrollment.offered_until.is_(None),
            Enrollment.offer_lapsed_at.is_(None),
        )
        .order_by(Enrollment.applied_at, Enrollment.id)
        .limit(limit)
    ).all()


def offer_free_seats(offering, *, now=None, actor=None):
    """Lapse expired offers, then offer every free seat to the next in line; returns the
    enrollments offered a seat now."""
    now = now or utcnow()
    offering = lock_offering(offering)
    _lapse_expired(offering, now)
    left = places_left(offering, now)
    if not left:
        return []
    offered = next_in_line(offering, left)
    until = now + timedelta(hours=offer_hours())
    for enrollment in offered:
        enrollment.offered_until = until
        db.session.flush()
        audit.record(actor, 'enrollment.seat_offered', enrollment, after={'offered_until': until})
        notify(enrollment.user, 'seat_offered', enrollment=enrollment)
    return offered


def lapse_expired_offers(now=None, offering_ids=None):
    """Lapse every offer whose time has passed (within `offering_ids` if given) and offer
    the seats to the next in line; returns how many offers lapsed."""
    now = now or utcnow()
    stmt = select(Enrollment.offering_id).where(
        Enrollment.status == 'waitlisted',
        Enrollment.offered_until <= now,
        Enrollment.offer_lapsed_at.is_(None),
    )
    if offering_ids is not None:
        if not offering_ids:
            return 0
        stmt = stmt.where(Enrollment.offering_id.in_(offering_ids))
    lapsed = 0
    for offering_id in sorted(set(db.session.scalars(stmt))):
        offering = db.session.get(Offering, offering_id)
        lapsed += _lapse_expired(lock_offering(offering), now)
        offer_free_seats(offering, now=now)
    return lapsed


def confirm_offer(enrollment, *, actor, now=None):
    """The offered person takes the seat: accepted, and told so."""
    now = now or utcnow()
    lock_offering(enrollment.offering)
    db.session.refresh(enrollment)
    if not has_pending_offer(enrollment, now):
        raise Conflict(_l('No seat is offered to you on this application any more.'))
    before = {'status': enrollment.status, 'offered_until': enrollment.offered_until}
    enrollment.status = 'accepted'
    enrollment.decided_at = now
    enrollment.offered_until = None
    db.session.flush()
    audit.record(
        actor, 'enrollment.offer_confirmed', enrollment, before=before, after={'status': 'accepted'}
    )
    notify(enrollment.user, 'application_accepted', enrollment=enrollment)
    return enrollment


def decline_offer(enrollment, *, actor, now=None):
    """The offered person lets the seat go: it is offered to the next in line."""
    now = now or utcnow()
    lock_offering(enrollment.offering)
    db.session.refresh(enrollment)
    if not has_pending_offer(enrollment, now):
        raise Conflict(_l('No seat is offered to you on this application any more.'))
    _lapse(enrollment, now, actor=actor, action='enrollment.offer_declined')
    offer_free_seats(enrollment.offering, now=now)
    return enrollment


def lapse_offers_for(user, now=None):
    """Rule 4 without a worker: before a person's applications are shown, lapse the
    expired offers of the offerings they applied to."""
    offering_ids = db.session.scalars(
        select(Enrollment.offering_id).where(Enrollment.user_id == user.id)
    ).all()
    return lapse_expired_offers(now, offering_ids)
