"""The outbox: every e-mail to a person, from the change that caused it to its delivery.

`notify(user, 'application_received', enrollment=e)` renders the message in the person's
language from the template pair lms/templates/mail/<name>.txt and .html, and writes it to
the outbox in the current transaction: it exists if and only if the change it tells about
is committed. Once committed, a job delivers it (lms.notifications.tasks); a failed
attempt is tried again later, each wait twice the one before (1 minute, 2, 4, ... at most
6 hours), up to MAIL_MAX_ATTEMPTS; then the message is `failed`, shown to admins, who can
send it again. A periodic sweep delivers whatever is due, so a message whose job was lost
still goes.

The templates: the .txt one defines `{% block subject %}` and `{% block why %}` (the footer
line saying why the person gets it), and both extend mail/_layout.txt or mail/_layout.html,
which add the greeting, the academy's name and the footer.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from lms import audit, jobs
from lms.extensions import db, utcnow
from lms.links import public_url
from lms.mail import MailError, send_message
from lms.models import OutboxMessage, User

#: The first wait after a failed attempt; each next one is twice as long, up to the cap.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


def recipient_locale(user):
    languages = current_app.config['LANGUAGES']
    locale = getattr(user, 'locale', None)
    return locale if locale in languages else current_app.config['BABEL_DEFAULT_LOCALE']


def render(template, locale, **context):
    """(subject, text, html) of message `template` in `locale`."""
    app = current_app._get_current_object()
    with force_locale(locale):
        values = {**context, 'locale': locale, 'public_url': public_url}
        app.update_template_context(values)
        text_template = app.jinja_env.get_template(f'mail/{template}.txt')
        text = text_template.render(values)
        html = app.jinja_env.get_template(f'mail/{template}.html').render(values)
        subject = ''.join(text_template.blocks['subject'](text_template.new_context(values)))
    return ' '.join(subject.split()), text.strip() + '\n', html


def notify(user, template, *, to=None, deliver=True, **context):
    """Write message `template` to `user` into the outbox; delivered after the commit.

    `user` may also be someone who has no account yet (a PendingRegistration: it has an
    address, names and a language); the message then belongs to no account. `to`
    overrides the address (an address being confirmed). `deliver=False` leaves the
    delivery to the caller, who writes many at once and hands them to `deliver_together`.
    Returns the OutboxMessage.
    """
    locale = recipient_locale(user)
    subject, text, html = render(template, locale, user=user, **context)
    message = OutboxMessage(
        template=template,
        to_address=to or user.email,
        user=user if isinstance(user, User) else None,
        locale=locale,
        subject=subject[:300],
        text_body=text,
        html_body=html,
        status='pending',
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    if deliver:
        db.session.flush()
        _deliver_soon(message)
    return message


def deliver_together(messages):
    """Deliver `messages` (written with deliver=False) by one job after the commit."""
    if not messages:
        return
    from lms.notifications.tasks import deliver_messages

    db.session.flush()
    jobs.submit(deliver_messages, [m.id for m in messages])


def _deliver_soon(message):
    from lms.notifications.tasks import deliver_message

    jobs.submit(deliver_message, message.id)


def _academy_name(locale):
    return current_app.config['ACADEMY_NAME_EN' if locale == 'en' else 'ACADEMY_NAME_KA']


def retry_wait(attempts):
    """How long to wait after the `attempts`-th failed attempt."""
    wait = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(wait, LONGEST_RETRY)


def deliver(message_id, *, now=None):
    """Try to deliver one pending message; commits what happened. Returns the message.

    The row is locked while it is sent (FOR UPDATE where the database has it), so two
    workers given the same message send it once.
    """
    now = now or utcnow()
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
    )
    if message is None or message.status != 'pending':
        db.session.rollback()
        return message
    message.attempts += 1
    try:
        send_message(
            message.to_address,
            message.subject,
            message.text_body,
            message.html_body,
            sender_name=_academy_name(message.locale),
        )
    except MailError as exc:
        message.last_error = str(exc)[:500]
        if message.attempts >= current_app.config['MAIL_MAX_ATTEMPTS']:
            message.status = 'failed'
        else:
            message.next_attempt_at = now + retry_wait(message.attempts)
    else:
        message.status = 'sent'
        message.sent_at = now
        message.last_error = None
    db.session.commit()
    return message


def due_messages(now=None, limit=100):
    now = now or utcnow()
    return db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == 'pending', OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()


def deliver_due(now=None, limit=100):
    """Deliver every message that is due; returns how many were tried."""
    ids = due_messages(now, limit)
    db.session.rollback()
    for message_id in ids:
        deliver(message_id, now=now)
    return len(ids)


def resend(message, *, actor):
    """Send a message again (a failed one, or one the person says never arrived)."""
    before = audit.snapshot(message, ('status', 'attempts'))
    message.status = 'pending'
    message.attempts = 0
    message.last_error = None
    message.next_attempt_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        'mail.resent',
        message,
        before=before,
        after=audit.snapshot(message, ('status', 'attempts')),
    )
    _deliver_soon(message)
    return message
