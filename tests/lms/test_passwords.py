"""New passwords: long enough, not the e-mail address, not one of the common ones; the same
rule for registration, a reset link, a change, the admin pages, the API and the CLI."""

import gzip

import pytest
from sqlalchemy import func, select

from lms.errors import Invalid
from lms.models import User
from lms.people import passwords
from lms.people import service as people
from tests.lms.test_accounts import _reset_link
from tests.lms.test_auth import _registration, field_errors

COMMON_MESSAGE = (
    'This is one of the most common passwords, which are tried first when accounts are '
    'attacked. Choose another.'
)


@pytest.fixture
def english(client):
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


def _users(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_the_shipped_list_is_large_lowercased_and_read_from_the_gzip_file():
    with gzip.open(passwords.COMMON_PASSWORDS, 'rt', encoding='utf-8') as lines:
        raw = [line.strip() for line in lines if line.strip()]
    assert len(raw) > 19_000
    assert all(word == word.lower() for word in raw)
    assert passwords.common_passwords() == frozenset(raw)


@pytest.mark.parametrize(
    'common', ['password123', 'Qwerty123', ' iloveyou1 ', 'FOOTBALL', '12345678']
)
def test_a_common_password_is_refused_whatever_its_case(common):
    with pytest.raises(Invalid) as caught:
        passwords.check_new_password(common, email='nino@example.ge')
    assert str(caught.value.fields['password']) == COMMON_MESSAGE


@pytest.mark.parametrize('fine', ['correct horse', 'ნინოს გრძელი პაროლი', 'tbilisi budget 2026'])
def test_an_uncommon_password_of_eight_characters_or_more_is_taken(fine):
    passwords.check_new_password(fine, email='nino@example.ge')


def test_the_length_is_checked_first_and_names_the_field():
    with pytest.raises(Invalid) as caught:
        passwords.check_new_password('abc', 'new', email=None)
    assert str(caught.value.fields['new']) == 'At least 8 characters.'


def test_registration_shows_why_beside_the_password_field_and_saves_nothing(client, db, english):
    response = client.post(
        '/register', data=_registration(password='password123', confirm='password123')
    )
    assert response.status_code == 422
    assert field_errors(response.text, 'password') == [COMMON_MESSAGE]
    assert _users(db) == 0


def test_the_georgian_page_says_it_in_georgian(client, db):
    response = client.post(
        '/register', data=_registration(password='password123', confirm='password123')
    )
    assert response.status_code == 422
    (message,) = field_errors(response.text, 'password')
    assert message != COMMON_MESSAGE
    assert any('\u10d0' <= ch <= '\u10ff' for ch in message)


def test_a_reset_link_refuses_a_common_password(client, db, create_user):
    user = create_user(password='old password')
    path = _reset_link(client, db, user)
    response = client.post(path, data={'password': 'sunshine1', 'confirm': 'sunshine1'})
    assert response.status_code == 422
    db.session.expire_all()
    assert user.check_password('old password')


def test_changing_ones_password_to_a_common_one_is_refused(client, db, create_user, login):
    user = login(create_user(password='old password'))
    response = client.post(
        '/account/password',
        data={'current_password': 'old password', 'password': 'abc12345', 'confirm': 'abc12345'},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert user.check_password('old password')


def test_the_api_refuses_a_common_password_naming_the_field(api, create_user):
    admin = create_user(role='admin')
    body = {
        'email': 'nino@example.ge',
        'full_name_ka': 'ნინო ბერიძე',
        'role': 'participant',
        'password': 'qwerty123',
    }
    response = api('POST', '/api/v1/users', admin, json=body)
    assert response.status_code == 422
    assert 'password' in response.get_json()['error']['fields']
    assert people.find_user_by_email('nino@example.ge') is None


def test_the_command_line_refuses_a_common_password(runner, db):
    result = runner.invoke(
        args=[
            'users',
            'create',
            '--email',
            'nino@example.ge',
            '--password',
            'password123',
            '--role',
            'participant',
            '--name-ka',
            'ნინო ბერიძე',
        ]
    )
    assert result.exit_code != 0
    assert _users(db) == 0
