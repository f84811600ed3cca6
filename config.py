"""Settings: the defaults of API.md, overridden from the environment when an app is built.

Nothing else in the project reads ``os.environ``; code asks ``current_app.config``.
The class attributes are the defaults; ``from_env()`` reads the environment each time it
is called (by ``create_app``), not once at import, so tests can set variables per test.
"""

import os
from typing import ClassVar

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def _flag(value, default):
    if value is None:
        return default
    return value.strip().lower() not in ('0', 'false', 'no', 'off', '')


#: Settings read from the environment variable of the same name, each a whole number.
WHOLE_NUMBERS = (
    'SEAT_OFFER_HOURS',
    'STATS_CACHE_SECONDS',
    'PUBLIC_CACHE_SECONDS',
    'REJECTED_APPLICATIONS_RETENTION_DAYS',
    'API_TOKEN_DAYS',
    'REGISTRATION_HOURS',
    'PROXY_HOPS',
)


#: Settings read from the environment variable of the same name, each a rate limit in
#: Flask-Limiter's words ('5 per 10 minutes'; several joined by ';').
RATE_LIMITS = (
    'VERIFY_RATE_LIMIT',
    'LOGIN_ACCOUNT_RATE_LIMIT',
    'CHECK_IN_CODE_RATE_LIMIT',
    'CHECK_IN_SESSION_RATE_LIMIT',
)


def _rate_limit(name, value):
    """A rate limit from the environment, checked when the app is built: a limit that
    does not parse would otherwise fail on the first request it guards."""
    text = value.strip()
    try:
        parse_many(text)
    except ValueError:
        raise ValueError(
            f'{name} must be a rate limit such as "5 per 10 minutes", not {value!r}.'
        ) from None
    return text


