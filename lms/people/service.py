"""People: creating and editing accounts, passwords and API tokens.

Accounts made by the academy (admin pages, the API, the command line) count as having a
confirmed address, and so do accounts made by registering (lms/people/registration.py:
the account is made only once the person opened the link sent to the address). An
account whose address is not confirmed (an invited person who has not set a password
yet, an account from before registration needed the link) is sent a link to confirm it
(`send_address_confirmation`), and until it is opened its pages say so. It may do
everything a confirmed one may: the banner is the only difference.
"""

import functools
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from lms import audit, search
from lms.errors import Conflict, Invalid
from lms.extensions import db, utcnow
from lms.links import public_url
from lms.models import GENDERS, LOCALES, ROLES, SECTORS, ApiToken, Organization, User, hash_token
from lms.notifications.service import notify
from lms.people.passwords import MAX_PASSWORD_LENGTH, check_new_password
from lms.people.romanisation import romanise
from lms.people.tokens import lifetime, make_token
from lms.validation import Field, clean

USER_FIELDS = {
    'email': Field('email', max_length=254),
    'full_name_ka': Field(max_length=200),
    'full_name_en': Field(required=False, max_length=200),
    'role': Field(choices=ROLES, required=False, default='participant'),
    'sector': Field(choices=SECTORS, required=False, default='other'),
    'organization_id': Field('id', required=False),
    'position': Field(required=False, max_length=200, default=''),
    'gender': Field(choices=GENDERS, required=False),
    'phone': Field(required=False, max_length=40, default=''),
    'password': Field('text', required=False, max_length=MAX_PASSWORD_LENGTH),
}
#: What people may fill in about themselves when they register.
REGISTRATION_FIELDS = {
    **{
        k: USER_FIELDS[k]
        for k in (
            'email',
            'full_name_ka',
            'full_name_en',
            'sector',
            'organization_id',
            'position',
            'gender',
            'phone',
        )
    },
    'password': Field('text', max_length=MAX_PASSWORD_LENGTH),
}
AUDITED = (
    'email',
    'full_name_ka',
    'full_name_en',
    'role',
    'sector',
    'organization_id',
    'position',
    'gender',
    'is_active',
)


def find_user_by_email(email):
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def check_references(values):
    """The organisation named exists, and a password given keeps the password rule."""
    organization_id = values.get('organization_id')
    if organization_id and db.session.get(Organization, organization_id) is None:
        raise Invalid(fields={'organization_id': _l('No organisation has this id.')})
    if values.get('password'):
        check_new_password(values['password'], email=values.get('email'))


def _check_email_free(email, user=None):
    other = find_user_by_email(email)
    if other is not None and other is not user:
        raise Conflict(
            _l('Someone already has an account with this e-mail address.'),
            fields={'email': _l('This e-mail address is already registered.')},
        )


def create_user(data, *, actor, confirmed=True):
    """Create an account from plain input (API body or form data).

    The Latin name defaults to the Georgian one romanised as passports do. The address
    counts as confirmed unless `confirmed` is false (people invited who have not yet
    opened their link). Raises Invalid for bad values and
    Conflict when the e-mail is taken. Flushes, never commits.
    """
    values = clean(data, USER_FIELDS)
    check_references(values)
    _check_email_free(values['email'])
    password = values.pop('password')
    if not values['full_name_en']:
        values['full_name_en'] = romanise(values['full_name_ka'])
    user = User(**values)
    if password:
        user.set_password(password)
    if confirmed:
        user.email_confirmed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    audit.record(actor, 'user.created', user, after=audit.snapshot(user, AUDITED))
    return user


def update_user(user, data, *, actor):
    """Change an account's details; a new password only when one is given."""
    spec = {**USER_FIELDS, 'is_active': Field('bool', required=False, default=True)}
    values = clean(data, spec)
    check_references(values)
    _check_email_free(values['email'], user)
    changes_own_standing = values['role'] != user.role or not values['is_active']
    if actor is not None and actor.id == user.id and changes_own_standing:
        raise Invalid(
            fields={'role': _l('You cannot change your own role or deactivate your own account.')}
        )
    before = audit.snapshot(user, AUDITED)
    password = values.pop('password')
    if not values['full_name_en']:
        values['full_name_en'] = romanise(values['full_name_ka'])
    for name, value in values.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    db.session.flush()
    audit.record(
        actor,
        'user.updated',
        user,
        before=before,
        after=audit.snapshot(user, AUDITED),
        password_changed=bool(password),
    )
    return user


#: What people may change about themselves on their profile page. The e-mail address is
#: the login, changed by the academy; the organisation is stated with each application.
PROFILE_FIELDS = {
    k: USER_FIELDS[k]
    for k in ('full_name_ka', 'full_name_en', 'sector', 'position', 'gender', 'phone')
}


def update_profile(person, data):
    """A person corrects their own details; the Latin name defaults to the Georgian one
    romanised. Audited as their own change."""
    values = clean(data, PROFILE_FIELDS)
    if not values['full_name_en']:
        values['full_name_en'] = romanise(values['full_name_ka'])
    audit.update(
        person, values, actor=person, action='user.profile_updated', fields=(*AUDITED, 'phone')
    )
    return person


def set_locale(user, locale):
    if locale in LOCALES and user.locale != locale:
        user.locale = locale
        db.session.flush()


def authenticate(email, password):
    """The active user with this e-mail and password, or None; records the login time.

    An unknown address costs the same password check as a known one (against a hash of
    nothing), so the time of the answer does not tell whether an address has an account.
    """
    user = find_user_by_email(email or '')
    if user is None or not user.password_hash:
        check_password_hash(_decoy_hash(), password or '')
        return None
    if not user.check_password(password or '') or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


