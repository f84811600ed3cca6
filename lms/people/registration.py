"""Registering, on /register or on an offering's apply form: the answer never tells whether
the address already has an account.

Whatever address is typed, the form answers the same page ("check your mail") after the
same work (the form's rules, the password hashed, one per-address count, one look-up,
one e-mail written to the outbox); the difference goes only to the address itself:

- an address without an account gets a link (lms.people.tokens, purpose 'registration',
  REGISTRATION_HOURS, 48 by default). What was typed waits in `pending_registrations`
  (the password already hashed; for a newcomer applying, the offering and the form's
  answers, checked as the application form checks them). Only opening the link and
  pressing "finish" makes the account (its address confirmed: the link proved it), logs
  the person in and, for a newcomer, files the application then, by the rule the apply
  page follows (an offering that stopped taking applications meanwhile gets no
  application, and the person is told so). Registering again with the same address
  replaces what waits and mails a new link; the old one stops working.
- an address with an active account changes nothing: its owner is mailed that someone
  tried to register (or apply) with it, with links to log in and to reset the password.

Why a table of pending registrations, not an account that cannot log in until confirmed:
an unconfirmed account would take the address (so a stranger could hold someone's address
by registering it first), appear in the people list, searches and counts, and need a
"not yet" state checked at every login and every list. A pending registration is none of
that: it cannot log in, names nobody to the academy, and goes by itself (the daily job
removes those whose link has expired, `remove_expired_registrations`).

The mail for one address is limited (MAIL_LINK_RATE_LIMIT, counted in the rate-limit
storage, known and unknown addresses alike) so that nobody can flood a mailbox through
this form; past the limit nothing is written or sent, and the page is still the same.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from limits import parse
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from lms.enrollments.service import apply, check_application
from lms.errors import Invalid
from lms.extensions import db, limiter, utcnow
from lms.limits import address_key
from lms.links import public_url
from lms.models import (
    Enrollment,
    Offering,
    Organization,
    OutboxMessage,
    PendingRegistration,
    User,
)
from lms.notifications.service import notify
from lms.people.romanisation import romanise
from lms.people.service import (
    REGISTRATION_FIELDS,
    check_references,
    create_user,
    find_user_by_email,
    set_locale,
)
from lms.people.tokens import lifetime, make_token
from lms.permissions import applications_state
from lms.validation import clean

#: What of the account waits with the registration, besides the address, names and password.
DETAILS = ('sector', 'organization_id', 'position', 'gender', 'phone')


def request_registration(data, *, locale, offering=None, answers=None):
    """Someone registers with `data` (REGISTRATION_FIELDS), or, with `offering` and the
    application form's `answers`, applies as a newcomer.

    Raises Invalid for values the form refuses (alike for every address, before anything
    is written). Otherwise writes, for an unknown address, the pending registration and the
    mail with its link; for an address with an active account, the mail telling its owner;
    past the per-address limit, nothing. Returns the address as stored, whichever happened:
    the caller answers the same either way. Flushes, never commits.
    """
    values = clean(data, REGISTRATION_FIELDS)
    check_references(values)
    if offering is not None:
        check_application(answers)
    email = values['email']
    # Hashed for every address, so that the time of the answer does not tell either.
    password_hash = generate_password_hash(
        values.pop('password'), method=current_app.config.get('PASSWORD_HASH_METHOD', 'scrypt')
    )
    within_limit = _count_mail(email)
    owner = find_user_by_email(email)
    if not within_limit:
        return email
    if owner is not None:
        if owner.is_active:
            _tell_owner(owner, offering)
        return email
    now = utcnow()
    typed = {
        'password_hash': password_hash,
        'full_name_ka': values['full_name_ka'],
        'full_name_en': values['full_name_en'] or romanise(values['full_name_ka']),
        'details': {name: values.get(name) for name in DETAILS},
        'offering_id': offering.id if offering is not None else None,
        'answers': dict(answers) if offering is not None else None,
        'locale': locale if locale in current_app.config['LANGUAGES'] else 'ka',
        'created_at': now,
        'expires_at': now + lifetime('registration'),
    }
    pending = _save_pending(email, typed)
    link = public_url('auth.finish_registration', token=make_token(pending, 'registration'))
    notify(
        pending,
        'registration_link',
        link=link,
        valid_for=lifetime('registration'),
        offering=offering,
    )
    return email


def _pending(email):
    return db.session.scalar(select(PendingRegistration).where(PendingRegistration.email == email))


def _save_pending(email, typed):
    """The address's pending registration, made or replaced with what was `typed`.

    Two requests registering one new address at once both find none and both insert: the
    second's insert fails on the unique address (in a savepoint, so the request goes on)
    and it replaces the first's instead."""
    pending = _pending(email)
    if pending is None:
        try:
            with db.session.begin_nested():
                pending = PendingRegistration(email=email, **typed)
                db.session.add(pending)
            return pending
        except IntegrityError:
            pending = _pending(email)
    for name, value in typed.items():
        setattr(pending, name, value)
    db.session.flush()
    return pending


