"""The offline check of a certificate PDF: the file and the academy's public keys, nothing else.

No app, no database, no network: what `flask certificates verify-pdf` runs, and what anyone
holding the published keys (jwks.json with its certificates) can run on a machine with
nothing else. The online check (certificates.verification.verify_issued_pdf) asks instead
whether the bytes are exactly a PDF the academy issued, and what its record says now.
"""

from certificates.credential import CredentialError, key_id_of, verify_credential
from certificates.keys import thumbprint
from certificates.pades import check_signature, extract_credential


class NotAuthentic(Exception):
    """Why a file is not an authentic certificate, in one line."""


def verify_offline(pdf_bytes, public_keys):
    """The verified credential payload of an authentic certificate PDF; NotAuthentic if not.

    Authentic means: exactly one PAdES signature, covering every byte of the file, made
    with one of `public_keys` (kid -> VerificationKey, retired keys included); and the
    credential embedded in the file verifies with the same key. Pure: no app, no database.
    """
    if not public_keys:
        raise NotAuthentic('no academy keys to check against')
    trusted = [key.certificate for key in public_keys.values()]
    check = check_signature(pdf_bytes, trusted)
    if not check:
        raise NotAuthentic(check.reason)
    token = extract_credential(pdf_bytes)
    if token is None:
        raise NotAuthentic('the PDF carries no credential')
    try:
        payload = verify_credential(token, public_keys)
    except CredentialError as error:
        raise NotAuthentic(f'the embedded credential does not verify: {error}') from None
    if key_id_of(token) != thumbprint(check.certificate.public_key()):
        raise NotAuthentic('the credential and the PDF were signed with different keys')
    return payload