def _count(name, value):
    """A whole number, 0 or more, from the environment; anything else stops the app."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f'{name} must be a whole number, 0 or more, not {value!r}.')
    return int(text)


class Config:
    #: 'production' refuses to start without SECRET_KEY from the environment.
    ENV_NAME = 'development'
    SECRET_KEY = None  # None: generated into the instance folder
    SQLALCHEMY_DATABASE_URI = None  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {'pool_pre_ping': True}

    ACADEMY_NAME_KA = 'მონაწილეობის აკადემია'
    ACADEMY_NAME_EN = 'Participation Academy'
    PUBLIC_BASE_URL = 'http://127.0.0.1:5000'
    CERTIFICATE_KEY_DIR = None  # None: instance/keys
    MAIL_URL = 'console'
    #: Delivery attempts of one e-mail before it is marked failed (admins can resend it).
    MAIL_MAX_ATTEMPTS = 8
    #: Redis for the job queue and shared rate limits; None: a SQLite queue in the instance
    #: folder and limits in memory.
    REDIS_URL = None
    #: Run each background job in the web process right after its request commits (tests).
    JOBS_IMMEDIATE = False
    #: The queue's name (several academies or test runs may share one Redis) and, without
    #: Redis, its SQLite file (None: instance/jobs.sqlite).
    JOBS_QUEUE = 'academy'
    JOBS_SQLITE_PATH = None
    #: Where jobs write files for download (ZIPs), shared by web servers and workers;
    #: None: instance/exports.
    EXPORTS_DIR = None
    #: How long a freed seat offered to a waitlisted person is held for them.
    SEAT_OFFER_HOURS = 48
    #: How long the links sent by e-mail stay valid (lms/people/tokens.py).
    PASSWORD_RESET_HOURS = 1
    INVITATION_DAYS = 14
    CONFIRM_ADDRESS_DAYS = 7
    #: How long the link that finishes a registration works; a registration not finished
    #: by then is removed by the daily job (lms/people/registration.py).
    REGISTRATION_HOURS = 48
    #: Days an API token works after it is made; 0: tokens never expire.
    API_TOKEN_DAYS = 90
    #: Links sent by e-mail on request (password reset, confirmation sent again): per
    #: address asked for, or per person, on top of the per-client LOGIN_RATE_LIMIT.
    MAIL_LINK_RATE_LIMIT = '5 per hour'
    #: Rejected applications are removed this many days after the decision (they stay
    #: counted in the statistics); 0 keeps them for ever (lms/people/privacy.py).
    REJECTED_APPLICATIONS_RETENTION_DAYS = 730
    #: How long a web process reuses the public figures of /stats and /api/v1/stats (s).
    STATS_CACHE_SECONDS = 60
    #: How long a web process reuses what the catalogue and the front page list (the
    #: offerings' cards, the same for every visitor), and those pages whole for visitors
    #: not logged in (lms/caching.py) (s); 0: never.
    PUBLIC_CACHE_SECONDS = 30

    #: How many proxies in front of the app set X-Forwarded-For and -Proto: each is trusted
    #: for one hop, so client addresses (and rate limits) and links follow them. 0: none.
    PROXY_HOPS = 0

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = 'memory://'
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = '10 per minute'
    #: Failed logins with one e-mail address, from any client, before logging in with it
    #: pauses until the window ends (unknown addresses are counted alike).
    LOGIN_ACCOUNT_RATE_LIMIT = '10 per 15 minutes'
    #: Wrong six-digit check-in codes typed by one person for one session, and by everyone
    #: for one session, before typing pauses (scanning the QR code still works).
    CHECK_IN_CODE_RATE_LIMIT = '5 per 10 minutes'
    CHECK_IN_SESSION_RATE_LIMIT = '100 per 10 minutes'
    #: Per address, shared by every verification page and API call (Flask-Limiter syntax).
    VERIFY_RATE_LIMIT = '60 per minute'
    #: Seconds between writes of the verification counters; 0 writes each verification at
    #: once, in its request's transaction (certificates/verification.py says why not).
    VERIFY_COUNT_INTERVAL = 1.0

    BABEL_DEFAULT_LOCALE = 'ka'
    BABEL_DEFAULT_TIMEZONE = 'Asia/Tbilisi'
    LANGUAGES = ('ka', 'en')

    MAX_CONTENT_LENGTH = 1024 * 1024  # API.md: bodies over 1 MB get 413
    #: The largest spreadsheet of past years an admin may upload (/admin/history): a
    #: 50,000-line CSV in Georgian is some 15 MB.
    HISTORY_UPLOAD_LIMIT = 40 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # a trainer's roster page may stay open all day
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = 'Lax'
    REMEMBER_COOKIE_SAMESITE = 'Lax'
    PER_PAGE = 25
    #: werkzeug's password hashing method; scrypt unless a test wants speed.
    PASSWORD_HASH_METHOD = 'scrypt'  # noqa: S105 - a method's name, not a password

    @classmethod
    def from_env(cls, environ=None):
        """The settings the environment overrides (API.md, Configuration), as a dict.

        Only variables that are set appear, so the class defaults hold otherwise.
        """
        env = os.environ if environ is None else environ
        names = {
            'LMS_ENV': 'ENV_NAME',
            'SECRET_KEY': 'SECRET_KEY',
            'DATABASE_URL': 'SQLALCHEMY_DATABASE_URI',
            'ACADEMY_NAME_KA': 'ACADEMY_NAME_KA',
            'ACADEMY_NAME_EN': 'ACADEMY_NAME_EN',
            'PUBLIC_BASE_URL': 'PUBLIC_BASE_URL',
            'CERTIFICATE_KEY_DIR': 'CERTIFICATE_KEY_DIR',
            'MAIL_URL': 'MAIL_URL',
            'REDIS_URL': 'RATELIMIT_STORAGE_URI',
            'JOBS_QUEUE': 'JOBS_QUEUE',
            'JOBS_SQLITE_PATH': 'JOBS_SQLITE_PATH',
            'EXPORTS_DIR': 'EXPORTS_DIR',
        }
        values = {setting: env[name] for name, setting in names.items() if env.get(name)}
        if 'PUBLIC_BASE_URL' in values:
            values['PUBLIC_BASE_URL'] = values['PUBLIC_BASE_URL'].rstrip('/')
        if 'RATELIMIT_ENABLED' in env:
            values['RATELIMIT_ENABLED'] = _flag(env['RATELIMIT_ENABLED'], cls.RATELIMIT_ENABLED)
        if env.get('REDIS_URL'):
            values['REDIS_URL'] = env['REDIS_URL']
        for name in WHOLE_NUMBERS:
            if env.get(name):
                values[name] = _count(name, env[name])
        for name in RATE_LIMITS:
            if env.get(name):
                values[name] = _rate_limit(name, env[name])
        return values


class ProductionConfig(Config):
    ENV_NAME = 'production'
    #: No default: the address people use must be given (lms.production_problems).
    PUBLIC_BASE_URL = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def from_env(cls, environ=None):
        # Chosen for production, it stays production whatever LMS_ENV says.
        return {**super().from_env(environ), 'ENV_NAME': 'production'}


class TestConfig(Config):
    ENV_NAME = 'test'
    TESTING = True
    SECRET_KEY = 'test-secret-key'  # noqa: S105 - tests only; production refuses to start without one
    SQLALCHEMY_DATABASE_URI = 'sqlite://'
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = 'memory://'
    MAIL_URL = 'console'
    JOBS_IMMEDIATE = True
    STATS_CACHE_SECONDS = 0  # every request counts afresh: tests change data between calls
    PUBLIC_CACHE_SECONDS = 0
    VERIFY_COUNT_INTERVAL = 0  # every verification counted at once, as tests expect
    # Fast; the real method is tested on its own.
    PASSWORD_HASH_METHOD = 'pbkdf2:sha256:1000'  # noqa: S105 - a method's name
    PUBLIC_BASE_URL = 'https://academy.example.test'
    SERVER_NAME = None

    @classmethod
    def from_env(cls, environ=None):
        """Only the database comes from the environment; every other test setting is fixed.

        TEST_DATABASE_URL runs the suite on that database instead of SQLite in memory. The
        suite drops and creates every table there, so DATABASE_URL (the database the app
        serves) is never read, and a database whose name lacks "test" is refused
        (ValueError, which tests/conftest.py turns into a stop before any test runs).
        """
        env = os.environ if environ is None else environ
        url = env.get('TEST_DATABASE_URL', '').strip()
        if not url:
            return {}
        refuse_unless_test_database(url)
        return {'SQLALCHEMY_DATABASE_URI': url}


def refuse_unless_test_database(url):
    """Raise ValueError unless `url` is SQLite in memory or a database named for tests.

    The message names the database but never shows the URL, which may hold a password.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError('TEST_DATABASE_URL is not a database URL.') from None
    database = parsed.database or ''
    if parsed.get_backend_name() == 'sqlite' and database in ('', ':memory:'):
        return
    name = os.path.basename(database.rstrip('/'))
    if 'test' not in name.lower():
        raise ValueError(
            f'TEST_DATABASE_URL names the database {name!r}, and the tests drop and create '
            'every table in it. They run only on SQLite in memory or on a database whose '
            'name contains "test": create one (e.g. CREATE DATABASE lms_test) and point '
            'TEST_DATABASE_URL at it.'
        )


def config_for_environment(environ=None):
    """The settings class for LMS_ENV (``production`` or anything else)."""
    env = os.environ if environ is None else environ
    return ProductionConfig if env.get('LMS_ENV') == 'production' else Config
