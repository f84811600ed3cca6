"""Fixtures: the app on a clean database, clients, logins, API tokens and model factories.

The suite runs on SQLite in memory; TEST_DATABASE_URL runs it on another database, such as
PostgreSQL, whose name must contain "test". DATABASE_URL is never used.
"""

import functools
import itertools
import os
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool
from werkzeug.routing import Rule

from certificates import Certificate, new_serial
from config import TestConfig
from lms.extensions import db as _db
from lms.extensions import utcnow
from lms.models import (
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    Organization,
    User,
)
from lms.people.service import issue_token
from tests.clients import log_in
from tests.databases import app_on_fresh_database


def pytest_configure(config):
    _share_url_builders()
    rsa.generate_private_key = _rsa_keys
    config.addinivalue_line(
        'markers', 'app_config(**settings): config overrides for the app of this test'
    )
    config.addinivalue_line(
        'markers', 'postgres: threads racing in the database; skipped unless on PostgreSQL'
    )
    try:
        TestConfig.from_env()
    except ValueError as exc:  # stop here, before a single table is dropped
        raise pytest.UsageError(str(exc)) from None
    worker = getattr(config, 'workerinput', {}).get('workerid')
    if worker:
        config.stash[_worker_database] = use_database_of_worker(worker)


def pytest_unconfigure(config):
    drop = config.stash.get(_worker_database, None)
    if drop:
        drop()


_worker_database = pytest.StashKey()


def use_database_of_worker(worker, environ=os.environ):
    """Under pytest-xdist, give each worker a database of its own on a server database.

    SQLite in memory is already one database per app. On PostgreSQL, worker gw0 of a
    run on lms_test works in lms_test_gw0: created when missing (so the user needs the
    CREATEDB privilege), named in TEST_DATABASE_URL for the rest of the worker's life,
    and dropped when the worker ends. Returns the function that drops it, or None.
    """
    url = TestConfig.from_env(environ).get('SQLALCHEMY_DATABASE_URI')
    if not url or make_url(url).get_backend_name() != 'postgresql':
        return None
    server = make_url(url)
    name = f'{server.database}_{worker}'
    environ['TEST_DATABASE_URL'] = server.set(database=name).render_as_string(hide_password=False)

    def run(statement, **parameters):
        engine = create_engine(server, isolation_level='AUTOCOMMIT', poolclass=NullPool)
        try:
            with engine.connect() as connection:
                result = connection.execute(text(statement), parameters)
                return result.scalar() if result.returns_rows else None
        finally:
            engine.dispose()

    if not run('SELECT count(*) FROM pg_database WHERE datname = :name', name=name):
        run(f'CREATE DATABASE "{name}"')
    return lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _share_url_builders():
    """Let every app of the run share the code Werkzeug writes to build each rule's URLs.

    Werkzeug generates and compiles Python source for every URL rule of every new app;
    with some ninety rules that is most of the time it takes to build an app, and each
    test builds one. That code depends only on the rule's text, its parsed parts and its
    defaults (the rule itself is passed in when it runs), so rules alike in these share
    it. Anything else about the app is still built afresh for every test.
    """
    compile_builder = getattr(Rule, '_compile_builder', None)
    if compile_builder is None or getattr(compile_builder, 'shared', False):
        return  # another Werkzeug, or already done
    builders = {}

    @functools.wraps(compile_builder)
    def shared(rule, append_unknown=True):
        key = (
            rule.rule,
            tuple(rule._trace),
            repr(sorted((rule.defaults or {}).items())),
            append_unknown,
        )
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    shared.shared = True
    Rule._compile_builder = shared


class _RsaKeys:
    """RSA keys for tests, each made once per process and handed out again in later tests.

    Making a 2048-bit RSA key takes a tenth of a second or more, and every test that issues
    a certificate makes at least one. Within a test the n-th key asked for is the same as
    the n-th of any other test, so the keys a test asks for are all different from each
    other, as fresh ones would be. Keys asked for outside a test's own fixtures and body
    (by module- or session-wide fixtures) are made afresh, so they never equal a test's.
    """

    def __init__(self, generate):
        self.generate = generate
        self.made = {}
        self.handed_out = None  # how many this test has had; None outside a test
        self.lock = threading.Lock()

    def __call__(self, public_exponent, key_size, *args, **kwargs):
        with self.lock:
            if self.handed_out is None:
                return self.generate(public_exponent, key_size, *args, **kwargs)
            n = (public_exponent, key_size, self.handed_out)
            self.handed_out += 1
            if n not in self.made:
                self.made[n] = self.generate(public_exponent, key_size, *args, **kwargs)
            return self.made[n]


_rsa_keys = _RsaKeys(rsa.generate_private_key)


@pytest.fixture(autouse=True)
def _reuse_rsa_keys():
    _rsa_keys.handed_out = 0
    yield
    _rsa_keys.handed_out = None


@pytest.fixture
def app(request, tmp_path):
    marker = request.node.get_closest_marker('app_config')
    settings = marker.kwargs if marker else {}
    with app_on_fresh_database(
        CERTIFICATE_KEY_DIR=str(tmp_path / 'keys'),
        EXPORTS_DIR=str(tmp_path / 'exports'),
        **settings,
    ) as app:
        yield app


@pytest.fixture
def db(app):
    return _db