@functools.cache
def _decoy_hash_for(method):
    return generate_password_hash(secrets.token_hex(16), method=method)


def _decoy_hash():
    """A hash made as real ones are (the same method, so the same cost)."""
    return _decoy_hash_for(current_app.config.get('PASSWORD_HASH_METHOD', 'scrypt'))


#: A token's use is written at most this often: a client calling many times a second costs
#: one small UPDATE a minute, not one per call.
TOKEN_USE_INTERVAL = timedelta(minutes=1)


def issue_token(user, *, name='', actor=None):
    """A new personal API token; returns the plain token, which is shown only once.

    It expires API_TOKEN_DAYS days from now (0: never). Audited. Flushes, never commits.
    """
    days = current_app.config['API_TOKEN_DAYS']
    expires_at = utcnow() + timedelta(days=days) if days else None
    token, plain = ApiToken.generate(user, name=name, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor,
        'token.created',
        user,
        after={'token_id': token.id, 'hint': token.hint, 'expires_at': expires_at},
    )
    return plain


def find_token(plain):
    """The API token whose plain text is `plain`, whatever its state, or None."""
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))


def token_refusal(token, now):
    """Why the API refuses `token` at `now`: 'unknown', 'revoked', 'expired', 'inactive'
    (its owner's account is deactivated), or None when it works."""
    if token is None:
        return 'unknown'
    if token.revoked_at is not None:
        return 'revoked'
    if token.is_expired(now):
        return 'expired'
    if not token.user.is_active:
        return 'inactive'
    return None


def user_for_token(plain, now=None):
    """The active owner of a token that was neither revoked nor expired, or None.

    Reads only: the use is noted by `note_token_use`.
    """
    token = find_token(plain)
    return token.user if token_refusal(token, now or utcnow()) is None else None


def is_use_unnoted(token, now):
    """Whether `token`'s last use on record is older than TOKEN_USE_INTERVAL."""
    return token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_INTERVAL


def note_token_use(token_id, now):
    """Record that the token was used at `now`, unless a use within TOKEN_USE_INTERVAL is
    already recorded (checked in the UPDATE itself, so parallel requests write once).
    Returns whether it wrote. Flushes, never commits."""
    result = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= now - TOKEN_USE_INTERVAL,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def revoke_token(token, *, actor):
    """Revoke one API token: the API refuses it from now on. Audited; revoking it again
    changes nothing. Flushes, never commits."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record(actor, 'token.revoked', token.user, after={'token_id': token.id})


def revoke_tokens(user, *, actor):
    """Revoke every API token of `user` still in force; returns how many were. Each is
    audited. Flushes, never commits."""
    active = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in active:
        revoke_token(token, actor=actor)
    return len(active)


def tokens_of(user):
    """Every API token of `user`, revoked ones too, the newest first."""
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def search_users(query=None, role=None):
    """A select() of users found by `query` (lms.search.people), by Georgian name."""
    stmt = select(User).order_by(User.full_name_ka, User.id)
    if role:
        stmt = stmt.where(User.role == role)
    if query:
        stmt = stmt.where(search.people(query))
    return stmt


def users_look_ahead(query=None, role=None):
    """How a page of search_users(query, role) is found first among the list's next rows
    (lms.pagination.keyset_page, `look_ahead`); None when there is nothing to look for."""
    test = search.person_found(query) if query else None
    return None if test is None else (search_users(None, role), test)


# -- passwords and addresses -----------------------------------------------------------------


def send_password_reset(email):
    """Mail a password reset link to the active account with this address, if there is one.

    Returns the OutboxMessage, or None (no such account: nothing is written). Runs as a
    job (lms.people.tasks), so the page that asked answers alike either way.
    """
    user = find_user_by_email(email or '')
    if user is None or not user.is_active:
        return None
    link = public_url('auth.reset_password_token', token=make_token(user, 'password'))
    return notify(user, 'password_reset', link=link, valid_for=lifetime('password'))


def set_password_with_link(user, password, *, purpose):
    """The new password of someone who opened a `purpose` link ('password' or 'invitation').

    Opening the link proved they read the address, so it counts as confirmed from now on;
    the password's change kills the link (lms.people.tokens). Audited. Flushes.
    """
    check_new_password(password, email=user.email)
    confirmed = user.email_confirmed_at is None
    user.set_password(password)
    now = utcnow()
    if confirmed:
        user.email_confirmed_at = now
    user.last_login_at = now
    db.session.flush()
    action = 'user.invitation_accepted' if purpose == 'invitation' else 'user.password_reset'
    audit.record(user, action, user, address_confirmed=confirmed)
    return user


def change_password(user, current, new, *, actor):
    """A person changes their own password, knowing the current one. Audited. Flushes."""
    if not user.check_password(current or ''):
        raise Invalid(fields={'current_password': _l('This is not your current password.')})
    check_new_password(new, email=user.email)
    user.set_password(new)
    db.session.flush()
    audit.record(actor, 'user.password_changed', user)
    return user


def end_sessions(user):
    """End every session of `user`, on every device (logging out does). Flushes."""
    user.end_sessions()
    db.session.flush()
    return user


def send_address_confirmation(user):
    """Mail `user` a link that confirms their address. Returns the OutboxMessage."""
    link = public_url('auth.confirm_address', token=make_token(user, 'confirm_address'))
    return notify(user, 'confirm_address', link=link, valid_for=lifetime('confirm_address'))


def confirm_address(user):
    """Mark the address confirmed (once; audited). True when it was not confirmed before."""
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = utcnow()
    db.session.flush()
    audit.record(user, 'user.address_confirmed', user, after={'email': user.email})
    return True
