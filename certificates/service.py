"""Issuing, revoking and reissuing certificates, and the signed revocation status list.

Knows nothing about courses: lms hands over the Claims and the enrollment's id. Flushes,
never commits: the caller owns the transaction, so a batch issues all or nothing.
"""

import hashlib
import json
import secrets
import threading
from datetime import UTC
from functools import cache

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import InterfaceError, OperationalError

from certificates.claims import Claims
from certificates.credential import CONTEXT, build_credential, issuer_url, sign_credential
from certificates.keys import KeyStore, sync_signing_keys
from certificates.models import REVOCATION_CATEGORIES, Certificate
from certificates.pades import sign_pdf
from certificates.pdf import render
from certificates.qr import verification_url
from certificates.serials import format_serial, has_valid_check, new_serial
from certificates.serials import read as read_serial
from certificates.status_list import JWS_TYPE, build_status_list_credential, encode_bitstring
from lms.extensions import db, utcnow

#: Bits in each revocation status list (W3C Bitstring Status List: at least 131,072, so that
#: one certificate's bit says nothing about who holds it).
STATUS_LIST_SIZE = 131_072
#: Certificates per list: when a list holds this many, the next ones go to a new list
#: (/status/2, ...). Half the bits, so that a free bit drawn at random is found in two
#: tries on average, and issuing never searches a nearly full list.
STATUS_LIST_CAPACITY = STATUS_LIST_SIZE // 2
#: The longest revocation reason (the column's length).
MAX_REASON_LENGTH = 500


class CertificateError(Exception):
    """A change the certificate authority refuses, in words lms can map to its own errors.

    `code` names the rule ('reason_required', 'reason_too_long', 'not_valid'); `field` is
    the input at fault, if any; `conflict` is true when the certificate's state, not the
    input, forbids the change (lms answers 409 rather than 422).
    """

    def __init__(self, code, message, *, field=None, conflict=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.conflict = conflict


@cache
def _store_for(directory, academy_name):
    return KeyStore(directory, academy_name=academy_name)


def reload_keys():
    """Read the key folder afresh in this process (a restore put other keys there)."""
    _store_for.cache_clear()


def key_store():
    """The academy's key store (CERTIFICATE_KEY_DIR); one per process, keys loaded once."""
    config = current_app.config
    return _store_for(config['CERTIFICATE_KEY_DIR'], config['ACADEMY_NAME_EN'])


def base_url():
    return current_app.config['PUBLIC_BASE_URL'].rstrip('/')


def status_list_url(number=1):
    return f'{base_url()}/status/{number}'


def _unused(column, candidates, *conditions):
    taken = set(db.session.scalars(select(column).where(column.in_(candidates), *conditions)))
    return [c for c in candidates if c not in taken]


def last_status_list():
    """The number of the newest status list (1 while there is none but the first)."""
    return db.session.scalar(select(func.max(Certificate.status_list))) or 1


def _list_for(n):
    """The status list that takes `n` more certificates: the newest, or a new one when they
    would not fit in it (a batch is never split)."""
    number = last_status_list()
    held = db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.status_list == number)
    )
    return number if held + n <= STATUS_LIST_CAPACITY else number + 1


def _fresh_serials_and_indexes(n):
    """`n` new serials, the status list for them and `n` free indexes in it (random:
    nothing to guess from)."""
    if n > STATUS_LIST_CAPACITY:
        raise ValueError(f'at most {STATUS_LIST_CAPACITY} certificates at once')
    serials, indexes = [], []
    while len(serials) < n:
        serials += _unused(Certificate.serial, list({new_serial() for _ in range(n)}))
    number = _list_for(n)
    while len(indexes) < n:
        fresh = list({secrets.randbelow(STATUS_LIST_SIZE) for _ in range(n)} - set(indexes))
        indexes += _unused(Certificate.status_index, fresh, Certificate.status_list == number)
    return serials[:n], number, indexes[:n]


