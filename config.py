"""Settings: every value comes from the environment, with the defaults of API.md.

Nothing else in the project reads ``os.environ``; code asks ``current_app.config``.
"""

import os


def _flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in ('0', 'false', 'no', 'off', '')


class Config:
    #: 'production' refuses to start without SECRET_KEY from the environment.
    ENV_NAME = os.environ.get('LMS_ENV', 'development')
    SECRET_KEY = os.environ.get('SECRET_KEY')  # None: generated into the instance folder
    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL')  # None: SQLite in the instance
    SQLALCHEMY_ENGINE_OPTIONS = {'pool_pre_ping': True}

    ACADEMY_NAME_KA = os.environ.get('ACADEMY_NAME_KA', 'მონაწილეობის აკადემია')
    ACADEMY_NAME_EN = os.environ.get('ACADEMY_NAME_EN', 'Participation Academy')
    PUBLIC_BASE_URL = os.environ.get('PUBLIC_BASE_URL', 'http://127.0.0.1:5000').rstrip('/')
    CERTIFICATE_KEY_DIR = os.environ.get('CERTIFICATE_KEY_DIR')  # None: instance/keys
    MAIL_URL = os.environ.get('MAIL_URL', 'console')

    RATELIMIT_ENABLED = _flag('RATELIMIT_ENABLED', True)
    RATELIMIT_STORAGE_URI = os.environ.get('REDIS_URL', 'memory://')
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = '10 per minute'

    BABEL_DEFAULT_LOCALE = 'ka'
    BABEL_DEFAULT_TIMEZONE = 'Asia/Tbilisi'
    LANGUAGES = ('ka', 'en')

    MAX_CONTENT_LENGTH = 1024 * 1024  # API.md: bodies over 1 MB get 413
    WTF_CSRF_TIME_LIMIT = None  # a trainer's roster page may stay open all day
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = 'Lax'
    REMEMBER_COOKIE_SAMESITE = 'Lax'
    PER_PAGE = 25


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = 'test-secret-key'
    #: TEST_DATABASE_URL, or a DATABASE_URL pointing at PostgreSQL, runs the same suite
    #: there (it creates and drops every table: never point it at a live database).
    SQLALCHEMY_DATABASE_URI = os.environ.get('TEST_DATABASE_URL') or (
        os.environ['DATABASE_URL']
        if os.environ.get('DATABASE_URL', '').startswith('postgresql')
        else 'sqlite://'
    )
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = 'memory://'
    MAIL_URL = 'console'
    PUBLIC_BASE_URL = 'https://academy.example.test'
    SERVER_NAME = None


def config_for_environment():
    """The settings class for LMS_ENV (``production`` or anything else)."""
    return ProductionConfig if Config.ENV_NAME == 'production' else Config
