"""Certification: lms decides who is eligible and what is certified; certificates/ records it.

Issuing for an offering, and revoking and reissuing a certificate, with their audit entries
and the e-mail that tells the holder.
"""

import calendar
import dataclasses
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from certificates import (
    MAX_REASON_LENGTH,
    CertificateError,
    Claims,
    ClaimsSignatory,
    claims_of,
    issue_certificates,
    key_store,
    reissue_certificate,
    revoke_certificate,
    sync_signing_keys,
    valid_certificates_for,
    verification_url,
)
from lms import audit
from lms.awarding.signatories import signatories_for
from lms.completion.service import offering_completion, offering_end
from lms.completion.words import describe_all
from lms.errors import Conflict, DamagedFile, Invalid
from lms.extensions import academy_today, db
from lms.formatting import format_date
from lms.links import public_url
from lms.models import Enrollment
from lms.notifications.service import deliver_together, notify, recipient_locale
from lms.validation import Field, clean

#: What an admin gives when revoking (the API's body and the admin form alike).
REVOKE_FIELDS = {'reason': Field('text', max_length=MAX_REASON_LENGTH)}
#: What the before/after of a certificate's audit entries record.
_AUDITED = ('serial', 'status', 'revoked_at', 'revocation_reason')


def add_months(day, months):
    """`day` plus whole months; the 31st becomes the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
        # The figures of the rule that granted it: every session of the offering.
        hours=completion.attendance.total_hours,
        sessions_attended=completion.sessions_attended,
        sessions_total=completion.sessions_total,
        starts_on=offering.starts_on,
        ends_on=offering.ends_on,
        place_ka=offering.place('ka'),
        place_en=offering.place('en'),
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


def check_offering_over(offering, completions=None):
    """Raise Conflict (`offering_not_over`) unless the offering's last session has ended.

    Before that nobody is eligible (DESIGN.md), and saying so once beats a list of people
    each skipped for the same reason.
    """
    over, ends_on = (
        (completions[0].over, completions[0].ends_on) if completions else offering_end(offering)
    )
    if not over:
        raise Conflict(
            _l(
                'The offering ends on %(date)s: certificates can be issued once its last '
                'session has ended.',
                date=format_date(ends_on),
            ),
            code='offering_not_over',
        )


def issuable(offering, completions=None):
    """The enrollments issuing for everyone would give a certificate now: eligible, and
    without a valid certificate. Ordered as the completion view lists them."""
    completions = offering_completion(offering) if completions is None else completions
    held = valid_certificates_for([c.enrollment_id for c in completions])
    eligible = [
        c.enrollment_id
        for c in completions
        if c.eligibility.eligible and c.enrollment_id not in held
    ]
    by_id = {e.id: e for e in offering.enrollments if e.id in set(eligible)}
    return [by_id[i] for i in eligible]


def issue_for_offering(offering, *, actor, enrollment_ids=None, issued_on=None, tell_holders=True):
    """Issue a certificate to every eligible enrollment of `offering` that has no valid one.

    With `enrollment_ids`, only those. Idempotent: issuing again issues nothing. Raises
    Conflict (`offering_not_over`) before the offering's last session has ended. Returns
    (issued certificates, skipped [{'enrollment_id', 'reasons'}]). Every certificate or
    none: flushes, never commits; each issue is audited on its enrollment, and each holder
    is told by e-mail (`certificate_issued`, unless `tell_holders` is false: the demo's
    past certificates). `issued_on` (default: the academy's today) is the date the
    certificates state.
    """
    completions = offering_completion(offering, enrollment_ids=enrollment_ids)
    check_offering_over(offering, completions)
    existing = valid_certificates_for([c.enrollment_id for c in completions])
    today = issued_on or academy_today()
    signatories = signatories_for(offering.course)
    batch, skipped = [], []
    for completion in completions:
        reasons = skip_reasons(completion, existing.get(completion.enrollment_id))
        if reasons:
            skipped.append({'enrollment_id': completion.enrollment_id, 'reasons': reasons})
        else:
            # Loaded by offering_completion: from the session, not one query each (nor
            # the whole offering's enrollments for a chunk of them).
            enrollment = db.session.get(Enrollment, completion.enrollment_id)
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
    if tell_holders and issued:
        messages = [
            _tell_holder(
                certificate,
                'certificate_issued',
                pdf_link=public_url('awarding.pdf', serial=certificate.formatted_serial),
                deliver=False,
            )
            for certificate in issued
        ]
        deliver_together(messages)  # one task for all, not one queue write per message
    return issued, skipped


def skip_reasons(completion, held=None):
    """Why issuing for everyone passes `completion`'s enrollment by, in words (a list), or
    [] when it gets a certificate: it holds `held` (its valid certificate) already, or it is
    not eligible."""
    if held is not None:
        return [str(_l('already holds certificate %(serial)s', serial=held.formatted_serial))]
    if not completion.eligibility.eligible:
        return describe_all(completion.eligibility)
    return []


def prepare_signing():
    """Record the current signing key (made on first use) before workers issue side by
    side, so that they do not both add its row. Flushes, never commits."""
    store = key_store()
    store.current()
    sync_signing_keys(store, db.session)


def _certificate_error(exc):
    """certificates/ speaks CertificateError; pages and the API speak Invalid and Conflict."""
    if exc.conflict:
        return Conflict(
            _l('This certificate is no longer valid: it was revoked or replaced already.')
        )
    messages = {
        'reason_required': _l('Say why the certificate is revoked.'),
        'reason_too_long': _l('At most %(n)d characters.', n=MAX_REASON_LENGTH),
    }
    message = messages.get(exc.code, exc.message)
    return Invalid(fields={exc.field: message} if exc.field else None)


def revoke(certificate, reason, actor):
    """Revoke a valid certificate for `reason`; it stays verifiable and answers *revoked*.

    Raises Invalid without a reason (or with one over 500 characters) and Conflict when the
    certificate is already revoked or superseded. Audited as certificate.revoked; the
    holder is told by e-mail once the change is committed (when e-mail is configured).
    Flushes, never commits.
    """
    reason = clean({'reason': reason}, REVOKE_FIELDS)['reason']
    before = audit.snapshot(certificate, _AUDITED)
    try:
        revoke_certificate(certificate, reason=reason)
    except CertificateError as exc:
        raise _certificate_error(exc) from None
    audit.record(
        actor,
        'certificate.revoked',
        certificate,
        before=before,
        after=audit.snapshot(certificate, _AUDITED),
    )
    _tell_holder(certificate, 'certificate_revoked')
    return certificate


def reissue_claims(certificate):
    """The claims a reissue of `certificate` would state: the enrollment as it stands now.

    Names, course titles, place, hours and attendance are read afresh (a corrected name
    shows), the signatories are today's, and it is issued today. The end of validity stays
    what it was: a correction does not prolong a certificate.
    """
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    (completion,) = offering_completion(enrollment.offering, enrollment_ids=[enrollment.id])
    claims = claims_for(
        enrollment,
        completion,
        issued_on=academy_today(),
        signatories=signatories_for(enrollment.offering.course),
    )
    return dataclasses.replace(claims, valid_until=certificate.valid_until)


def reissue(certificate, actor):
    """Replace a valid certificate with a new one from the enrollment's current data.

    The new certificate has a new serial and points back at the old one, which answers
    *superseded*. Eligibility is not judged again: the holder earned the certificate, and
    a reissue corrects what it states. Raises Conflict when the certificate is not valid.
    Audited as certificate.reissued on the old certificate (and certificate.issued on the
    enrollment, as every issue is); the holder is told by e-mail. Flushes, never commits.
    Returns the new certificate.
    """
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    signatories = signatories_for(enrollment.offering.course)
    before = audit.snapshot(certificate, _AUDITED)
    try:
        new = reissue_certificate(
            certificate,
            reissue_claims(certificate),
            signature_images=[s.signature_png for s in signatories],
        )
    except CertificateError as exc:
        raise _certificate_error(exc) from None
    after = audit.snapshot(certificate, _AUDITED)
    audit.record(
        actor,
        'certificate.reissued',
        certificate,
        before=before,
        after={**after, 'superseded_by': new.serial},
    )
    audit.record(
        actor,
        'certificate.issued',
        enrollment,
        before=None,
        after={
            'serial': new.serial,
            'pdf_sha256': new.pdf_sha256,
            'supersedes': certificate.serial,
        },
    )
    _tell_holder(
        new,
        'certificate_reissued',
        new=new,
        old=certificate,
        new_link=_verify_link(new),
        old_link=_verify_link(certificate),
        pdf_link=public_url('awarding.pdf', serial=new.formatted_serial),
    )
    return new


def _tell_holder(certificate, template, **context):
    """Write to the certificate's holder (in the outbox, with this change)."""
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    claims = claims_of(certificate)
    locale = recipient_locale(enrollment.user)
    return notify(
        enrollment.user,
        template,
        certificate=certificate,
        course_title=claims.course_title_en if locale == 'en' else claims.course_title_ka,
        verify_link=_verify_link(certificate),
        **context,
    )


def _verify_link(certificate):
    """The certificate's verification address as its QR code has it (API.md: every
    e-mail about a certificate holds <PUBLIC_BASE_URL>/v/<serial>)."""
    return verification_url(current_app.config['PUBLIC_BASE_URL'], certificate.formatted_serial)


def intact_pdf(certificate):
    """The certificate's PDF exactly as issued, after checking it against the SHA-256
    recorded at issue: DamagedFile (logged) when the stored bytes have changed."""
    if not certificate.pdf_intact():
        current_app.logger.error(
            'The stored PDF of certificate %s does not match its SHA-256', certificate.serial
        )
        raise DamagedFile()
    return certificate.pdf
