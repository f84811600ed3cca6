"""A person's data: everything the academy holds about them, their request to erase it,
erasure itself, and how long rejected applications are kept.

What erasure removes and what it keeps (README, "Personal data"):
- gone: the e-mail address, names, phone, position, gender, organisation and password of
  the account; its API tokens, the e-mails written to it, and its standing as an
  organisation's contact person; every application that did
  not lead to a place (applied, waitlisted, rejected, withdrawn), with what it said; the
  notes trainers wrote beside the person's attendance; what the person wrote when applying
  to the offerings they took part in;
- kept, naming nobody: the row of the account (so that what refers to it stays whole),
  the places they took (accepted enrollments, with their attendance marks and results,
  and the organisation they worked for, written on each place when the place named none),
  so the statistics keep counting what happened, in every figure but the gender (counted
  as unknown once erased); and their certificates, exactly as
  issued: the signed credential states the holder's name, and verification shows it as
  the certificate does. Removed applications are counted per offering (ApplicationTally),
  so "applications by kind" does not change either.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from certificates import ArchiveCertificate, Certificate, format_serial
from lms import audit
from lms.errors import Conflict, Invalid
from lms.extensions import db, utcnow
from lms.links import public_url
from lms.models import (
    ApiToken,
    ApplicationTally,
    Assessment,
    Attendance,
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    OutboxMessage,
    Result,
    User,
    organization_contacts,
)

#: Applications that did not lead to a place: erasure and retention remove them.
NOT_A_PLACE = ('applied', 'waitlisted', 'rejected', 'withdrawn')
#: What an erased account is called, in Georgian and English.
ERASED_NAMES = ('წაშლილი პირი', 'Erased person')


def _iso(value):
    return value.isoformat() if value is not None else None


def personal_data(person):
    """Everything the academy holds about `person`, as plain JSON-ready values: the
    account, each application with what it said, attendance with the trainers' notes,
    results, certificates, API tokens (never the tokens themselves) and e-mails written
    to them. Read with a fixed number of queries."""
    organization = person.organization
    enrollments = db.session.execute(
        select(Enrollment, Offering, Course)
        .join(Offering, Offering.id == Enrollment.offering_id)
        .join(Course, Course.id == Offering.course_id)
        .options(
            joinedload(Enrollment.organization),
            joinedload(Enrollment.residence_municipality),
        )
        .where(Enrollment.user_id == person.id)
        .order_by(Offering.starts_on.desc(), Enrollment.id)
    ).all()
    ids = [enrollment.id for enrollment, _, _ in enrollments]
    marks = {}
    for row in db.session.execute(
        select(
            Attendance.enrollment_id, OfferingSession.starts_at, Attendance.status, Attendance.note
        )
        .join(OfferingSession, OfferingSession.id == Attendance.session_id)
        .where(Attendance.enrollment_id.in_(ids))
        .order_by(OfferingSession.starts_at)
    ):
        marks.setdefault(row.enrollment_id, []).append(
            {'session_starts_at': _iso(row.starts_at), 'status': row.status, 'note': row.note}
        )
    scores = {}
    for row in db.session.execute(
        select(Result.enrollment_id, Assessment.title, Assessment.max_score, Result.score)
        .join(Assessment, Assessment.id == Result.assessment_id)
        .where(Result.enrollment_id.in_(ids))
        .order_by(Assessment.id)
    ):
        scores.setdefault(row.enrollment_id, []).append(
            {'assessment': row.title, 'score': float(row.score), 'max_score': float(row.max_score)}
        )
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.enrollment_id.in_(ids)).order_by(Certificate.id)
    ).all()
    archived = db.session.scalars(
        select(ArchiveCertificate)
        .where(ArchiveCertificate.enrollment_id.in_(ids))
        .order_by(ArchiveCertificate.id)
    ).all()
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == person.id).order_by(ApiToken.id)
    ).all()
    messages = db.session.execute(
        select(
            OutboxMessage.subject,
            OutboxMessage.to_address,
            OutboxMessage.created_at,
            OutboxMessage.status,
        )
        .where(OutboxMessage.user_id == person.id)
        .order_by(OutboxMessage.id)
    ).all()
    return {
        'account': {
            'email': person.email,
            'full_name_ka': person.full_name_ka,
            'full_name_en': person.full_name_en,
            'role': person.role,
            'sector': person.sector,
            'organization': organization.name_ka if organization else None,
            'position': person.position,
            'gender': person.gender,
            'phone': person.phone,
            'language': person.locale,
            'created_at': _iso(person.created_at),
            'last_login_at': _iso(person.last_login_at),
            'email_confirmed_at': _iso(person.email_confirmed_at),
            'erasure_requested_at': _iso(person.erasure_requested_at),
        },
        'enrollments': [
            {
                'course': {
                    'code': course.code,
                    'title_ka': course.title_ka,
                    'title_en': course.title_en,
                },
                'starts_on': _iso(offering.starts_on),
                'ends_on': _iso(offering.ends_on),
                'status': enrollment.status,
                'applied_at': _iso(enrollment.applied_at),
                'decided_at': _iso(enrollment.decided_at),
                'withdrawn_at': _iso(enrollment.withdrawn_at),
                'motivation': enrollment.motivation,
                'sector': enrollment.sector,
                'organization': enrollment.organization.name_ka
                if enrollment.organization
                else enrollment.organization_other,
                'position': enrollment.position,
                'residence_municipality': enrollment.residence_municipality.name_ka
                if enrollment.residence_municipality
                else None,
                'consent_version': enrollment.consent_version,
                'consented_at': _iso(enrollment.consented_at),
                'attendance': marks.get(enrollment.id, []),
                'results': scores.get(enrollment.id, []),
            }
            for enrollment, offering, course in enrollments
        ],
        'certificates': [
            {
                'serial': format_serial(c.serial),
                'status': c.status,
                'issued_on': _iso(c.issued_on),
                'valid_until': _iso(c.valid_until),
                'verification_url': public_url(
                    'certificates.verify_serial', serial=format_serial(c.serial)
                ),
            }
            for c in certificates
        ],
        'archive_certificates': [
            {'number': a.number, 'issued_on': _iso(a.issued_on), 'course': a.course_title_ka}
            for a in archived
        ],
        'api_tokens': [
            {
                'name': t.name,
                'hint': t.hint,
                'created_at': _iso(t.created_at),
                'last_used_at': _iso(t.last_used_at),
                'expires_at': _iso(t.expires_at),
                'revoked_at': _iso(t.revoked_at),
            }
            for t in tokens
        ],
        'emails': [
            {
                'subject': m.subject,
                'to': m.to_address,
                'written_at': _iso(m.created_at),
                'status': m.status,
            }
            for m in messages
        ],
    }


def request_erasure(person, password):
    """The person asks the academy to erase their data, confirming with their password;
    an admin carries it out. Asking again changes nothing (False)."""
    if not person.check_password(password or ''):
        raise Invalid(fields={'password': _l('This is not your password.')})
    if person.erased_at is not None or person.erasure_requested_at is not None:
        return False
    person.erasure_requested_at = utcnow()
    audit.record(person, 'person.erasure_requested', person)
    db.session.flush()
    return True


def erasure_requests():
    """The people waiting for their data to be erased, who asked first at the top."""
    return db.session.scalars(
        select(User)
        .where(User.erasure_requested_at.is_not(None), User.erased_at.is_(None))
        .order_by(User.erasure_requested_at, User.id)
    ).all()


def what_erasure_removes(person):
    """Counts of what erasing `person` removes and keeps, for the confirmation page."""
    by_status = dict(
        db.session.execute(
            select(Enrollment.status, func.count())
            .where(Enrollment.user_id == person.id)
            .group_by(Enrollment.status)
        ).all()
    )
    certificates = db.session.scalar(
        select(func.count(Certificate.id))
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.user_id == person.id)
    )
    return {
        'applications': sum(n for status, n in by_status.items() if status in NOT_A_PLACE),
        'places': by_status.get('accepted', 0),
        'certificates': certificates,
    }


def _tally(enrollment_ids):
    """Count removed applications per offering before they go."""
    if not enrollment_ids:
        return
    counts = db.session.execute(
        select(Enrollment.offering_id, func.count())
        .where(Enrollment.id.in_(enrollment_ids))
        .group_by(Enrollment.offering_id)
    ).all()
    existing = {
        t.offering_id: t
        for t in db.session.scalars(
            select(ApplicationTally).where(ApplicationTally.offering_id.in_([o for o, _ in counts]))
        )
    }
    for offering_id, n in counts:
        tally = existing.get(offering_id)
        if tally is None:
            db.session.add(ApplicationTally(offering_id=offering_id, removed=n))
        else:
            tally.removed += n


def _remove_applications(enrollment_ids):
    _tally(enrollment_ids)
    if enrollment_ids:
        db.session.execute(delete(Attendance).where(Attendance.enrollment_id.in_(enrollment_ids)))
        db.session.execute(delete(Result).where(Result.enrollment_id.in_(enrollment_ids)))
        db.session.execute(delete(Enrollment).where(Enrollment.id.in_(enrollment_ids)))


def check_erasable(person, actor):
    """Conflict unless `actor` may erase `person`: not twice, not an administrator (change
    the role first), not oneself."""
    if person.erased_at is not None:
        raise Conflict(_l('This person is already erased.'))
    if person.role == 'admin':
        raise Conflict(_l('An administrator cannot be erased: change the role first.'))
    if actor is not None and actor.id == person.id:
        raise Conflict(_l('You cannot erase your own account.'))


def erase_person(person, *, actor):
    """Erase `person`'s personal data (the module's docstring says what goes and what
    stays); see check_erasable for who may not be erased."""
    check_erasable(person, actor)
    counts = what_erasure_removes(person)
    applications = db.session.scalars(
        select(Enrollment.id).where(
            Enrollment.user_id == person.id, Enrollment.status.in_(NOT_A_PLACE)
        )
    ).all()
    _remove_applications(applications)
    places = select(Enrollment.id).where(Enrollment.user_id == person.id).scalar_subquery()
    # A place that named no organisation counted their profile's as the employer (the
    # figures' rule): it is written on the place, so the municipalities reached and the
    # regions stay as they were once the profile is gone.
    db.session.execute(
        update(Enrollment)
        .where(
            Enrollment.user_id == person.id,
            Enrollment.organization_id.is_(None),
            Enrollment.organization_other.is_(None),
        )
        .values(organization_id=person.organization_id)
    )
    db.session.execute(
        update(Enrollment)
        .where(Enrollment.user_id == person.id)
        .values(motivation='', position=None, organization_other=None)
    )
    db.session.execute(
        update(Attendance).where(Attendance.enrollment_id.in_(places)).values(note='')
    )
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == person.id))
    db.session.execute(
        delete(organization_contacts).where(organization_contacts.c.user_id == person.id)
    )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == person.id))
    person.email = f'erased-{person.id}@erased.invalid'
    # A label, not a name: every page that lists the places they took reads naturally.
    person.full_name_ka, person.full_name_en = ERASED_NAMES
    person.password_hash = None
    person.phone = None
    person.position = None
    person.gender = None
    person.organization_id = None
    person.locale = None
    person.is_active = False
    person.invited_at = None
    person.email_confirmed_at = None
    person.erased_at = utcnow()
    person.end_sessions()
    db.session.flush()
    audit.record(actor, 'person.erased', person, removed=counts)
    return counts


def remove_old_rejections(now=None):
    """Remove rejected applications decided more than REJECTED_APPLICATIONS_RETENTION_DAYS
    ago (0 keeps them for ever); they stay counted (ApplicationTally). Returns how many."""
    days = current_app.config['REJECTED_APPLICATIONS_RETENTION_DAYS']
    if not days:
        return 0
    before = (now or utcnow()) - timedelta(days=days)
    ids = db.session.scalars(
        select(Enrollment.id).where(
            Enrollment.status == 'rejected',
            func.coalesce(Enrollment.decided_at, Enrollment.applied_at) < before,
        )
    ).all()
    _remove_applications(ids)
    db.session.flush()
    if ids:
        current_app.logger.info(
            'Removed %d rejected applications decided over %d days ago', len(ids), days
        )
    return len(ids)
