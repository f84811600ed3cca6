"""API tokens expire after API_TOKEN_DAYS, and their last use is written at most once a
minute, in a small transaction of its own, whatever the request's own answer."""

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from config import Config
from lms.extensions import utcnow
from lms.models import ApiToken, AuditEntry
from lms.people.service import issue_token
from tests.api.helpers import assert_error


def _token(db, user):
    plain = issue_token(user, name='HR system')
    db.session.commit()
    return db.session.scalar(select(ApiToken).where(ApiToken.hint == plain[:10])), plain


def _get(client, db, plain, url='/api/v1/me'):
    response = client.get(url, headers={'Authorization': f'Bearer {plain}'})
    db.session.expire_all()
    return response


def test_a_new_token_expires_after_the_configured_days_and_the_audit_says_when(
    app, db, create_user
):
    assert app.config['API_TOKEN_DAYS'] == 90
    before = utcnow()
    token, _ = _token(db, create_user())
    assert before + timedelta(days=90) <= token.expires_at <= utcnow() + timedelta(days=90)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'token.created'))
    assert entry.data['after']['expires_at'] == token.expires_at.isoformat()


@pytest.mark.app_config(API_TOKEN_DAYS=0)
def test_with_zero_days_tokens_never_expire(db, create_user):
    token, _ = _token(db, create_user())
    assert token.expires_at is None


def test_the_lifetime_comes_from_the_environment():
    assert Config.from_env({'API_TOKEN_DAYS': '30'})['API_TOKEN_DAYS'] == 30
    with pytest.raises(ValueError, match='API_TOKEN_DAYS'):
        Config.from_env({'API_TOKEN_DAYS': 'ninety'})


def test_an_expired_token_is_401_saying_that_it_expired(client, db, english_api, create_user):
    token, plain = _token(db, create_user())
    assert _get(client, db, plain).status_code == 200
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = _get(client, db, plain)
    assert_error(response, 401, 'unauthorized')
    message = response.get_json()['error']['message']
    assert message == (
        f'The token expired on {token.expires_at.date().isoformat()}. '
        'Create a new one on your account page.'
    )


def test_an_expired_token_on_a_public_endpoint_is_simply_not_used(client, db, create_user):
    token, plain = _token(db, create_user())
    token.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert _get(client, db, plain, '/api/v1/stats').status_code == 200
    assert token.last_used_at is None


@pytest.fixture
def english_api(client):
    client.environ_base['HTTP_ACCEPT_LANGUAGE'] = 'en'
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


def test_a_read_only_get_records_the_last_use(client, db, create_user):
    token, plain = _token(db, create_user())
    assert token.last_used_at is None
    before = utcnow()
    assert _get(client, db, plain).status_code == 200
    assert before <= token.last_used_at <= utcnow()


def test_a_refused_request_still_records_the_use(client, db, create_user):
    token, plain = _token(db, create_user())  # a participant: 403 on the list of users
    assert _get(client, db, plain, '/api/v1/organizations').status_code == 403
    assert token.last_used_at is not None
    token.last_used_at = None
    db.session.commit()
    assert _get(client, db, plain, '/api/v1/certificates/NOPE-NOPE-NOPE').status_code == 404
    assert token.last_used_at is not None


def test_the_use_is_written_at_most_once_a_minute(client, db, create_user):
    token, plain = _token(db, create_user())
    _get(client, db, plain)
    first = token.last_used_at
    _get(client, db, plain)
    assert token.last_used_at == first  # within the minute: no write
    token.last_used_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    _get(client, db, plain)
    assert token.last_used_at > first


def test_the_cli_token_still_ends_with_the_token_alone_and_says_how_long_it_works(
    runner, db, create_user
):
    user = create_user(email='nino@example.ge')
    db.session.commit()
    result = runner.invoke(args=['users', 'token', 'nino@example.ge'])
    assert result.exit_code == 0, result.output
    plain = result.output.strip().splitlines()[-1]
    assert plain.startswith('lms_') and ' ' not in plain
    assert 'it works for 90 days' in result.output
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.expires_at is not None
    assert _get(runner.app.test_client(), db, plain).status_code == 200


def test_a_failure_to_note_the_use_leaves_the_answer_alone_and_logs_one_line(
    client, db, create_user, caplog
):
    _, plain = _token(db, create_user())
    refused = OperationalError('UPDATE api_tokens', {}, Exception('database is locked'))
    with mock.patch('lms.api.auth.note_token_use', side_effect=refused):
        response = _get(client, db, plain)
    assert response.status_code == 200
    lines = [r.getMessage() for r in caplog.records if 'Could not note' in r.getMessage()]
    assert len(lines) == 1 and 'database is locked' in lines[0]
