"""Helpers for the verification tests: certificates issued in every state they can be in.

The test modules wrap `academy_keys` and `issuer` in fixtures of their own. Revoked and
superseded certificates are made by writing the rows directly, so these tests depend on
the verification code alone, not on how revocation and reissue are done.
"""

import base64
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from certificates import Certificate, KeyStore, build_credential, issue_certificate, sign_credential
from tests.certificates.samples import sample_claims


def tbilisi_today():
    return datetime.now(ZoneInfo('Asia/Tbilisi')).date()


def academy_keys(tmp_path_factory):
    """A key directory to share: generating an RSA key is the slow part of issuing."""
    directory = tmp_path_factory.mktemp('academy-keys') / 'keys'
    KeyStore(directory, academy_name='Participation Academy').current()
    return directory


def issuer(app, db, create_enrollment, keys):
    """A callable issuing a certificate for a new enrollment, with the academy key `keys`
    (copied into the app's key folder); keyword arguments override the sample claims,
    which have no end date unless given one."""
    shutil.copytree(keys, app.config['CERTIFICATE_KEY_DIR'], dirs_exist_ok=True)

    def _issue(enrollment=None, **overrides):
        overrides.setdefault('issuer_url', app.config['PUBLIC_BASE_URL'])
        overrides.setdefault('valid_until', None)
        certificate = issue_certificate(
            sample_claims(**overrides), enrollment_id=(enrollment or create_enrollment()).id
        )
        db.session.commit()
        return certificate

    return _issue


def set_row(db, certificate, **values):
    """Write columns of a certificate's row behind the ORM's back, as an edit by hand would."""
    db.session.execute(
        update(Certificate.__table__)
        .where(Certificate.__table__.c.id == certificate.id)
        .values(**values)
    )
    db.session.commit()
    db.session.expire_all()


#: The ways a row can be edited by hand, and the reason verification then gives.
EDITS = {
    'changed claims': 'claims_differ',
    'changed dates': 'dates_differ',
    'changed key id': 'key_differs',
    "another certificate's credential": 'other_serial',
    'a garbage credential': 'malformed',
    'a credential changed after signing': 'bad_signature',
    "a stranger's credential": 'unknown_key',
}


def edit(db, certificate, how, *, issue, tmp_path):
    """Edit `certificate`'s row by hand in one of the EDITS ways."""
    token = certificate.credential_jws
    if how == 'changed claims':
        set_row(db, certificate, claims_json=certificate.claims_json.replace('Nino', 'Nana'))
    elif how == 'changed dates':
        set_row(db, certificate, valid_until=date(2099, 12, 31))
    elif how == 'changed key id':
        set_row(db, certificate, key_id='A' * 43)
    elif how == "another certificate's credential":
        other = issue(holder_name_en='Someone Else')
        set_row(db, certificate, credential_jws=other.credential_jws, claims_json=other.claims_json)
    elif how == 'a garbage credential':
        set_row(db, certificate, credential_jws='not.a.credential')
    elif how == 'a credential changed after signing':
        header, payload, signature = token.split('.')
        claims = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
        claims['academyClaims']['holder_name_en'] = 'Nana Gelashvili'
        changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b'=').decode()
        set_row(db, certificate, credential_jws=f'{header}.{changed}.{signature}')
    elif how == "a stranger's credential":
        stranger = KeyStore(tmp_path / 'stranger', academy_name='Someone else').current()
        claims = json.loads(certificate.claims_json)
        base = claims['issuer_url']
        credential = build_credential(
            sample_claims(issuer_url=base, valid_until=None), certificate.serial, base_url=base
        )
        set_row(
            db, certificate, credential_jws=sign_credential(credential, stranger, base_url=base)
        )
    else:
        raise ValueError(how)


def revoke(db, certificate, *, reason='Issued by mistake', category='issued_in_error', at=None):
    set_row(
        db,
        certificate,
        status='revoked',
        revoked_at=at or datetime(2026, 3, 10, 21, 30, tzinfo=UTC),
        revocation_category=category,
        revocation_reason=reason,
    )


def supersede(db, issue, old, **overrides):
    """Reissue `old` (same enrollment, new claims): the old row answers superseded."""
    set_row(db, old, status='superseded')
    enrollment_id = old.enrollment_id
    new = issue(enrollment=_Enrollment(enrollment_id), **overrides)
    set_row(db, new, supersedes_id=old.id)
    return new


class _Enrollment:
    def __init__(self, id):
        self.id = id


def future(days=365):
    return tbilisi_today() + timedelta(days=days)


def past(days=30):
    return tbilisi_today() - timedelta(days=days)
