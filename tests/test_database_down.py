"""While the database is away: 503 with Retry-After and a friendly page or the error object,
one log line per request, the revocation list from its last signed copy; and the academy
comes back by itself when the database does."""

import logging
import os
import socket

import pytest

from certificates import issue_certificate
from config import TestConfig
from lms import create_app
from lms.extensions import db as _db
from tests.certificates.samples import sample_claims
from tests.conftest import make_enrollment


@pytest.fixture
def unreachable(tmp_path):
    """The academy with its PostgreSQL server gone: its port is held by a socket that never
    listens, so every connection is refused, and nobody else can take the port."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    app = create_app(
        TestConfig,
        instance_path=str(tmp_path / 'instance'),
        SQLALCHEMY_DATABASE_URI=(f'postgresql+psycopg://academy@127.0.0.1:{port}/academy_test'),
        CERTIFICATE_KEY_DIR=str(tmp_path / 'keys'),
        SHOW_ERROR_PAGES=True,
    )
    yield app
    sock.close()


@pytest.mark.parametrize('path', ['/', '/catalogue/', '/verify/K7QM-3XWD-9P2F'])
def test_pages_answer_503_with_a_friendly_page_and_one_log_line(unreachable, path, caplog):
    with unreachable.test_client() as client:
        response = client.get(path)
    assert response.status_code == 503
    assert response.headers['Retry-After'] == '30'
    assert 'აკადემია ცოტა ხნით მიუწვდომელია' in response.text
    lines = [r for r in caplog.records if 'Database unavailable' in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING and not lines[0].exc_info


def test_a_page_that_needs_no_database_still_opens(unreachable):
    with unreachable.test_client() as client:
        assert client.get('/login').status_code == 200


def test_the_api_answers_503_with_the_error_object(unreachable):
    with unreachable.test_client() as client:
        response = client.get('/api/v1/verify/K7QM-3XWD-9P2F')
    assert response.status_code == 503 and response.headers['Retry-After'] == '30'
    assert response.json['error']['code'] == 'unavailable'


def test_the_status_list_is_served_from_its_last_copy_and_all_returns_with_the_database(
    tmp_path,
):
    database = tmp_path / 'academy.sqlite'
    app = create_app(
        TestConfig,
        instance_path=str(tmp_path / 'instance'),
        SQLALCHEMY_DATABASE_URI=f'sqlite:///{database}',
        CERTIFICATE_KEY_DIR=str(tmp_path / 'keys'),
        SHOW_ERROR_PAGES=True,
    )
    with app.app_context():
        _db.create_all()
        issue_certificate(sample_claims(), enrollment_id=make_enrollment().id)
        _db.session.commit()
        client = app.test_client()
        listed = client.get('/status/1')
        assert listed.status_code == 200

        _db.session.remove()
        _db.engine.dispose()
        os.rename(database, tmp_path / 'away.sqlite')  # the database is gone...
        database.mkdir()  # ...and nothing can take its place
        try:
            served = client.get('/status/1')
            assert served.status_code == 200 and served.data == listed.data
            assert client.get('/catalogue/').status_code == 503
        finally:
            database.rmdir()
            os.rename(tmp_path / 'away.sqlite', database)
        assert client.get('/catalogue/').status_code == 200  # back, with nobody's help
        _db.session.remove()
        _db.engine.dispose()
