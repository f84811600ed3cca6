"""E-mail through the outbox: written with the change it reports, delivered by a job to a
real SMTP server, retried with back-off when the server is away, shown to admins when it
could not be delivered, and sent again on their word."""

import email
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from certificates import issue_certificate
from lms import jobs
from lms.extensions import utcnow
from lms.models import AuditEntry, OutboxMessage
from lms.notifications import service
from lms.notifications.service import notify, retry_wait
from tests.certificates.samples import sample_claims


@pytest.fixture
def holder(create_user):
    return create_user(
        full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze', email='nino@example.ge'
    )


@pytest.fixture
def certificate(db, create_enrollment, holder):
    enrollment = create_enrollment(user=holder)
    claims = sample_claims(holder_name_ka='ნინო ბერიძე', holder_name_en='Nino Beridze')
    certificate = issue_certificate(claims, enrollment_id=enrollment.id)
    db.session.commit()
    return certificate


@pytest.fixture
def admin(create_user):
    return create_user(role='admin')


def _revoke(api, admin, certificate, reason='Issued in error.'):
    return api(
        'POST',
        f'/api/v1/certificates/{certificate.formatted_serial}/revoke',
        admin,
        json={'reason': reason},
    )


def _messages(db):
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_revocation_reaches_a_real_smtp_server_in_the_holders_language(
    api, db, admin, certificate, smtp_server
):
    inbox, _ = smtp_server
    assert _revoke(api, admin, certificate).status_code == 200

    (message,) = _messages(db)
    assert (message.status, message.attempts, message.template) == (
        'sent',
        1,
        'certificate_revoked',
    )
    ((recipients, received),) = inbox.messages
    assert recipients == ['nino@example.ge']
    # The sender's name decoded as RFC 2047 says (whitespace between two encoded words is
    # not text; the standard library's address parser keeps it, mail programs do not).
    raw_from = email.message_from_bytes(inbox.raw[0])['From']
    assert str(make_header(decode_header(raw_from))) == (
        'მონაწილეობის აკადემია <noreply@academy.example.test>'
    )
    text = received.get_body(('plain',)).get_content()
    html = received.get_body(('html',)).get_content()
    link = f'https://academy.example.test/v/{certificate.formatted_serial}'
    for body in (text, html):
        assert 'გამარჯობა, ნინო ბერიძე!' in body
        assert 'Issued in error.' not in body and link in body  # the admins' detail stays
        assert 'მონაწილეობის აკადემია' in body
    assert 'ამ წერილს იღებთ' in text  # the footer says why


def test_english_for_a_holder_who_chose_english(api, db, admin, certificate, holder, smtp_server):
    inbox, _ = smtp_server
    holder.locale = 'en'
    _revoke(api, admin, certificate)
    ((_, received),) = inbox.messages
    assert received['Subject'] == f'Certificate revoked: {certificate.formatted_serial}'
    assert 'Hello, Nino Beridze!' in received.get_body(('plain',)).get_content()


def test_a_refused_request_writes_no_message(api, db, admin, certificate, smtp_server):
    inbox, _ = smtp_server
    response = _revoke(api, admin, certificate, reason='')
    assert response.status_code == 422
    assert _messages(db) == [] and inbox.messages == []


def test_a_message_written_in_a_rolled_back_transaction_is_never_sent(
    db, certificate, holder, caplog
):
    message = notify(
        holder,
        'certificate_revoked',
        certificate=certificate,
        course_title='კურსი',
        verify_link='https://academy.example.test/v/x',
    )
    assert message.id is not None
    db.session.rollback()
    jobs.run_deferred()
    assert _messages(db) == []
    assert not [r for r in caplog.records if 'nino@example.ge' in r.getMessage()]


def test_while_the_server_is_away_the_message_waits_and_goes_when_it_is_back(
    api, db, admin, certificate, smtp_server
):
    inbox, server = smtp_server
    server.stop()
    _revoke(api, admin, certificate)
    (message,) = _messages(db)
    assert (message.status, message.attempts) == ('pending', 1)
    assert 'ConnectionRefusedError' in message.last_error
    first_wait = message.next_attempt_at - utcnow()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)

    # Not yet due: the sweep leaves it alone.
    assert service.deliver_due() == 0
    server.start()  # the same port again
    later = utcnow() + timedelta(minutes=2)
    assert service.deliver_due(now=later) == 1
    (message,) = _messages(db)
    assert (message.status, message.attempts, message.last_error) == ('sent', 2, None)
    assert len(inbox.messages) == 1


def test_the_waits_double_up_to_six_hours():
    waits = [retry_wait(n) for n in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == timedelta(hours=6) and max(waits) == timedelta(hours=6)


@pytest.mark.app_config(MAIL_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_admins_see_it_failed_and_can_send_it_again(
    api, client, login, db, admin, certificate, smtp_server
):
    inbox, server = smtp_server
    server.stop()
    _revoke(api, admin, certificate)
    when = utcnow()
    for _ in range(5):
        when += timedelta(hours=7)
        service.deliver_due(now=when)
    (message,) = _messages(db)
    assert (message.status, message.attempts) == ('failed', 3)

    login(admin)
    listed = client.get('/admin/mail?status=failed')
    assert listed.status_code == 200
    assert 'nino@example.ge' in listed.text and 'Not delivered' not in listed.text  # Georgian page
    page = client.get(f'/admin/mail/{message.id}')
    assert 'ConnectionRefusedError' in page.text and 'გაუქმდა' in page.text

    server.start()
    response = client.post(f'/admin/mail/{message.id}/resend')
    assert response.status_code == 302
    (message,) = _messages(db)
    assert (message.status, message.attempts) == ('sent', 1)
    assert len(inbox.messages) == 1
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == 'mail.resent'))
        == 'mail.resent'
    )


def test_the_mail_pages_are_for_admins_only(client, login, db, create_user):
    login(create_user(role='trainer'))
    assert client.get('/admin/mail').status_code == 403


def test_a_job_runs_only_once_its_transaction_commits(app, db, holder):
    ran = []

    @jobs.task()
    def remember(value):
        ran.append(value)

    jobs.submit(remember, 'rolled back')
    db.session.rollback()
    jobs.run_deferred()
    assert ran == []
    jobs.submit(remember, 'committed')
    db.session.commit()
    assert ran == []  # not inside the commit itself
    jobs.run_deferred()
    assert ran == ['committed']
