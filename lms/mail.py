"""E-mail to people, where MAIL_URL says: 'console' (the log) or 'smtp://user:pass@host:port'.

A message about a change is queued with `send_after_commit`, so it leaves only once the
change it describes is committed: a rolled-back request tells nobody anything. Sending
never breaks a request: a failure is logged, and the change stands.

    console                                    the message goes to the app's log (info)
    smtp://user:pass@host:587                  STARTTLS
    smtp://user:pass@host:465                  TLS from the start (SMTP over SSL)
    smtp://host:25                             plain, no login
    smtp://user:pass@host:587?from=a@b.ge      the sender (default: the user if it is an
                                               address, else noreply@<PUBLIC_BASE_URL host>)

An empty MAIL_URL (or 'none', 'off') sends nothing.
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import db

_OFF = {'', 'none', 'off', 'false', 'disabled'}
_QUEUE = 'lms.mail.pending'
_TIMEOUT = 10  # seconds: a slow mail server must not hold a worker for long


def mail_enabled():
    """Whether MAIL_URL names somewhere to send e-mail (the console counts)."""
    return (current_app.config.get('MAIL_URL') or '').strip().lower() not in _OFF


def send_mail(to, subject, body):
    """Send a plain-text message to `to` now; True when it went out (or was logged).

    Never raises: a misconfigured or unreachable server is logged as an error.
    """
    url = (current_app.config.get('MAIL_URL') or '').strip()
    if url.lower() in _OFF or not to:
        return False
    try:
        if url.lower() == 'console':
            current_app.logger.info(
                'E-mail (MAIL_URL=console)\nTo: %s\nSubject: %s\n\n%s', to, subject, body
            )
            return True
        _send_smtp(url, to, subject, body)
    except Exception:  # noqa: BLE001 - e-mail is a courtesy; the change it reports stands
        current_app.logger.exception('Could not send e-mail to %s (%s)', to, subject)
        return False
    return True


def send_after_commit(to, subject, body):
    """Send the message once the current transaction commits; forget it on rollback."""
    if not mail_enabled() or not to:
        return
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, too, ends the transaction this belongs to
    session.info.setdefault(_QUEUE, []).append((to, subject, body))


@event.listens_for(Session, 'after_commit')
def _send_queued(session):
    pending = session.info.pop(_QUEUE, None)
    for to, subject, body in pending or ():
        send_mail(to, subject, body)


@event.listens_for(Session, 'after_soft_rollback')
def _forget_queued(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_QUEUE, None)


def _send_smtp(url, to, subject, body):
    parts = urlsplit(url)
    if parts.scheme not in ('smtp', 'smtps') or not parts.hostname:
        raise ValueError(f'MAIL_URL must be "console" or smtp://user:pass@host:port, not {url!r}')
    port = parts.port or (465 if parts.scheme == 'smtps' else 25)
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    sender = parse_qs(parts.query).get('from', [None])[0] or _default_sender(user)

    message = EmailMessage()
    message['From'] = formataddr((current_app.config['ACADEMY_NAME_EN'], sender))
    message['To'] = to
    message['Subject'] = subject
    message['Message-ID'] = make_msgid(domain=sender.rpartition('@')[2] or None)
    message.set_content(body)

    context = ssl.create_default_context()
    if port == 465 or parts.scheme == 'smtps':
        connection = smtplib.SMTP_SSL(parts.hostname, port, timeout=_TIMEOUT, context=context)
    else:
        connection = smtplib.SMTP(parts.hostname, port, timeout=_TIMEOUT)
    with connection as smtp:
        if port == 587:
            smtp.starttls(context=context)
        if user:
            smtp.login(user, password or '')
        smtp.send_message(message)


def _default_sender(user):
    if user and '@' in user:
        return user
    host = urlsplit(current_app.config['PUBLIC_BASE_URL']).hostname or 'localhost'
    return f'noreply@{host}'
