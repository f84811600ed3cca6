"""E-mail goes where MAIL_URL says, a failure to send is an error that names the server
without its password, and the plain `send_mail` never raises."""

import logging
import os
import smtplib
import subprocess
import sys
import traceback
from pathlib import Path
from typing import ClassVar

import pytest

from lms import mail

ROOT = Path(__file__).resolve().parents[2]


def _clean_env(tmp_path, **settings):
    """The environment of a developer's shell: none of the academy's variables but these."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(('LMS_', 'MAIL_', 'DATABASE_', 'TEST_DATABASE_', 'SECRET_'))
    }
    env.update(
        DATABASE_URL=f'sqlite:///{tmp_path / "academy.sqlite"}',
        SECRET_KEY='mail-test',
        CERTIFICATE_KEY_DIR=str(tmp_path / 'keys'),
        PYTHONIOENCODING='utf-8',
        **settings,
    )
    return env


class FakeSMTP:
    """Records what an smtplib connection was asked to do."""

    sent: ClassVar[list] = []

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


class FakeSMTP_SSL(FakeSMTP):
    pass


@pytest.fixture
def smtp(monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, 'SMTP', FakeSMTP)
    monkeypatch.setattr(smtplib, 'SMTP_SSL', FakeSMTP_SSL)
    return FakeSMTP.sent


def test_console_mail_goes_to_the_log_as_a_warning_of_its_own_logger(app, caplog):
    assert mail.send_mail('nino@example.ge', 'სათაური / Subject', 'ტექსტი\nText')
    (record,) = [r for r in caplog.records if 'nino@example.ge' in r.getMessage()]
    # Flask and gunicorn show warnings and above by default; an info line would be lost.
    assert (record.name, record.levelno) == ('lms.mail', logging.WARNING)
    assert 'სათაური / Subject' in record.getMessage() and 'ტექსტი' in record.getMessage()


def test_console_mail_is_printed_on_stderr_by_the_app_wsgi_py_builds(tmp_path):
    """Not TESTING, no logging set up: exactly what `make run` and gunicorn start."""
    script = (
        'import wsgi\n'
        'from lms.mail import send_mail\n'
        'with wsgi.app.app_context():\n'
        "    assert send_mail('nino@example.ge', 'თქვენი სერტიფიკატი / Subject', 'ტექსტი\\nBody')\n"
    )
    result = subprocess.run(
        [sys.executable, '-c', script],
        cwd=ROOT,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        encoding='utf-8',
    )
    assert result.returncode == 0, result.stderr
    assert 'To: nino@example.ge' in result.stderr
    assert 'Subject: თქვენი სერტიფიკატი / Subject' in result.stderr
    assert 'ტექსტი\nBody' in result.stderr
    assert result.stdout == ''


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
    assert mail.mail_url() is None
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body') is False
    assert not smtp
    with pytest.raises(mail.MailError, match='turned off'):
        mail.send_message('nino@example.ge', 'Subject', 'Body')


# MAIL_URL holds a password: nothing ever shows it.

#: Every password below contains this; no message may hold it, encoded or not.
SECRET = 's3cr3t'

MALFORMED = {
    'a port that is no number': 'smtp://nino:Zx9-s3cr3t@mail.example.ge:port',
    'a port out of range': 'smtp://nino:Zx9-s3cr3t@mail.example.ge:99999',
    'no host': 'smtp://nino:Zx9-s3cr3t@',
    'no host before the port': 'smtp://nino:Zx9-s3cr3t@:587',
    'no host at all, so the password reads as a port': 'smtp://nino:Zx9-s3cr3t',
    'an unknown scheme': 'gopher://nino:Zx9-s3cr3t@mail.example.ge:25',
    'no slashes after the scheme': 'smtp:nino:Zx9-s3cr3t@mail.example.ge:587',
    'no scheme': 'nino:Zx9-s3cr3t@mail.example.ge:587',
    'a space in the password': 'smtp://nino:Zx9 s3cr3t@mail.example.ge:587',
    'a percent-encoded password and a bad port': 'smtp://nino:Zx9%2Ds3cr3t@mail.example.ge:x',
    'a broken percent escape and a bad port': 'smtp://nino:Zx9%zzs3cr3t@mail.example.ge:x',
    "an '@' in the password and a bad port": 'smtp://nino:Zx9@s3cr3t@mail.example.ge:bad',
    "an e-mail user and an '@' in the password": 'smtp://nino@x.ge:Zx9@s3cr3t@mail.example.ge:0',
    "a '/' in the password": 'smtp://nino:Zx9/s3cr3t@mail.example.ge:587',
    "a '?' in the password": 'smtp://nino:Zx9?s3cr3t@mail.example.ge:587',
    "a '?from=' in the password": 'smtp://nino:Zx9?from=s3cr3t@mail.example.ge:587',
    "a '#' in the password": 'smtp://nino:Zx9#s3cr3t@mail.example.ge:587',
    'trailing words': 'smtp://nino:Zx9-s3cr3t@mail.example.ge:587 please',
    'trailing garbage on the port': 'smtp://nino:Zx9-s3cr3t@mail.example.ge:587garbage',
    'a bad port and a sender': 'smtp://nino:Zx9-s3cr3t@mail.example.ge:x?from=a@academy.ge',
}


def _shown(exc):
    """Everything an exception can put in front of someone: message, repr and traceback."""
    return ' '.join([str(exc), repr(exc), *traceback.format_exception(exc)])


@pytest.mark.parametrize('url', MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_mail_url_is_refused_without_showing_its_password(url):
    with pytest.raises(mail.MailURLError) as caught:
        mail.parse_mail_url(url)
    assert 'MAIL_URL' in str(caught.value)
    assert SECRET not in _shown(caught.value)


@pytest.mark.parametrize(
    ('url', 'redacted'),
    [
        ('smtp://nino:Zx9-s3cr3t@mail.example.ge:587', 'smtp://nino:***@mail.example.ge:587'),
        (
            'smtps://nino%40x.ge:Zx9%2Fs3cr3t@mail.example.ge',
            'smtps://nino@x.ge:***@mail.example.ge:465',
        ),
        (
            'smtp://nino@x.ge:Zx9@s3cr3t@mail.example.ge:587',
            'smtp://nino@x.ge:***@mail.example.ge:587',
        ),
        ('smtp://mail.example.ge', 'smtp://mail.example.ge:25'),
        ('smtp://[::1]:2525', 'smtp://[::1]:2525'),
    ],
)
def test_a_mail_url_shows_itself_only_redacted(url, redacted):
    parsed = mail.parse_mail_url(url)
    assert str(parsed) == parsed.redacted == redacted
    assert repr(parsed) == f'MailURL({redacted!r})'
    assert SECRET not in f'{parsed} {parsed!r} {parsed.__dict__.keys()}'


def test_a_well_formed_mail_url_keeps_its_password_for_the_login():
    parsed = mail.parse_mail_url('smtp://nino%40x.ge:Zx9%2Fs3cr3t@mail.example.ge:587?from=a@b.ge')
    assert (parsed.user, parsed.password, parsed.host, parsed.port, parsed.sender) == (
        'nino@x.ge',
        'Zx9/s3cr3t',
        'mail.example.ge',
        587,
        'a@b.ge',
    )


@pytest.mark.parametrize(
    'url',
    [pytest.param(url, marks=pytest.mark.app_config(MAIL_URL=url)) for url in MALFORMED.values()],
    ids=MALFORMED.keys(),
)
def test_a_malformed_mail_url_is_reported_once_at_start_and_on_each_send_never_with_its_password(
    app, caplog, url
):
    started = [r for r in caplog.get_records('setup') if r.name == 'lms.mail']
    (warning,) = started
    assert warning.levelno == logging.WARNING and 'MAIL_URL' in warning.getMessage()
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body') is False
    (error,) = [r for r in caplog.records if r.name == 'lms.mail']
    assert error.levelno == logging.ERROR and 'nino@example.ge' in error.getMessage()
    for record in caplog.get_records('setup') + caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in str(record.args)
        assert not record.exc_info or SECRET not in _shown(record.exc_info[1])


def test_a_malformed_mail_url_never_reaches_stderr_with_its_password(tmp_path):
    """Each URL as a real process meets it: the app built as wsgi.py builds it, then a send."""
    script = (
        'import os, sys\n'
        'from config import config_for_environment\n'
        'from lms import create_app\n'
        'from lms.mail import send_mail\n'
        'for url in sys.argv[1:]:\n'
        "    os.environ['MAIL_URL'] = url\n"
        '    app = create_app(config_for_environment())\n'
        '    with app.app_context():\n'
        "        assert send_mail('nino@example.ge', 'Subject', 'Body') is False\n"
    )
    result = subprocess.run(
        [sys.executable, '-c', script, *MALFORMED.values()],
        cwd=ROOT,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        encoding='utf-8',
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count('No e-mail will be sent until it is fixed') == len(MALFORMED)
    assert result.stderr.count('Could not send e-mail to nino@example.ge') == len(MALFORMED)
    assert SECRET not in result.stderr + result.stdout


@pytest.mark.app_config(MAIL_URL='smtp://nino:Zx9-s3cr3t@mail.example.ge:587')
def test_a_failed_send_names_the_server_without_its_password(app, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError('connection refused')

    monkeypatch.setattr(smtplib, 'SMTP', refuse)
    assert mail.send_mail('nino@example.ge', 'Subject', 'Body') is False
    (record,) = [r for r in caplog.records if r.name == 'lms.mail']
    assert 'smtp://nino:***@mail.example.ge:587' in record.getMessage()
    assert SECRET not in record.getMessage()
    with pytest.raises(mail.MailError) as raised:
        mail.send_message('nino@example.ge', 'Subject', 'Body')
    assert 'smtp://nino:***@mail.example.ge:587' in str(raised.value)
    assert SECRET not in _shown(raised.value)
