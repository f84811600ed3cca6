"""The academy's web application."""

import os
import secrets
import tempfile
from contextlib import suppress

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import Config
from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
from lms.sessions import SessionInterface


class RowIdConverter(IntegerConverter):
    """`<int:…>` in URLs: only numbers a database INTEGER holds (PostgreSQL: 32 bits).

    A larger one names nothing, so it is 404, not an error of the database's.
    """

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def create_app(config_class=Config, *, instance_path=None, **overrides):
    """Build the application; tests pass TestConfig and per-test overrides.

    Settings come from `config_class`, then the environment as that class reads it
    (`from_env`), then `overrides`. `instance_path` moves the instance folder (tests use
    a temporary one).
    """
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_object(config_class)
    app.config.update(config_class.from_env())
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    _fill_instance_defaults(app)
    _refuse_unsafe_production(app)
    app.session_interface = SessionInterface()
    app.url_map.converters['int'] = RowIdConverter
    register_extensions(app)
    register_blueprints(app)
    register_transactions(app)
    register_jobs(app)
    register_errorhandlers(app)
    register_cli(app)
    register_template_helpers(app)
    _trust_proxies(app)
    _warn_about_per_worker_limits(app)
    return app


def _trust_proxies(app):
    """Behind PROXY_HOPS proxies, take the client's address and scheme from their headers.

    Each proxy appends to X-Forwarded-For; only the last PROXY_HOPS entries were written by
    proxies of ours, anything before them by the client, who may write anything. So the
    address rate limits count by is the one the outermost of our proxies saw.
    """
    hops = app.config.get('PROXY_HOPS') or 0
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _warn_about_per_worker_limits(app):
    """In production, rate limits kept in memory are counted by each worker on its own."""
    if (
        app.config.get('ENV_NAME') == 'production'
        and app.config.get('RATELIMIT_ENABLED')
        and app.config.get('RATELIMIT_STORAGE_URI', '').startswith('memory://')
    ):
        app.logger.warning(
            'REDIS_URL is not set: rate limits are counted per worker, so a client gets the '
            'limit once for every worker. Set REDIS_URL to share one count.'
        )


def _fill_instance_defaults(app):
    """SQLite file, development secret key and key folder default to the instance folder.

    In production (LMS_ENV=production) the secret key must come from the environment:
    several workers on several machines have to share it.
    """
    if not app.config.get('SQLALCHEMY_DATABASE_URI'):
        path = os.path.join(app.instance_path, 'academy.sqlite')
        app.config['SQLALCHEMY_DATABASE_URI'] = f'sqlite:///{path}'
    if not app.config.get('CERTIFICATE_KEY_DIR'):
        app.config['CERTIFICATE_KEY_DIR'] = os.path.join(app.instance_path, 'keys')
    if not app.config.get('SECRET_KEY') and app.config.get('ENV_NAME') != 'production':
        app.config['SECRET_KEY'] = _instance_secret_key(app.instance_path)


#: Secret keys that are examples, not secrets (compared without case, spaces or punctuation).
_PLACEHOLDER_SECRETS = {'changeme', 'secret', 'secretkey', 'development', 'dev', 'test', 'password'}
#: The shortest SECRET_KEY production takes: 32 characters (a 128-bit hex string), with at
#: least 10 different ones among them and not one piece repeated.
MIN_SECRET_LENGTH = 32


def production_problems(config):
    """What makes these settings unsafe for production, in sentences (none: safe)."""
    problems = []
    key = config.get('SECRET_KEY') or ''
    plain = ''.join(ch for ch in key.lower() if ch.isalnum())
    if not key:
        problems.append(
            'SECRET_KEY is not set. In production it must come from the environment, '
            'the same value on every worker: export SECRET_KEY=<a long random string>.'
        )
    elif (
        len(key) < MIN_SECRET_LENGTH
        or len(set(key)) < 10
        or key in (key + key)[1:-1]  # one piece repeated: abcabcabc...
        or any(word in plain for word in _PLACEHOLDER_SECRETS if len(plain) < 2 * MIN_SECRET_LENGTH)
    ):
        problems.append(
            f'SECRET_KEY is too weak: use at least {MIN_SECRET_LENGTH} random characters, '
            'e.g. the output of: python3 -c "import secrets; print(secrets.token_hex(32))".'
        )
    if not config.get('PUBLIC_BASE_URL'):
        problems.append(
            'PUBLIC_BASE_URL is not set: QR codes, credentials and e-mail need the address '
            'people use, e.g. export PUBLIC_BASE_URL=https://academy.example.ge.'
        )
    if (config.get('MAIL_URL') or '').strip().lower() == 'console':
        problems.append(
            'MAIL_URL is "console": nobody would receive any e-mail. Set it to '
            'smtp://user:password@host:port, or to "none" to send no e-mail.'
        )
    return problems


def _refuse_unsafe_production(app):
    if app.config.get('ENV_NAME') != 'production':
        return
    problems = production_problems(app.config)
    if problems:
        raise RuntimeError(' '.join(problems))


