"""Issuing certificates: serial, signed credential, PDF with its PAdES signature, stored once.

Knows nothing about courses: lms hands over the Claims and the enrollment's id. Flushes,
never commits: the caller owns the transaction, so a batch issues all or nothing.
"""

import hashlib
import json
import secrets
from functools import cache

from flask import current_app
from sqlalchemy import select

from certificates.claims import Claims
from certificates.credential import build_credential, sign_credential
from certificates.keys import KeyStore, sync_signing_keys
from certificates.models import Certificate
from certificates.pades import sign_pdf
from certificates.pdf import render
from certificates.qr import verification_url
from certificates.serials import format_serial, has_valid_check, new_serial, normalise
from lms.extensions import db

#: Bits in the revocation status list (W3C Bitstring Status List: at least 131,072, so that
#: one certificate's bit says nothing about who holds it).
STATUS_LIST_SIZE = 131_072


@cache
def _store_for(directory, academy_name):
    return KeyStore(directory, academy_name=academy_name)


def key_store():
    """The academy's key store (CERTIFICATE_KEY_DIR); one per process, keys loaded once."""
    config = current_app.config
    return _store_for(config['CERTIFICATE_KEY_DIR'], config['ACADEMY_NAME_EN'])


def base_url():
    return current_app.config['PUBLIC_BASE_URL'].rstrip('/')


def status_list_url():
    return f'{base_url()}/status/1'


def _unused(column, candidates):
    taken = set(db.session.scalars(select(column).where(column.in_(candidates))))
    return [c for c in candidates if c not in taken]


def _fresh_serials_and_indexes(n):
    """`n` new serials and status indexes, none used yet (random: nothing to guess from)."""
    serials, indexes = [], []
    while len(serials) < n:
        serials += _unused(Certificate.serial, list({new_serial() for _ in range(n)}))
    while len(indexes) < n:
        fresh = list({secrets.randbelow(STATUS_LIST_SIZE) for _ in range(n)} - set(indexes))
        indexes += _unused(Certificate.status_index, fresh)
    return serials[:n], indexes[:n]


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
    serials, indexes = _fresh_serials_and_indexes(len(batch))
    issued = []
    for (claims, enrollment_id), serial, index in zip(batch, serials, indexes, strict=True):
        credential = build_credential(
            claims, serial, base_url=base, status={'list_url': status_list_url(), 'index': index}
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
            status_index=index,
        )
        db.session.add(certificate)
        issued.append(certificate)
    db.session.flush()
    return issued


def issue_certificate(claims: Claims, *, enrollment_id):
    """Issue one certificate; see issue_certificates."""
    return issue_certificates([(claims, enrollment_id)])[0]


def find_by_serial(text):
    """The certificate a typed or scanned serial names (any case, spaces, hyphens), or None."""
    serial = normalise(text or '')
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
        '@context': [
            'https://www.w3.org/ns/credentials/v2',
            'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ],
        'id': f'{base}/issuer',
        'type': ['Profile'],
        'name': config['ACADEMY_NAME_EN'],
        'nameKa': config['ACADEMY_NAME_KA'],
        'url': base,
    }
