"""The certificate authority: serials, signed claims, PDFs and their verification.

lms talks to it only through this module. It knows nothing about courses.
"""

from certificates.claims import CERTIFICATE_TYPES, Claims
from certificates.claims import Signatory as ClaimsSignatory
from certificates.credential import (
    CredentialError,
    build_credential,
    claims_from_payload,
    credential_url,
    issuer_url,
    key_id_of,
    key_url,
    sign_credential,
    verify_credential,
)
from certificates.keys import (
    KeyStore,
    KeyStoreError,
    SigningKeyPair,
    VerificationKey,
    sync_signing_keys,
)
from certificates.limits import verify_limit
from certificates.models import CERTIFICATE_STATUSES, Certificate, CertificatePdf, SigningKey
from certificates.pades import (
    PdfSignatureCheck,
    check_signature,
    extract_credential,
    sign_pdf,
)
from certificates.pdf import is_pdf, render
from certificates.qr import draw_qr, verification_url
from certificates.serials import format_serial, has_valid_check, new_serial, normalise
from certificates.serials import fragment as serial_fragment
from certificates.serials import read as read_serial
from certificates.service import (
    MAX_REASON_LENGTH,
    STATUS_LIST_CAPACITY,
    STATUS_LIST_SIZE,
    CertificateError,
    claims_of,
    find_by_serial,
    issue_certificate,
    issue_certificates,
    key_store,
    reissue_certificate,
    reload_keys,
    revoke_certificate,
    signed_status_list,
    status_list_url,
    valid_certificates_for,
)
from certificates.status_list import bit_at, decode_encoded_list
from certificates.verification import (
    PdfVerification,
    Verification,
    typo_hints,
    verify,
    verify_issued_pdf,
)

__all__ = [
    'CERTIFICATE_STATUSES',
    'CERTIFICATE_TYPES',
    'MAX_REASON_LENGTH',
    'STATUS_LIST_CAPACITY',
    'STATUS_LIST_SIZE',
    'Certificate',
    'CertificateError',
    'CertificatePdf',
    'Claims',
    'ClaimsSignatory',
    'CredentialError',
    'KeyStore',
    'KeyStoreError',
    'PdfSignatureCheck',
    'PdfVerification',
    'SigningKey',
    'SigningKeyPair',
    'Verification',
    'VerificationKey',
    'bit_at',
    'build_credential',
    'check_signature',
    'claims_from_payload',
    'claims_of',
    'credential_url',
    'decode_encoded_list',
    'draw_qr',
    'extract_credential',
    'find_by_serial',
    'format_serial',
    'has_valid_check',
    'is_pdf',
    'issue_certificate',
    'issue_certificates',
    'issuer_url',
    'key_id_of',
    'key_store',
    'key_url',
    'new_serial',
    'normalise',
    'read_serial',
    'reissue_certificate',
    'reload_keys',
    'render',
    'revoke_certificate',
    'serial_fragment',
    'sign_credential',
    'sign_pdf',
    'signed_status_list',
    'status_list_url',
    'sync_signing_keys',
    'typo_hints',
    'valid_certificates_for',
    'verification_url',
    'verify',
    'verify_credential',
    'verify_issued_pdf',
    'verify_limit',
]
