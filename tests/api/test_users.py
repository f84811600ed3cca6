import pytest

from lms.models import AuditEntry, User
from tests.api.helpers import assert_error, audited, count

URL = '/api/v1/users'
BODY = {
    'email': 'Nino.Beridze@Example.ge',
    'full_name_ka': 'ნინო ბერიძე',
    'role': 'participant',
    'sector': 'civil_servant',
    'gender': 'female',
}


def _new_user():
    return User.query.filter_by(email='nino.beridze@example.ge').one_or_none()


def test_an_admin_creates_a_user_and_gets_the_full_record(api, admin, create_organization):
    organization = create_organization(kind='municipality')

    response = api('POST', URL, admin, json={**BODY, 'organization_id': organization.id})

    assert response.status_code == 201
    user = _new_user()
    assert response.get_json() == {
        'id': user.id,
        'email': 'nino.beridze@example.ge',
        'full_name_ka': 'ნინო ბერიძე',
        'full_name_en': 'Nino Beridze',
        'role': 'participant',
        'sector': 'civil_servant',
        'organization_id': organization.id,
        'position': '',
        'gender': 'female',
        'is_active': True,
    }
    assert user.organization_id == organization.id


def test_creating_a_user_is_audited_with_who_did_it(api, admin):
    api('POST', URL, admin, json=BODY)

    entry = AuditEntry.query.filter_by(action='user.created').one()
    assert entry.actor_id == admin.id
    assert (entry.object_type, entry.object_id) == ('users', _new_user().id)
    assert entry.data['after']['email'] == 'nino.beridze@example.ge'
    assert entry.data['after']['role'] == 'participant'


@pytest.mark.parametrize(
    ('name_ka', 'name_en'),
    [
        ('ნინო ბერიძე', 'Nino Beridze'),
        ('ქეთევან წიკლაური', 'Ketevan Tsiklauri'),
        ('ღვთისო ჭავჭავაძე-ყიფიანი', 'Ghvtiso Chavchavadze-Qipiani'),
        ('ჟუჟუნა შენგელია', 'Zhuzhuna Shengelia'),
    ],
)
def test_the_latin_name_defaults_to_the_passport_romanisation(api, admin, name_ka, name_en):
    response = api('POST', URL, admin, json={**BODY, 'full_name_ka': name_ka})

    assert response.status_code == 201
    assert response.get_json()['full_name_en'] == name_en
    assert _new_user().full_name_en == name_en


def test_a_latin_name_that_is_given_is_kept(api, admin):
    response = api('POST', URL, admin, json={**BODY, 'full_name_en': "Nino Beridze-O'Neill"})

    assert response.get_json()['full_name_en'] == "Nino Beridze-O'Neill"


def test_a_password_is_stored_hashed_and_never_answered(api, admin):
    response = api('POST', URL, admin, json={**BODY, 'password': 'correct horse battery'})

    assert response.status_code == 201
    assert 'password' not in response.get_json()
    assert 'password_hash' not in response.get_json()
    user = _new_user()
    assert user.password_hash != 'correct horse battery'
    assert user.check_password('correct horse battery')


@pytest.mark.parametrize('role', ['admin', 'trainer', 'participant'])
def test_every_role_may_be_given(api, admin, role):
    assert api('POST', URL, admin, json={**BODY, 'role': role}).get_json()['role'] == role


@pytest.mark.parametrize(
    ('who', 'status', 'code'),
    [
        (None, 401, 'unauthorized'),
        ('participant', 403, 'forbidden'),
        ('trainer', 403, 'forbidden'),
    ],
)
def test_only_admins_create_users(api, create_user, who, status, code):
    caller = create_user(role=who) if who else None
    before = count(User)

    assert_error(api('POST', URL, caller, json={**BODY, 'role': 'admin'}), status, code)
    assert count(User) == before
    assert _new_user() is None


@pytest.mark.parametrize('email', ['nino.beridze@example.ge', 'NINO.BERIDZE@EXAMPLE.GE'])
def test_an_email_that_is_registered_is_a_conflict_whatever_its_case(
    api, admin, create_user, email
):
    create_user(email='nino.beridze@example.ge')

    response = api('POST', URL, admin, json={**BODY, 'email': email})

    assert_error(response, 409, 'conflict', fields={'email'})
    assert count(User, User.email == 'nino.beridze@example.ge') == 1
    assert audited() == []


@pytest.mark.parametrize(
    ('changes', 'fields'),
    [
        ({'email': None, 'full_name_ka': '  '}, {'email', 'full_name_ka'}),
        ({'email': 'not an address'}, {'email'}),
        ({'email': ['nino@example.ge']}, {'email'}),
        ({'email': 'x' * 250 + '@example.ge'}, {'email'}),
        ({'full_name_ka': 'ნ' * 201}, {'full_name_ka'}),
        ({'full_name_en': 'N' * 201}, {'full_name_en'}),
        ({'full_name_ka': 12345}, {'full_name_ka'}),
        ({'role': 'superuser'}, {'role'}),
        ({'role': 'ADMIN'}, {'role'}),
        ({'sector': 'business'}, {'sector'}),
        ({'gender': 'x'}, {'gender'}),
        ({'organization_id': 999}, {'organization_id'}),
        ({'organization_id': True}, {'organization_id'}),
        ({'organization_id': 'abc'}, {'organization_id'}),
        ({'organization_id': -1}, {'organization_id'}),
        ({'organization_id': 10**20}, {'organization_id'}),
        ({'password': 'short'}, {'password'}),
        ({'password': 'p' * 201}, {'password'}),
        ({'full_name_ka': 'ნინო\ud800'}, {'full_name_ka'}),
        (
            {'email': 'bad', 'role': 'boss', 'sector': 1, 'gender': []},
            {'email', 'role', 'sector', 'gender'},
        ),
    ],
)
def test_invalid_values_are_422_naming_each_field_and_save_nothing(api, admin, changes, fields):
    before = count(User)

    response = api('POST', URL, admin, json={**BODY, **changes})

    assert_error(response, 422, 'invalid', fields=fields)
    assert count(User) == before
    assert audited() == []


def test_a_duplicate_that_slips_past_the_check_is_still_a_409(api, admin, create_user, monkeypatch):
    """Two requests racing past the service's check meet the database's unique constraint."""
    create_user(email='nino.beridze@example.ge')
    monkeypatch.setattr('lms.people.service._check_email_free', lambda email, user=None: None)

    response = api('POST', URL, admin, json=BODY)

    assert_error(response, 409, 'conflict')
    assert count(User, User.email == 'nino.beridze@example.ge') == 1
    assert audited() == []