def _count_mail(email):
    """Count one mail for `email` against MAIL_LINK_RATE_LIMIT; False once it is used up.

    Counted under lms.limits.address_key, as the login and reset forms count theirs."""
    if not current_app.config.get('RATELIMIT_ENABLED', True):
        return True
    item = parse(current_app.config['MAIL_LINK_RATE_LIMIT'])
    return limiter.limiter.hit(item, 'registration-mail', address_key(email))


def _tell_owner(owner, offering):
    """Mail the owner of an address that someone tried to register (or apply) with it."""
    back = {}
    if offering is not None:  # back to the form, where what they typed waits for them
        back['next'] = urlsplit(public_url('catalogue.apply', offering_id=offering.id)).path
    login = public_url('auth.login', **back)
    notify(
        owner,
        'registration_attempt',
        login_link=login,
        reset_link=public_url('auth.reset_password'),
        offering=offering,
    )


@dataclass(frozen=True)
class Finished:
    """A registration finished: the new account, and for a newcomer the offering, the
    application filed, or why none was (lms.permissions.applications_state's word, or
    'answers': what was typed no longer passes the form's rules)."""

    user: User
    offering: Offering | None = None
    enrollment: Enrollment | None = None
    refused: str | None = None


def finish_registration(pending):
    """The person opened the link and finishes: the account is made from what waited (a
    participant, the address confirmed, the password they typed), the registration is
    removed, and for a newcomer the application is filed if the offering still takes
    applications (the apply page's rule).

    Returns Finished, or None when an account has the address meanwhile (made by the
    academy, say): then nothing changes (the daily job removes the registration). When
    the application's answers no longer pass (the municipality or organisation named was
    removed since), the account is made all the same and no application is filed
    (refused 'answers'): the person applies again on the form. Flushes, never commits.
    """
    email = pending.email
    if find_user_by_email(email) is not None:
        return None
    offering, answers = pending.offering, pending.answers
    details = dict(pending.details or {})
    password_hash, locale = pending.password_hash, pending.locale
    names = {'full_name_ka': pending.full_name_ka, 'full_name_en': pending.full_name_en}
    db.session.delete(pending)
    db.session.flush()
    organization_id = details.get('organization_id')
    if organization_id and db.session.get(Organization, organization_id) is None:
        details['organization_id'] = None  # removed since: the person states it again
    user = create_user(
        {**details, **names, 'email': email, 'role': 'participant'}, actor=None, confirmed=True
    )
    user.password_hash = password_hash
    set_locale(user, locale)
    # The links mailed to the address become the person's mail: shown in what the academy
    # holds about them, and erased with it.
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.to_address == email,
            OutboxMessage.user_id.is_(None),
            OutboxMessage.template == 'registration_link',
        )
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    if offering is None:
        return Finished(user)
    state = applications_state(offering)
    if state != 'open':
        return Finished(user, offering, refused=state)
    try:
        check_application(answers)
    except Invalid:
        return Finished(user, offering, refused='answers')
    return Finished(user, offering, apply(offering, user, answers, actor=user))


def remove_expired_registrations(now=None):
    """Remove the registrations whose link has expired; returns how many. Flushes."""
    result = db.session.execute(
        delete(PendingRegistration).where(PendingRegistration.expires_at <= (now or utcnow()))
    )
    db.session.flush()
    return result.rowcount
