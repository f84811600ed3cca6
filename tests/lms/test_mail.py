"""E-mail goes where MAIL_URL says, only after the change it reports is committed, and a
failure to send never breaks anything."""

import logging
import smtplib

import pytest

from lms import mail


class FakeSMTP:
    """Records what an smtplib connection was asked to do."""

    sent = []

    def __init__(self, host, port, timeout=None, context=None):
        self.calls = [('connect', type(self).__name__, host, port)]
        FakeSMTP.sent.append(self.calls)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.calls.append(('quit',))

    def starttls(self, context=None):
        self.calls.append(('starttls',))

    def login(self, user, password):
        self.calls.append(('login', user, password))

    def send_message(self, message):
        self.calls.append(('send', message['From'], message['To'], message['Subject']))
        self.calls.append(('body', message.get_content()))


class FakeSMTP_SSL(FakeSMTP):  # noqa: N801 - named as smtplib names it
    pass


@pytest.fixture
def smtp(monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, 'SMTP', FakeSMTP)
    monkeypatch.setattr(smtplib, 'SMTP_SSL', FakeSMTP_SSL)
    return FakeSMTP.sent


def test_console_mail_goes_to_the_log(app, caplog):
    caplog.set_level(logging.INFO, logger='lms')
    assert mail.send_mail('nino@example.ge', 'სათაური / Subject', 'ტექსტი\nText')
    (record,) = [r for r in caplog.records if 'nino@example.ge' in r.getMessage()]
    assert record.levelno == logging.INFO
    assert 'სათაური / Subject' in record.getMessage() and 'ტექსტი' in record.getMessage()


@pytest.mark.app_config(MAIL_URL='smtp://academy%40example.ge:s3cret@mail.example.ge:587')
def test_port_587_uses_starttls_and_logs_in(app, smtp):
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body ✓ ქართულად')
    (calls,) = smtp
    assert calls[0] == ('connect', 'FakeSMTP', 'mail.example.ge', 587)
    assert calls[1:3] == [('starttls',), ('login', 'academy@example.ge', 's3cret')]
    assert calls[3] == (
        'send',
        'Participation Academy <academy@example.ge>',
        'nino@example.ge',
        'Subject',
    )
    assert calls[4] == ('body', 'Body ✓ ქართულად\n')


@pytest.mark.app_config(MAIL_URL='smtp://user:pw@mail.example.ge:465?from=noreply@academy.ge')
def test_port_465_uses_tls_from_the_start(app, smtp):
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body')
    (calls,) = smtp
    assert calls[0] == ('connect', 'FakeSMTP_SSL', 'mail.example.ge', 465)
    assert ('starttls',) not in calls
    assert calls[2][1] == 'Participation Academy <noreply@academy.ge>'


@pytest.mark.app_config(MAIL_URL='smtp://mail.example.ge:25')
def test_a_plain_server_without_login(app, smtp):
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body')
    (calls,) = smtp
    assert [c[0] for c in calls] == ['connect', 'send', 'body', 'quit']
    assert calls[1][1] == 'Participation Academy <noreply@academy.example.test>'


@pytest.mark.app_config(MAIL_URL='smtp://mail.example.ge:587')
def test_a_failure_is_logged_and_never_raised(app, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError('connection refused')

    monkeypatch.setattr(smtplib, 'SMTP', refuse)
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body') is False
    assert any(
        r.levelno == logging.ERROR and 'nino@example.ge' in r.getMessage() for r in caplog.records
    )


@pytest.mark.app_config(MAIL_URL='gopher://nowhere')
def test_a_wrong_mail_url_is_logged_not_raised(app, caplog):
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body') is False
    assert any(r.levelno == logging.ERROR for r in caplog.records)


@pytest.mark.app_config(MAIL_URL='')
def test_without_a_mail_url_nothing_is_sent(app, smtp, caplog):
    caplog.set_level(logging.INFO, logger='lms')
    assert not mail.mail_enabled()
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body') is False
    assert not smtp and not caplog.records


def test_queued_mail_leaves_on_commit_and_is_forgotten_on_rollback(app, db, caplog):
    caplog.set_level(logging.INFO, logger='lms')
    mail.send_after_commit('dropped@example.ge', 'Subject', 'Body')
    db.session.rollback()
    mail.send_after_commit('kept@example.ge', 'Subject', 'Body')
    assert not [r for r in caplog.records if 'example.ge' in r.getMessage()]
    db.session.commit()
    sent = [r.getMessage() for r in caplog.records if 'example.ge' in r.getMessage()]
    assert len(sent) == 1 and 'kept@example.ge' in sent[0]
    db.session.commit()  # nothing is sent twice
    assert len([r for r in caplog.records if 'example.ge' in r.getMessage()]) == 1
