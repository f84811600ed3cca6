"""Fixtures: the app on a clean database, clients, logins, API tokens and model factories.

The suite runs on SQLite in memory; TEST_DATABASE_URL runs it on another database, such as
PostgreSQL, whose name must contain "test". DATABASE_URL is never used.
"""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import g, request_started
from flask.testing import FlaskClient

from config import TestConfig
from lms import create_app
from lms.extensions import db as _db
from lms.models import (
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    Organization,
    User,
)
from lms.people.service import issue_token


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'app_config(**settings): config overrides for the app of this test'
    )
    try:
        TestConfig.from_env()
    except ValueError as exc:  # stop here, before a single table is dropped
        raise pytest.UsageError(str(exc)) from None


@pytest.fixture
def app(request, tmp_path):
    marker = request.node.get_closest_marker('app_config')
    settings = marker.kwargs if marker else {}
    app = create_app(TestConfig, CERTIFICATE_KEY_DIR=str(tmp_path / 'keys'), **settings)
    request_started.connect(_forget_request_state, app)
    with app.app_context():
        _fresh_schema()
        yield app
        _db.session.remove()
        _empty_schema()
        _db.engine.dispose()  # each test's app has its own pool; close it, or psycopg warns


#: Databases whose tables this run has already built (PostgreSQL keeps them between tests).
_built = set()


def _fresh_schema():
    """Empty tables for the test. SQLite in memory is new for every app; on PostgreSQL
    the tables are built once per run and emptied after each test, which is many times
    faster than dropping and creating them every time."""
    url = str(_db.engine.url)
    if _db.engine.dialect.name != 'postgresql' or url not in _built:
        _db.drop_all()
        _db.create_all()
        _built.add(url)


def _empty_schema():
    if _db.engine.dialect.name == 'postgresql':
        # DELETE, not TRUNCATE: on tables this small it skips TRUNCATE's file work.
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
    else:
        _db.drop_all()


def _forget_request_state(sender, **extra):
    """Requests in a test reuse the test's app context, and with it `g`, where Flask-Login
    keeps the user it loaded, Flask-Babel the language it chose and Flask-WTF its token.
    In production every request has a fresh `g`; give each test request one too."""
    g.pop('_login_user', None)
    g.pop('_flask_babel', None)
    g.pop('csrf_token', None)


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
        with client.session_transaction() as sess:
            sess['_user_id'] = str(user.id)
            sess['_fresh'] = True
        return user

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
    def _create_organization(**kwargs):
        n = next(_numbers)
        kwargs.setdefault('name_ka', f'ორგანიზაცია {n}')
        kwargs.setdefault('name_en', f'Organisation {n}')
        kwargs.setdefault('kind', 'cso')
        kwargs.setdefault('region', 'imereti')
        organization = Organization(**kwargs)
        db.session.add(organization)
        db.session.flush()
        return organization

    return _create_organization


@pytest.fixture
def create_user(db):
    """Return a callable that makes users; keyword arguments override the defaults."""

    def _create_user(role='participant', password='correct horse', **kwargs):
        n = next(_numbers)
        kwargs.setdefault('email', f'user{n}@example.test')
        kwargs.setdefault('full_name_ka', f'მონაწილე {n}')
        kwargs.setdefault('full_name_en', f'Monatsile {n}')
        kwargs.setdefault('sector', 'citizen')
        user = User(role=role, **kwargs)
        if password:
            user.set_password(password)
        db.session.add(user)
        db.session.flush()
        return user

    return _create_user


@pytest.fixture
def create_course(db):
    def _create_course(**kwargs):
        n = next(_numbers)
        kwargs.setdefault('code', f'C-{n}')
        kwargs.setdefault('title_ka', f'კურსი {n}')
        kwargs.setdefault('title_en', f'Course {n}')
        kwargs.setdefault('kind', 'training')
        kwargs.setdefault('hours', Decimal(16))
        course = Course(**kwargs)
        db.session.add(course)
        db.session.flush()
        return course

    return _create_course


@pytest.fixture
def create_offering(db, create_course):
    """An offering with two sessions (unless sessions=0) and the given trainers."""

    def _create_offering(course=None, trainers=(), sessions=2, **kwargs):
        kwargs.setdefault('starts_on', date(2026, 3, 2))
        kwargs.setdefault('ends_on', date(2026, 3, 3))
        kwargs.setdefault('location', 'ქუთაისი, საკრებულოს დარბაზი')
        offering = Offering(course=course or create_course(), trainers=list(trainers), **kwargs)
        db.session.add(offering)
        start = datetime.combine(offering.starts_on, datetime.min.time(), UTC)
        for i in range(sessions):
            begins = start + timedelta(days=i, hours=6)
            offering.sessions.append(
                OfferingSession(
                    starts_at=begins, ends_at=begins + timedelta(hours=4), topic=f'თემა {i + 1}'
                )
            )
        db.session.flush()
        return offering

    return _create_offering


@pytest.fixture
def create_enrollment(db, create_user, create_offering):
    def _create_enrollment(offering=None, user=None, status='accepted'):
        enrollment = Enrollment(
            offering=offering or create_offering(), user=user or create_user(), status=status
        )
        db.session.add(enrollment)
        db.session.flush()
        return enrollment

    return _create_enrollment