class _Client(FlaskClient):
    """A browser for the tests: what the test has set up is committed before each request.

    A request answers from what the database holds, and an error answer rolls its
    transaction back (lms.transactions). Requests in a test share the test's app context
    and so its session: without the commit, a refused request would also roll back the
    test's own setup, which in real life is long committed.
    """

    def open(self, *args, **kwargs):
        _db.session.commit()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = _Client
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client, db):
    """Log `user` into the test client without going through the login form."""

    def _login(user):
        db.session.commit()
        return log_in(client, user)

    return _login


@pytest.fixture
def api(client, db, token_for):
    """Call the API as `user` (None: without a token): api('POST', url, user, json=...).

    The test's setup is committed first: an error answer rolls back the session, and the
    test must then still find its own rows. After the call the session forgets what it
    had loaded, so the test reads what the database holds.
    """
    tokens = {}

    def call(method, url, user=None, **kwargs):
        headers = dict(kwargs.pop('headers', {}))
        if user is not None:
            if user.id not in tokens:
                tokens[user.id] = token_for(user)
            headers.update(tokens[user.id])
        db.session.commit()
        response = client.open(url, method=method, headers=headers, **kwargs)
        db.session.expire_all()
        return response

    return call


@pytest.fixture
def token_for(db):
    """Return a callable giving an Authorization header for a user's new API token."""

    def _token_for(user):
        plain = issue_token(user)
        db.session.commit()
        return {'Authorization': f'Bearer {plain}'}

    return _token_for


_numbers = itertools.count(1)


@pytest.fixture
def create_organization(db):
    return make_organization


@pytest.fixture
def create_user(db):
    """Return a callable that makes users; keyword arguments override the defaults."""
    return make_user


@pytest.fixture
def create_course(db):
    return make_course


@pytest.fixture
def create_offering(db, create_course):
    """An offering with two sessions (unless sessions=0) and the given trainers."""

    def _create_offering(course=None, **kwargs):
        return make_offering(course or create_course(), **kwargs)

    return _create_offering


@pytest.fixture
def create_enrollment(db, create_user, create_offering):
    def _create_enrollment(offering=None, user=None, status='accepted'):
        return make_enrollment(offering or create_offering(), user or create_user(), status)

    return _create_enrollment


# The factories themselves, for fixtures that build data once for a whole module, inside an
# app of their own (see tests/databases.py); tests use the fixtures above.


def make_organization(**kwargs):
    n = next(_numbers)
    kwargs.setdefault('name_ka', f'ორგანიზაცია {n}')
    kwargs.setdefault('name_en', f'Organisation {n}')
    kwargs.setdefault('kind', 'cso')
    kwargs.setdefault('region', 'imereti')
    organization = Organization(**kwargs)
    _db.session.add(organization)
    _db.session.flush()
    return organization


def make_user(role='participant', password='correct horse', **kwargs):
    n = next(_numbers)
    kwargs.setdefault('email', f'user{n}@example.test')
    kwargs.setdefault('full_name_ka', f'მონაწილე {n}')
    kwargs.setdefault('full_name_en', f'Monatsile {n}')
    kwargs.setdefault('sector', 'citizen')
    # As accounts are made: confirmed (only invited people start unconfirmed).
    kwargs.setdefault('email_confirmed_at', utcnow())
    user = User(role=role, **kwargs)
    if password:
        user.set_password(password)
    _db.session.add(user)
    _db.session.flush()
    return user


def make_course(**kwargs):
    n = next(_numbers)
    kwargs.setdefault('code', f'C-{n}')
    kwargs.setdefault('title_ka', f'კურსი {n}')
    kwargs.setdefault('title_en', f'Course {n}')
    kwargs.setdefault('kind', 'training')
    kwargs.setdefault('hours', Decimal(16))
    course = Course(**kwargs)
    _db.session.add(course)
    _db.session.flush()
    return course


def make_offering(course=None, trainers=(), sessions=2, **kwargs):
    kwargs.setdefault('starts_on', date(2026, 3, 2))
    kwargs.setdefault('ends_on', date(2026, 3, 3))
    kwargs.setdefault('location', 'ქუთაისი, საკრებულოს დარბაზი')
    offering = Offering(course=course or make_course(), trainers=list(trainers), **kwargs)
    _db.session.add(offering)
    start = datetime.combine(offering.starts_on, datetime.min.time(), UTC)
    for i in range(sessions):
        begins = start + timedelta(days=i, hours=6)
        offering.sessions.append(
            OfferingSession(
                starts_at=begins, ends_at=begins + timedelta(hours=4), topic=f'თემა {i + 1}'
            )
        )
    _db.session.flush()
    return offering


def make_enrollment(offering=None, user=None, status='accepted'):
    enrollment = Enrollment(
        offering=offering or make_offering(), user=user or make_user(), status=status
    )
    _db.session.add(enrollment)
    _db.session.flush()
    return enrollment


def make_certificate(enrollment, status='valid', **kwargs):
    """A certificate row for `enrollment` as the statistics and organisation pages read it
    (status, dates, serial), without signing a credential."""
    kwargs.setdefault('serial', new_serial())
    kwargs.setdefault('issued_on', date(2026, 1, 5))
    certificate = Certificate(
        enrollment_id=enrollment.id,
        claims_json='{}',
        credential_jws='x',
        key_id='k',
        status=status,
        status_index=_db.session.query(Certificate).count() + 1,
        **kwargs,
    )
    _db.session.add(certificate)
    _db.session.flush()
    return certificate
