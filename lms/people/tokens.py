"""The signed links sent by e-mail: password reset, invitation, address confirmation, and
the link that finishes a registration.

One rule for all four: a token is an itsdangerous URLSafeTimedSerializer payload signed
with the app's SECRET_KEY under a salt of its own purpose (a reset token never passes as
an invitation), dated when it was made and refused once older than its purpose's
lifetime (settings PASSWORD_RESET_HOURS, INVITATION_DAYS, CONFIRM_ADDRESS_DAYS,
REGISTRATION_HOURS).

- `password` and `invitation` tokens carry a short fingerprint of the password hash as it
  was when the link was made: once the password changes (through the link itself, or any
  other way) the fingerprint no longer matches and the link is dead. That makes them
  single-use without storing anything.
- `registration` tokens name a pending registration (lms/people/registration.py), not an
  account, with the same fingerprint of its password hash: registering again with the
  address replaces the registration's password hash (a new salt even for the same
  password), so only the newest link works; once the account is made the registration
  is gone and its link with it.
- `confirm_address` tokens carry the address itself: a link sent to an old address
  confirms nothing once the account's address has changed.

The age is measured on the app's clock (`utcnow`), so tests can move it.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from lms.extensions import db, utcnow
from lms.models import PendingRegistration, User


@dataclass(frozen=True)
class Purpose:
    salt: str
    #: The setting that holds the lifetime, and its unit.
    setting: str
    unit: str


PURPOSES = {
    'password': Purpose('lms.people.password-reset', 'PASSWORD_RESET_HOURS', 'hours'),
    'invitation': Purpose('lms.people.invitation', 'INVITATION_DAYS', 'days'),
    'confirm_address': Purpose('lms.people.confirm-address', 'CONFIRM_ADDRESS_DAYS', 'days'),
    'registration': Purpose('lms.people.registration', 'REGISTRATION_HOURS', 'hours'),
}


class TokenError(Exception):
    """A link that cannot be used; `reason` is 'invalid', 'expired' or 'used'."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class _AppClockSigner(TimestampSigner):
    def get_timestamp(self):
        return int(utcnow().timestamp())


def _serializer(purpose):
    return URLSafeTimedSerializer(
        current_app.config['SECRET_KEY'], salt=PURPOSES[purpose].salt, signer=_AppClockSigner
    )


def lifetime(purpose):
    """How long a `purpose` link stays valid, from the settings."""
    spec = PURPOSES[purpose]
    return timedelta(**{spec.unit: current_app.config[spec.setting]})


def _fingerprint(user):
    """A short digest of the password hash ('' for no password): it changes with it."""
    return hashlib.sha256((user.password_hash or '').encode('utf-8')).hexdigest()[:16]


def make_token(user, purpose):
    """A signed token for `user` and `purpose` (a key of PURPOSES); for 'registration',
    `user` is the PendingRegistration."""
    if purpose == 'registration':
        return _serializer(purpose).dumps({'r': user.id, 'p': _fingerprint(user)})
    payload = {'u': user.id}
    if purpose == 'confirm_address':
        payload['e'] = user.email
    else:
        payload['p'] = _fingerprint(user)
    return _serializer(purpose).dumps(payload)


def read_token(token, purpose):
    """The user a valid `purpose` token names (for 'registration': the PendingRegistration);
    raises TokenError otherwise.

    'expired': older than its lifetime; 'used': the password (or address) changed since it
    was made; 'invalid': anything else (tampered, another purpose's, an unknown or
    deactivated account).
    """
    max_age = int(lifetime(purpose).total_seconds())
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError('expired') from None
    except BadSignature:
        raise TokenError('invalid') from None
    if purpose == 'registration':
        return _pending_registration(payload)
    user_id = payload.get('u') if isinstance(payload, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active:
        raise TokenError('invalid')
    if purpose == 'confirm_address':
        if payload.get('e') != user.email:
            raise TokenError('used')
    elif payload.get('p') != _fingerprint(user):
        raise TokenError('used')
    return user


def _pending_registration(payload):
    """The registration a signed, unexpired 'registration' payload names. Gone (finished,
    or removed) or replaced by a newer registration: 'used'."""
    pending_id = payload.get('r') if isinstance(payload, dict) else None
    if not isinstance(pending_id, int):
        raise TokenError('invalid')
    pending = db.session.get(PendingRegistration, pending_id)
    if pending is None or payload.get('p') != _fingerprint(pending):
        raise TokenError('used')
    return pending
