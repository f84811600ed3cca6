import pytest

from lms.extensions import db
from lms.models import ApiToken
from lms.people.service import issue_token, revoke_token
from tests.api.helpers import assert_error


@pytest.mark.parametrize('role', ['admin', 'trainer', 'participant'])
def test_me_answers_the_owner_of_any_token(api, create_user, role):
    user = create_user(role=role, full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze')

    response = api('GET', '/api/v1/me', user)

    assert response.status_code == 200
    assert response.get_json() == {
        'id': user.id,
        'email': user.email,
        'full_name_ka': 'ნინო ბერიძე',
        'full_name_en': 'Nino Beridze',
        'role': role,
        'sector': 'citizen',
        'organization_id': None,
        'position': None,
        'gender': None,
        'is_active': True,
    }


def test_me_without_a_token_is_401_with_a_bearer_challenge(api):
    response = api('GET', '/api/v1/me')

    assert_error(response, 401, 'unauthorized')
    assert response.headers['WWW-Authenticate'] == 'Bearer'


def test_a_browser_session_does_not_authenticate_the_api(api, login, admin):
    login(admin)

    assert_error(api('GET', '/api/v1/me'), 401, 'unauthorized')
    assert_error(api('GET', '/api/v1/organizations'), 401, 'unauthorized')


@pytest.mark.parametrize(
    'authorization',
    [
        'Bearer',
        'Bearer ',
        'Bearer lms_not-a-token',
        'Basic dXNlcjpwYXNz',
        'lms_token',
        'Bearer \u10d0',
    ],
)
def test_a_missing_or_unknown_token_is_401(api, admin, authorization):
    response = api('GET', '/api/v1/me', headers={'Authorization': authorization})

    assert_error(response, 401, 'unauthorized')


def test_a_token_may_be_sent_with_any_case_of_the_scheme(api, admin):
    plain = issue_token(admin)

    response = api('GET', '/api/v1/me', headers={'Authorization': f'bearer {plain}'})

    assert response.status_code == 200
    assert response.get_json()['id'] == admin.id


def test_a_revoked_token_is_401(api, admin):
    plain = issue_token(admin)
    token = db.session.query(ApiToken).filter_by(user_id=admin.id).one()
    revoke_token(token, actor=admin)

    response = api('GET', '/api/v1/me', headers={'Authorization': f'Bearer {plain}'})

    assert_error(response, 401, 'unauthorized')


def test_the_token_of_a_deactivated_account_is_401(api, participant):
    plain = issue_token(participant)
    participant.is_active = False

    response = api('GET', '/api/v1/me', headers={'Authorization': f'Bearer {plain}'})

    assert_error(response, 401, 'unauthorized')


def test_tokens_are_stored_hashed(admin):
    plain = issue_token(admin)

    token = db.session.query(ApiToken).filter_by(user_id=admin.id).one()
    assert plain not in (token.token_hash, token.hint)
    assert plain.startswith(token.hint)
