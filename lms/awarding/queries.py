"""Read side of certificates for the admin pages: the searchable list, one certificate's
history, and what a reissue would change."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import selectinload

from certificates import (
    CERTIFICATE_STATUSES,
    Certificate,
    claims_of,
    format_serial,
)
from lms import search
from lms.extensions import db
from lms.models import AuditEntry, Enrollment, User

#: What the status filter offers: the stored statuses and `expired` (valid, past its end).
STATUS_FILTERS = (*CERTIFICATE_STATUSES, 'expired')
#: The parts of the claims a reissue may change, in the order the preview shows them.
REISSUE_FIELDS = {
    'holder_name_ka': _l('Full name in Georgian'),
    'holder_name_en': _l('Full name in Latin letters'),
    'course_title_ka': _l('Course title in Georgian'),
    'course_title_en': _l('Course title in English'),
    'course_kind': _l('Kind'),
    'hours': _l('Hours'),
    'sessions_attended': _l('Sessions attended'),
    'sessions_total': _l('Sessions'),
    'starts_on': _l('Starts on'),
    'ends_on': _l('Ends on'),
    'place_ka': _l('Place in Georgian'),
    'place_en': _l('Place in English'),
    'issuer_name_ka': _l('Issuer in Georgian'),
    'issuer_name_en': _l('Issuer in English'),
    'signatories': _l('Signatories'),
    'issued_on': _l('Issued on'),
    'valid_until': _l('Valid until'),
}


def search_certificates(query=None, status=None, *, today):
    """A select() of certificates, newest first, found by `query` (lms.search.certificates:
    a serial in any spelling, part of one, the holder's name or address)."""
    stmt = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    if status == 'expired':
        stmt = stmt.where(Certificate.is_expired(today))
    elif status == 'valid':
        stmt = stmt.where(Certificate.status == 'valid', not_(Certificate.is_expired(today)))
    elif status in CERTIFICATE_STATUSES:
        stmt = stmt.where(Certificate.status == status)
    if search.search_text(query):
        stmt = stmt.where(search.certificates(query))
    return stmt


def valid_certificate_ids_of_offering(offering):
    """The ids of the valid certificates of an offering, in the order they were issued."""
    return db.session.scalars(
        select(Certificate.id)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.offering_id == offering.id, Certificate.status == 'valid')
        .order_by(Certificate.id)
    ).all()


def certificates_with_pdfs(ids):
    """The certificates `ids` with their PDFs, in two queries, in the order of their ids."""
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.id.in_(list(ids)))
        .options(selectinload(Certificate.pdf_file))
        .order_by(Certificate.id)
    ).all()


def people_of_enrollments(enrollment_ids):
    """{enrollment id: its person} for `enrollment_ids`, in one query."""
    if not enrollment_ids:
        return {}
    rows = db.session.execute(
        select(Enrollment.id, User)
        .join(User, User.id == Enrollment.user_id)
        .where(Enrollment.id.in_(list(enrollment_ids)))
    ).all()
    return dict(rows)


def certificates_of(person):
    """Every certificate a person holds or held (revoked and superseded ones too), newest
    first."""
    return db.session.scalars(
        select(Certificate)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.user_id == person.id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    ).all()


@dataclass(frozen=True)
class HistoryEntry:
    at: object  # datetime
    action: str  # certificate.issued, certificate.reissued, certificate.revoked
    serial: str  # grouped, as people read it
    actor: object  # User or None (the system)
    reason: str | None = None  # the admins' detail of a revocation
    category: str | None = None  # its public reason (REVOCATION_CATEGORIES)
    successor: str | None = None


def certificates_of_enrollment(certificate):
    """Every certificate issued for the same enrollment, oldest first (its reissue chain)."""
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.enrollment_id == certificate.enrollment_id)
        .order_by(Certificate.id)
    ).all()


def certificate_history(certificate):
    """What happened to the certificates of this enrollment, oldest first, from the audit log:
    each issue (reissues included), reissue and revocation, with who did it."""
    chain = certificates_of_enrollment(certificate)
    serials = {c.id: c.formatted_serial for c in chain}
    entries = db.session.scalars(
        select(AuditEntry)
        .where(
            or_(
                and_(
                    AuditEntry.object_type == 'certificates',
                    AuditEntry.object_id.in_(list(serials)),
                    AuditEntry.action.in_(('certificate.revoked', 'certificate.reissued')),
                ),
                and_(
                    AuditEntry.object_type == 'enrollments',
                    AuditEntry.object_id == certificate.enrollment_id,
                    AuditEntry.action == 'certificate.issued',
                ),
            )
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()
    known = {c.serial for c in chain}
    history = []
    for entry in entries:
        after = (entry.data or {}).get('after') or {}
        if entry.object_type == 'enrollments':
            if after.get('serial') not in known:
                continue
            serial = format_serial(after['serial'])
        else:
            serial = serials[entry.object_id]
        successor = after.get('superseded_by')
        history.append(
            HistoryEntry(
                at=entry.created_at,
                action=entry.action,
                serial=serial,
                actor=entry.actor,
                reason=after.get('revocation_reason') if entry.action.endswith('revoked') else None,
                category=(
                    after.get('revocation_category') if entry.action.endswith('revoked') else None
                ),
                successor=format_serial(successor) if successor else None,
            )
        )
    return history


def reissue_preview(certificate, new_claims):
    """[(name, label, now, after)] for each part of the claims a reissue with `new_claims`
    changes (`issued_on` nearly always)."""
    old, new = claims_of(certificate).as_dict(), new_claims.as_dict()
    return [
        (name, label, _shown(old.get(name)), _shown(new.get(name)))
        for name, label in REISSUE_FIELDS.items()
        if old.get(name) != new.get(name)
    ]


def _shown(value):
    if isinstance(value, list):  # signatories
        return '; '.join(f'{s["name_ka"]} / {s["name_en"]}' for s in value) or '—'
    return '—' if value in (None, '') else str(value)
