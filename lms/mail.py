"""E-mail to people, where MAIL_URL says: 'console' (the log) or 'smtp://user:pass@host:port'.

This module only delivers. Messages to people are written to the outbox in the same
transaction as the change they tell about, and delivered from there by a background job
with retries (lms.notifications), so a rolled-back request tells nobody anything and a
server that is down loses nothing.

    console                                    the message is printed to stderr (a warning on
                                               the `lms.mail` logger, so it shows under
                                               `flask run` and gunicorn alike)
    smtp://user:pass@host:587                  STARTTLS
    smtp://user:pass@host:465                  TLS from the start (SMTP over SSL)
    smtp://host:25                             plain, no login
    smtp://user:pass@host:587?from=a@b.ge      the sender (default: the user if it is an
                                               address, else noreply@<PUBLIC_BASE_URL host>)

An empty MAIL_URL (or 'none', 'off') sends nothing.

MAIL_URL holds a password, so it is read in one place, `parse_mail_url`, into a `MailURL`
that shows itself only redacted (smtp://user:***@host:587). Errors about it and every log
line name the server by that redacted form, never by the URL as configured.
"""

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

_OFF = {'', 'none', 'off', 'false', 'disabled'}
_TIMEOUT = 10  # seconds: a slow mail server must not hold a worker for long

#: Console mail and mail trouble. Console mail is logged as a warning on purpose: Flask and
#: gunicorn let only warnings and above through by default, and a message that was not
#: really sent deserves one.
logger = logging.getLogger('lms.mail')

_SCHEME = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*')
_SMTP_URL = re.compile(
    r"""
    (?P<scheme>smtps?)://
    (?:(?P<user>[^:/?\#]*)(?::(?P<password>[^/?\#]*))?@)?  # both may hold '@', as urlsplit reads
    (?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])
    (?::(?P<port>[0-9]{1,5}))?
    /?
    (?:\?(?P<query>[^\#]*))?
    """,
    re.VERBOSE | re.IGNORECASE,
)


class MailURLError(ValueError):
    """MAIL_URL cannot be used. The message names the URL only in its redacted form."""


@dataclass(frozen=True)
class MailURL:
    """Where MAIL_URL sends e-mail: 'console', or an SMTP server and how to log in to it."""

    scheme: str
    host: str = ''
    port: int = 0
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None

    @property
    def is_console(self):
        return self.scheme == 'console'

    @property
    def redacted(self):
        """The URL as it may be shown in logs and errors: smtp://user:***@host:587."""
        if self.is_console:
            return 'console'
        login = ''
        if self.user is not None:
            login = f'{self.user}:***@' if self.password is not None else f'{self.user}@'
        host = f'[{self.host}]' if ':' in self.host else self.host
        return f'{self.scheme}://{login}{host}:{self.port}'

    def __str__(self):
        return self.redacted

    def __repr__(self):
        return f'MailURL({self.redacted!r})'


CONSOLE = MailURL('console')


def parse_mail_url(raw):
    """MAIL_URL as a MailURL, or None when it turns e-mail off (empty, 'none', 'off').

    Raises MailURLError for anything else that is not 'console' or a well-formed
    smtp:// or smtps:// URL; the error's message holds no part of the password.
    """
    text = (raw or '').strip()
    if text.lower() in _OFF:
        return None
    if text.lower() == 'console':
        return CONSOLE
    match = _SMTP_URL.fullmatch(text)
    if match is None or any(c.isspace() for c in text):
        raise MailURLError(f'MAIL_URL {_redact_malformed(text)} is not usable: {_fault(text)}')
    scheme = match['scheme'].lower()
    port = int(match['port']) if match['port'] else (465 if scheme == 'smtps' else 25)
    if not 0 < port < 65536:
        raise MailURLError(
            f'MAIL_URL {_redact_malformed(text)} is not usable: '
            'the port must be a number from 1 to 65535'
        )
    user = unquote(match['user']) if match['user'] else None
    password = unquote(match['password']) if match['password'] is not None else None
    sender = parse_qs(match['query'] or '').get('from', [None])[0]
    host = match['host'].strip('[]')  # an IPv6 address goes to smtplib without brackets
    return MailURL(scheme, host, port, user, password, sender)