def issue_certificates(batch, *, signature_images=None):
    """Issue one certificate per (claims, enrollment_id) in `batch`; returns the Certificates.

    For each: a new serial, the Open Badges credential signed as a VC-JWT, the PDF with the
    QR code, the credential embedded and a PAdES signature; the PDF is stored and its
    SHA-256 recorded. One valid certificate per enrollment is enforced by the database.
    `signature_images` are PNG bytes (or None) for the claims' signatories, in order.
    Flushes, never commits.
    """
    if not batch:
        return []
    store = key_store()
    key = store.current()
    sync_signing_keys(store, db.session)
    base = base_url()
    serials, list_number, indexes = _fresh_serials_and_indexes(len(batch))
    issued = []
    for (claims, enrollment_id), serial, index in zip(batch, serials, indexes, strict=True):
        credential = build_credential(
            claims,
            serial,
            base_url=base,
            status={'list_url': status_list_url(list_number), 'index': index},
            zone=current_app.config['BABEL_DEFAULT_TIMEZONE'],
        )
        jws = sign_credential(credential, key, base_url=base)
        pdf = render(
            claims,
            format_serial(serial),
            verification_url(base, format_serial(serial)),
            signature_images=signature_images,
        )
        signed = sign_pdf(
            pdf, private_key=key.private_key, certificate=key.certificate, credential_jws=jws
        )
        certificate = Certificate(
            serial=serial,
            enrollment_id=enrollment_id,
            claims_json=claims.canonical_json().decode('utf-8'),
            credential_jws=jws,
            key_id=key.kid,
            pdf=signed,
            pdf_sha256=hashlib.sha256(signed).hexdigest(),
            issued_on=claims.issued_on,
            valid_until=claims.valid_until,
            status='valid',
            status_list=list_number,
            status_index=index,
        )
        db.session.add(certificate)
        issued.append(certificate)
    db.session.flush()
    return issued


def issue_certificate(claims: Claims, *, enrollment_id):
    """Issue one certificate; see issue_certificates."""
    return issue_certificates([(claims, enrollment_id)])[0]


def revoke_certificate(certificate, *, reason, category='other', now=None):
    """Withdraw a valid certificate in `category` (one of REVOCATION_CATEGORIES), with
    `reason`, the admins' detail (required, at most 500 characters).

    It stays verifiable and answers *revoked*, with the time and the category; the detail
    is kept for the academy and never shown publicly. Its bit in the status list becomes 1
    (the signed credential is untouched). Raises CertificateError: for an unknown category,
    a missing or too long reason, and (conflict) when the certificate is not valid, e.g.
    already revoked or superseded. Flushes, never commits.
    """
    if category not in REVOCATION_CATEGORIES:
        raise CertificateError(
            'category_unknown',
            f'the category is not one of {REVOCATION_CATEGORIES}',
            field='category',
        )
    reason = reason.strip() if isinstance(reason, str) else ''
    if not reason:
        raise CertificateError('reason_required', 'a revocation needs a reason', field='reason')
    if len(reason) > MAX_REASON_LENGTH:
        raise CertificateError(
            'reason_too_long',
            f'the reason is longer than {MAX_REASON_LENGTH} characters',
            field='reason',
        )
    _leave_valid(
        certificate,
        status='revoked',
        revoked_at=now or utcnow(),
        revocation_category=category,
        revocation_reason=reason,
    )
    return certificate


def reissue_certificate(old, claims: Claims, *, signature_images=None):
    """Replace a valid certificate with a new one stating `claims` (e.g. a corrected name).

    The new certificate has a new serial, status index, credential and PDF, belongs to
    the same enrollment and points back at the old one (supersedes), which then answers
    *superseded*. Raises CertificateError (conflict) when `old` is not valid. Flushes,
    never commits; returns the new Certificate.
    """
    # At most one valid certificate per enrollment (a partial unique index): the old one
    # must be superseded in the database before the new one is inserted.
    _leave_valid(old, status='superseded')
    new = issue_certificates([(claims, old.enrollment_id)], signature_images=signature_images)[0]
    new.supersedes = old
    db.session.flush()
    return new


def _leave_valid(certificate, **values):
    """Move a certificate out of 'valid', or raise CertificateError if it already left.

    One conditional UPDATE, so two admins acting at once cannot both succeed.
    """
    db.session.flush()
    result = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.status == 'valid')
        .values(**values)
        .execution_options(synchronize_session='fetch')
    )
    if result.rowcount != 1:
        db.session.refresh(certificate)
        raise CertificateError(
            'not_valid',
            f'certificate {certificate.formatted_serial} is {certificate.status}, not valid',
            conflict=True,
        )
    db.session.refresh(certificate)


