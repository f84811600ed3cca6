"""Helpers for the verification tests: certificates issued in every state they can be in.

The test modules wrap `academy_keys` and `issuer` in fixtures of their own. Revoked and
superseded certificates are made by writing the rows directly, so these tests depend on
the verification code alone, not on how revocation and reissue are done.
"""

import shutil
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from certificates import Certificate, KeyStore, issue_certificate
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


def revoke(db, certificate, *, reason='Issued by mistake', at=None):
    set_row(
        db,
        certificate,
        status='revoked',
        revoked_at=at or datetime(2026, 3, 10, 21, 30, tzinfo=UTC),
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