def _fault(text):
    """What is wrong with a URL that did not parse, in words that quote none of it."""
    scheme, sep, rest = text.partition('://')
    if not sep or scheme.lower() not in ('smtp', 'smtps'):
        return 'it must be "console", "none" or smtp://user:password@host:port'
    if any(c.isspace() for c in text):
        return 'it contains spaces (write a space in the password as %20)'
    hostport = rest.rpartition('@')[2].partition('?')[0].rstrip('/')
    host, colon, port = hostport.rpartition(':') if ':' in hostport else (hostport, '', '')
    if not host:
        return 'it names no host'
    if colon and not (port.isascii() and port.isdigit()):
        return 'the port must be a number from 1 to 65535'
    return (
        'it is not of the form smtp://user:password@host:port '
        '(write / ? # and % in the password as %2F %3F %23 %25)'
    )


def _redact_malformed(text):
    """A URL that did not parse, with everything that might be its password replaced by ***.

    Without a parse there is no telling where a password ends, so everything before the
    last '@' goes (but the user name, when a ':' marks where it ends); with no '@' at all,
    'user:secret' looks just like 'host:port', so nothing after the scheme is shown.
    """
    scheme, sep, rest = text.partition('://')
    if not sep or not _SCHEME.fullmatch(scheme):
        return '***'
    head, q, query = rest.rpartition('?')
    if q and query.startswith('from='):
        rest = head  # ?from=a@b.ge: its '@' is not the login's, and it is left out
    if '@' not in rest:
        return f'{scheme}://***'
    userinfo, _, hostport = rest.rpartition('@')
    user, colon, _ = userinfo.partition(':')
    login = f'{user}:***' if colon else '***'
    return f'{scheme}://{login}@{hostport}'


def mail_url():
    """The app's MAIL_URL, parsed (None: e-mail is off). Raises MailURLError."""
    return parse_mail_url(current_app.config.get('MAIL_URL'))


def init_app(app):
    """Say once, at start, when MAIL_URL cannot be used: every message would be lost."""
    try:
        parse_mail_url(app.config.get('MAIL_URL'))
    except MailURLError as exc:
        logger.warning('%s. No e-mail will be sent until it is fixed.', exc)


class MailError(Exception):
    """A message could not be delivered; the text names the server only redacted."""


def send_message(to, subject, text, html=None, *, sender_name=None):
    """Deliver one message now: plain text, and HTML as its alternative when given.

    `sender_name` is the name the recipient sees it from (default: the academy's English
    name); the address is MAIL_URL's sender.

    Raises MailError when it could not go out (e-mail off, MAIL_URL unusable, the server
    refused or was unreachable); the outbox (lms.notifications) retries on that.
    """
    try:
        url = mail_url()
    except MailURLError as exc:
        raise MailError(str(exc)) from None
    if url is None:
        raise MailError('e-mail is turned off (MAIL_URL is empty or "none")')
    if url.is_console:
        logger.warning(
            'E-mail (MAIL_URL=console, not sent)\nTo: %s\nSubject: %s\n\n%s', to, subject, text
        )
        return
    try:
        _send_smtp(url, to, subject, text, html, sender_name)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f'{url}: {type(exc).__name__}: {exc}') from None


def send_mail(to, subject, body):
    """Send a plain-text message to `to` now; True when it went out (or was printed).

    Never raises: a misconfigured or unreachable server is logged as an error.
    """
    if not to:
        return False
    try:
        send_message(to, subject, body)
    except MailError as exc:
        logger.error('Could not send e-mail to %s (%s): %s', to, subject, exc)
        return False
    return True


def _send_smtp(url, to, subject, text, html=None, sender_name=None):
    sender = url.sender or _default_sender(url.user)

    message = EmailMessage()
    message['From'] = formataddr((sender_name or current_app.config['ACADEMY_NAME_EN'], sender))
    message['To'] = to
    message['Subject'] = subject
    message['Message-ID'] = make_msgid(domain=sender.rpartition('@')[2] or None)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype='html')

    context = ssl.create_default_context()
    if url.port == 465 or url.scheme == 'smtps':
        connection = smtplib.SMTP_SSL(url.host, url.port, timeout=_TIMEOUT, context=context)
    else:
        connection = smtplib.SMTP(url.host, url.port, timeout=_TIMEOUT)
    with connection as smtp:
        if url.port == 587:
            smtp.starttls(context=context)
        if url.user:
            smtp.login(url.user, url.password or '')
        smtp.send_message(message)


def _default_sender(user):
    if user and '@' in user:
        return user
    host = urlsplit(current_app.config['PUBLIC_BASE_URL']).hostname or 'localhost'
    return f'noreply@{host}'