# -- the revocation status list ----------------------------------------------------------

#: {(base URL, key directory): (version, compact JWS)}. A cache of what the database says,
#: rebuilt whenever the revocations change: never stale, and signed once per change.
_status_lists = {}
_status_lists_lock = threading.Lock()


def status_list_version(number=1):
    """(number of revoked certificates in list `number`, time of its latest revocation,
    the newest list's number), in one statement.

    Revocation is final and only valid certificates can be revoked, so the set of revoked
    certificates of a list only grows: its size changes with every revocation. Read from
    the index ix_certificates_revocations alone, however many certificates there are.
    """
    newest = select(func.max(Certificate.status_list)).scalar_subquery()
    count, latest, last = db.session.execute(
        select(func.count(), func.max(Certificate.revoked_at), newest).where(
            Certificate.status_list == number, Certificate.status == 'revoked'
        )
    ).one()
    return count, latest, last or 1


def revoked_status_indexes(number=1):
    """The status indexes of every revoked certificate of list `number` (their bits are 1)."""
    return db.session.scalars(
        select(Certificate.status_index).where(
            Certificate.status_list == number, Certificate.status == 'revoked'
        )
    ).all()


def signed_status_list(number=1):
    """Revocation list `number` as a signed BitstringStatusListCredential (compact JWS,
    VC-JWT), or None when there is no such list.

    Signed with the academy's current key, header typ 'vc+jwt' (served as
    application/vc+jwt). Rebuilt and re-signed only when its revocations (or the key)
    changed since the last call in this process; one small aggregate query otherwise.
    The same revocations give the same bytes in every worker (RS256 is deterministic and
    validFrom is the latest revocation's time), so the SHA-256 serves as an ETag.
    """
    count, latest, last = status_list_version(number)
    if not 1 <= number <= last:
        return None
    store = key_store()
    key = store.current()
    base = base_url()
    version = (count, latest.isoformat() if latest else None, key.kid)
    cache_key = (base, str(store.directory), number)
    cached = _status_lists.get(cache_key)
    if cached is not None and cached[0] == version:
        return cached[1]
    moment = latest or key.created_at
    credential = build_status_list_credential(
        list_url=status_list_url(number),
        issuer_id=issuer_url(base),
        encoded_list=encode_bitstring(revoked_status_indexes(number), STATUS_LIST_SIZE),
        valid_from=moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ'),
    )
    token = sign_credential(credential, key, base_url=base, typ=JWS_TYPE)
    with _status_lists_lock:
        _status_lists[cache_key] = (version, token)
    return token


def published_status_list(number=1):
    """List `number` as it is published: signed afresh when revocations changed, or, while
    the database cannot be reached, the copy this process signed last (revocations are
    never undone, so it lacks at most the newest ones, and clients are told to ask
    again). None when there is no such list; the database's error when there is no copy.
    """
    try:
        return signed_status_list(number)
    except (OperationalError, InterfaceError):
        db.session.rollback()  # the failed statement ended the transaction
        cached = _status_lists.get((base_url(), str(key_store().directory), number))
        if cached is None:
            raise
        return cached[1]


def find_by_serial(text):
    """The certificate a typed or scanned serial names (any case, spaces, hyphens), or None."""
    serial = read_serial(text)
    if serial is None or not has_valid_check(serial):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.serial == serial))


def valid_certificates_for(enrollment_ids):
    """{enrollment_id: Certificate} of the valid certificates of these enrollments."""
    if not enrollment_ids:
        return {}
    rows = db.session.scalars(
        select(Certificate).where(
            Certificate.status == 'valid', Certificate.enrollment_id.in_(list(enrollment_ids))
        )
    )
    return {c.enrollment_id: c for c in rows}


def claims_of(certificate):
    """The Claims a certificate was issued with, as stored (the signed bytes)."""
    return Claims.from_dict(json.loads(certificate.claims_json))


def issuer_profile(base):
    """The academy as an Open Badges 3.0 Profile, the `issuer` every credential names."""
    config = current_app.config
    return {
        '@context': list(CONTEXT),
        'id': f'{base}/issuer',
        'type': ['Profile'],
        'name': config['ACADEMY_NAME_EN'],
        'nameKa': config['ACADEMY_NAME_KA'],
        'url': base,
    }
