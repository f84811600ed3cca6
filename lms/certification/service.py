"""Certification: lms decides who is eligible and what is certified; certificates/ records it."""

import calendar
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certificates import Claims, ClaimsSignatory, issue_certificates, valid_certificates_for
from lms import audit
from lms.completion.service import offering_completion
from lms.completion.words import describe_all
from lms.extensions import db
from lms.models import Signatory
from lms.permissions import academy_today


def add_months(day, months):
    """`day` plus whole months; the 31st becomes the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def signatories_for(course):
    """The course's own signatories, or the academy's when the course has none."""
    own = list(course.signatories)
    if own:
        return own
    return db.session.scalars(
        select(Signatory).where(Signatory.course_id.is_(None)).order_by(Signatory.position)
    ).all()


def _place(offering, lang):
    municipality = offering.municipality
    name = (municipality.name_en if lang == 'en' else municipality.name_ka) if municipality else ''
    parts = [p for p in (offering.location, name) if p]
    return ', '.join(dict.fromkeys(parts))


def claims_for(enrollment, completion, *, issued_on, signatories):
    """The snapshot a certificate states, frozen as it stands today."""
    offering, course, person = enrollment.offering, enrollment.offering.course, enrollment.user
    config = current_app.config
    return Claims(
        holder_name_ka=person.full_name_ka,
        holder_name_en=person.full_name_en,
        course_code=course.code,
        course_title_ka=course.title_ka,
        course_title_en=course.title_en,
        course_kind=course.kind,
        hours=sum((Decimal(str(s.hours)) for s in offering.sessions), Decimal(0)),
        sessions_attended=completion.sessions_attended,
        sessions_total=len(offering.sessions),
        starts_on=offering.starts_on,
        ends_on=offering.ends_on,
        place_ka=_place(offering, 'ka'),
        place_en=_place(offering, 'en'),
        issuer_name_ka=config['ACADEMY_NAME_KA'],
        issuer_name_en=config['ACADEMY_NAME_EN'],
        issuer_url=config['PUBLIC_BASE_URL'].rstrip('/'),
        issued_on=issued_on,
        valid_until=add_months(issued_on, course.validity_months)
        if course.validity_months
        else None,
        signatories=tuple(
            ClaimsSignatory(s.name_ka, s.name_en, s.title_ka, s.title_en) for s in signatories
        ),
    )


def issue_for_offering(offering, *, actor, enrollment_ids=None):
    """Issue a certificate to every eligible enrollment of `offering` that has no valid one.

    With `enrollment_ids`, only those. Idempotent: issuing again issues nothing. Returns
    (issued certificates, skipped [{'enrollment_id', 'reasons'}]). Every certificate or
    none: flushes, never commits; each issue is audited on its enrollment.
    """
    completions = offering_completion(offering, enrollment_ids=enrollment_ids)
    existing = valid_certificates_for([c.enrollment_id for c in completions])
    enrollments = {e.id: e for e in offering.enrollments}
    today = academy_today()
    signatories = signatories_for(offering.course)
    batch, skipped = [], []
    for completion in completions:
        held = existing.get(completion.enrollment_id)
        if held is not None:
            skipped.append(
                {
                    'enrollment_id': completion.enrollment_id,
                    'reasons': [
                        str(
                            _l('already holds certificate %(serial)s', serial=held.formatted_serial)
                        )
                    ],
                }
            )
        elif not completion.eligibility.eligible:
            skipped.append(
                {
                    'enrollment_id': completion.enrollment_id,
                    'reasons': describe_all(completion.eligibility),
                }
            )
        else:
            enrollment = enrollments[completion.enrollment_id]
            claims = claims_for(enrollment, completion, issued_on=today, signatories=signatories)
            batch.append((claims, enrollment.id))
    issued = issue_certificates(batch, signature_images=[s.signature_png for s in signatories])
    audit.record_many(
        actor,
        'certificate.issued',
        'enrollments',
        [
            (c.enrollment_id, None, {'serial': c.serial, 'pdf_sha256': c.pdf_sha256}, {})
            for c in issued
        ],
    )
    return issued, skipped