def _instance_secret_key(instance_path):
    """The developer secret key from the instance folder, generated on first use.

    Written to a private temporary file and linked into place, so two processes starting
    at once agree on one key and neither ever reads a half-written file.
    """
    path = os.path.join(instance_path, 'secret_key')
    if not os.path.exists(path):
        fd, draft = tempfile.mkstemp(dir=instance_path, prefix='.secret_key.')  # mode 0600
        try:
            with open(fd, 'w') as fh:
                fh.write(secrets.token_hex(32))
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            os.unlink(draft)
    with open(path) as fh:
        key = fh.read().strip()
    if not key:
        raise RuntimeError(f'{path} is empty: delete it and a new secret key is generated.')
    return key


def register_extensions(app):
    import certificates.models  # noqa: F401  (its tables belong to the same metadata)
    from lms import mail, security
    from lms.i18n import select_locale
    from lms.models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), 'migrations'))
    login_manager.init_app(app)
    login_manager.login_view = 'auth.login'
    login_manager.login_message_category = 'info'
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    mail.init_app(app)
    security.init_app(app)
    _sqlite_in_wal_mode(app)

    @login_manager.user_loader
    def load_user(session_id):
        """The person a session names, if it began under their current session version
        (a session of before versions, a bare id, counts as version 0)."""
        user_id, _, version = session_id.partition(':')
        if not (user_id.isdigit() and (version or '0').isdigit()):
            return None
        user = db.session.get(User, int(user_id)) if int(user_id) <= 2**31 - 1 else None
        if user is None or not user.is_active:
            return None
        return user if (user.session_version or 0) == int(version or 0) else None

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l('Please log in to open this page.')


def _sqlite_in_wal_mode(app):
    """A SQLite file in WAL mode, with a wait for the lock: the web server and the job
    worker read while the other writes, and the online backup copies it while it runs.

    The file holds personal data: it is made readable by its owner only (SQLite gives its
    -wal and -shm files the same permissions).
    """
    url = app.config['SQLALCHEMY_DATABASE_URI']
    if not url.startswith('sqlite:///') or url.startswith('sqlite:///:memory:'):
        return
    with app.app_context():
        engine = db.engine
    path = engine.url.database

    @event.listens_for(engine, 'connect')
    def _pragmas(connection, record):
        with suppress(OSError):  # not ours to change: leave it as its owner made it
            os.chmod(path, 0o600)
        cursor = connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA busy_timeout=10000')
        cursor.close()


def register_blueprints(app):
    # Imported here so that `import lms` has no side effects and certificates/ can
    # import lms.extensions without dragging in every view.
    from certificates.views import bp as certificates_bp
    from lms.account.views import bp as account_bp
    from lms.admin.views import bp as admin_bp
    from lms.api import bp as api_bp
    from lms.auth.views import bp as auth_bp
    from lms.awarding.views import bp as awarding_bp
    from lms.catalogue.views import bp as catalogue_bp
    from lms.checkin.views import bp as checkin_bp
    from lms.main.jobs.views import bp as jobs_bp
    from lms.main.views import bp as main_bp
    from lms.organizations.views import bp as organizations_bp
    from lms.trainer.views import bp as trainer_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(jobs_bp, url_prefix='/jobs')
    app.register_blueprint(account_bp, url_prefix='/account')
    app.register_blueprint(catalogue_bp, url_prefix='/catalogue')
    app.register_blueprint(organizations_bp, url_prefix='/organizations')
    app.register_blueprint(admin_bp, url_prefix='/admin')
    app.register_blueprint(trainer_bp, url_prefix='/teach')
    app.register_blueprint(checkin_bp, url_prefix='/check-in')
    app.register_blueprint(awarding_bp, url_prefix='/certificates')
    app.register_blueprint(certificates_bp)
    app.register_blueprint(api_bp, url_prefix='/api/v1')
    csrf.exempt(api_bp)  # bearer tokens, never cookies: nothing for a forged form to ride on


def register_transactions(app):
    from lms import transactions

    transactions.register(app)


def register_jobs(app):
    from lms import jobs

    jobs.configure(app)


def register_errorhandlers(app):
    from lms.main.errors import register

    register(app)


def register_cli(app):
    from certificates.cli import certificates_cli
    from lms.cli import backup_command, demo_cli, restore_command, users_cli
    from lms.history.cli import history_cli
    from lms.jobs.cli import worker_command

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(history_cli)


def register_template_helpers(app):
    from certificates import claims_of
    from lms import formatting
    from lms.i18n import LANGUAGE_NAMES, academy_name, current_language, localized
    from lms.permissions import TEMPLATE_GLOBALS

    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    app.jinja_env.globals['certificate_claims'] = claims_of
    app.jinja_env.globals.update(
        localized=localized,
        current_language=current_language,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        academy_name=academy_name,
    )
    app.jinja_env.filters.update(formatting.FILTERS)
