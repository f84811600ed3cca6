"""Accounts, passwords, logins and API tokens, through the service functions (no HTTP)."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, inspect, select

from lms.errors import Conflict, Invalid
from lms.models import ApiToken, AuditEntry, PendingRegistration, User
from lms.people import service as people
from lms.people.registration import finish_registration, request_registration
from lms.people.service import (
    authenticate,
    find_user_by_email,
    issue_token,
    revoke_token,
    search_users,
    set_locale,
    update_user,
    user_for_token,
)


def _data(**changes):
    data = {
        'email': 'nino@example.ge',
        'full_name_ka': 'ნინო ბერიძე',
        'role': 'trainer',
        'sector': 'cso',
        'password': 'long enough',
    }
    return {**data, **changes}


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _messages(exc):
    """The field messages in English (the catalogue's source), whatever the default."""
    with force_locale('en'):
        return {name: str(message) for name, message in exc.fields.items()}


# Creating accounts


def test_a_new_account_gets_the_georgian_name_romanised_when_no_latin_one_is_given(db):
    user = people.create_user(_data(full_name_en=''), actor=None)
    assert user.full_name_en == 'Nino Beridze'


def test_a_latin_name_that_is_given_is_kept(db):
    user = people.create_user(_data(full_name_en='Nino Beridze-Smith'), actor=None)
    assert user.full_name_en == 'Nino Beridze-Smith'


def test_a_new_account_stores_the_email_lower_case_and_the_password_hashed(db):
    user = people.create_user(_data(email=' Nino@Example.GE '), actor=None)
    assert user.email == 'nino@example.ge'
    assert user.password_hash != 'long enough'
    assert 'long enough' not in user.password_hash
    assert user.check_password('long enough')
    assert user.is_active


def test_the_defaults_make_an_active_participant_of_sector_other(db):
    user = people.create_user({'email': 'a@example.ge', 'full_name_ka': 'ანა'}, actor=None)
    assert (user.role, user.sector, user.is_active) == ('participant', 'other', True)
    assert user.password_hash is None
    assert authenticate('a@example.ge', '') is None  # no password: no login


def test_creating_an_account_leaves_an_audit_entry_by_the_actor(db, create_user):
    admin = create_user(role='admin')
    user = people.create_user(_data(), actor=admin)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'user.created'))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (admin.id, 'users', user.id)
    assert entry.data['after']['email'] == 'nino@example.ge'
    assert 'password' not in str(entry.data) and 'long enough' not in str(entry.data)


def test_a_taken_email_is_a_conflict_whatever_its_case_and_nothing_is_saved(db, create_user):
    create_user(email='nino@example.ge')
    before = _count(db, User)
    with pytest.raises(Conflict) as caught:
        people.create_user(_data(email='NINO@example.ge'), actor=None)
    assert caught.value.status == 409
    assert _messages(caught.value) == {'email': 'This e-mail address is already registered.'}
    assert _count(db, User) == before


@pytest.mark.parametrize(
    ('changes', 'field'),
    [
        ({'role': 'root'}, 'role'),
        ({'sector': 'army'}, 'sector'),
        ({'gender': 'x'}, 'gender'),
        ({'email': 'not-an-address'}, 'email'),
        ({'full_name_ka': ''}, 'full_name_ka'),
        ({'full_name_ka': 'ა' * 201}, 'full_name_ka'),
        ({'organization_id': 'x'}, 'organization_id'),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_is_saved(db, changes, field):
    with pytest.raises(Invalid) as caught:
        people.create_user(_data(**changes), actor=None)
    assert field in caught.value.fields
    assert _count(db, User) == 0


def test_an_organisation_that_does_not_exist_is_refused(db):
    with pytest.raises(Invalid) as caught:
        people.create_user(_data(organization_id=999), actor=None)
    assert _messages(caught.value) == {'organization_id': 'No organisation has this id.'}


def test_a_password_shorter_than_eight_characters_is_refused(db):
    with pytest.raises(Invalid) as caught:
        people.create_user(_data(password='seven77'), actor=None)
    assert _messages(caught.value) == {'password': 'At least 8 characters.'}
    assert _count(db, User) == 0


def test_names_with_markup_or_sql_are_stored_as_written(db):
    name = "რობერტ'); DROP TABLE users;-- <b>"
    user = people.create_user(_data(full_name_ka=name), actor=None)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name_ka == name
    assert 'users' in inspect(db.engine).get_table_names()


# Registering


def test_people_who_register_are_always_participants(db):
    request_registration(_data(role='admin', sector='civil_servant', position='Head'), locale='ka')
    pending = db.session.scalar(select(PendingRegistration))
    assert _count(db, User) == 0  # no account before the link is opened
    user = finish_registration(pending).user
    assert (user.role, user.sector, user.position) == ('participant', 'civil_servant', 'Head')
    assert _count(db, PendingRegistration) == 0


def test_registering_needs_a_password(db):
    with pytest.raises(Invalid) as caught:
        request_registration(_data(password=''), locale='ka')
    assert _messages(caught.value) == {'password': 'This field is required.'}
    assert _count(db, PendingRegistration) == 0


# Updating accounts


def test_updating_changes_the_details_and_keeps_the_password_when_none_is_given(db, create_user):
    user = create_user(email='old@example.ge', password='old password')
    update_user(user, _data(email='new@example.ge', password='', role='participant'), actor=None)
    assert user.email == 'new@example.ge'
    assert user.check_password('old password')


def test_a_new_password_replaces_the_old_one_and_the_audit_says_so_without_it(db, create_user):
    admin = create_user(role='admin')
    user = create_user(password='old password')
    update_user(user, _data(email=user.email, password='new password'), actor=admin)
    assert user.check_password('new password')
    assert not user.check_password('old password')
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'user.updated'))
    assert entry.data['password_changed'] is True
    assert entry.data['before']['role'] == 'participant'
    assert entry.data['after']['role'] == 'trainer'
    assert 'new password' not in str(entry.data)


def test_emptying_the_latin_name_romanises_the_georgian_one_again(db, create_user):
    user = create_user(full_name_en='Old Name')
    update_user(user, _data(email=user.email, full_name_en=''), actor=None)
    assert user.full_name_en == 'Nino Beridze'


def test_an_account_may_keep_its_own_email_but_not_take_another(db, create_user):
    create_user(email='taken@example.ge')
    user = create_user(email='mine@example.ge')
    update_user(user, _data(email='mine@example.ge'), actor=None)
    with pytest.raises(Conflict):
        update_user(user, _data(email='Taken@example.ge'), actor=None)


@pytest.mark.parametrize('changes', [{'role': 'trainer'}, {'is_active': False}])
def test_admins_cannot_demote_or_deactivate_themselves(db, create_user, changes):
    admin = create_user(role='admin')
    data = {**_data(email=admin.email, role='admin'), **changes}
    with pytest.raises(Invalid) as caught:
        update_user(admin, data, actor=admin)
    assert 'role' in caught.value.fields
    assert admin.role == 'admin' and admin.is_active


def test_an_admin_may_deactivate_someone_else(db, create_user):
    admin = create_user(role='admin')
    user = create_user()
    update_user(user, _data(email=user.email, role='participant', is_active=False), actor=admin)
    assert not user.is_active


def test_the_chosen_language_is_kept_and_unknown_ones_ignored(db, create_user):
    user = create_user()
    set_locale(user, 'en')
    assert user.locale == 'en'
    set_locale(user, 'fr')
    assert user.locale == 'en'


# Logging in


def test_the_right_password_logs_in_and_notes_the_time(db, create_user):
    user = create_user(email='nino@example.ge', password='correct horse')
    assert authenticate('NINO@example.ge ', 'correct horse') is user
    assert user.last_login_at is not None


@pytest.mark.parametrize(
    ('email', 'password'),
    [
        ('nino@example.ge', 'wrong horse'),
        ('nino@example.ge', ''),
        ('nino@example.ge', None),
        ('nobody@example.ge', 'correct horse'),
        ('', 'correct horse'),
        (None, None),
    ],
)
def test_a_wrong_password_or_unknown_email_does_not_log_in(db, create_user, email, password):
    create_user(email='nino@example.ge', password='correct horse')
    assert authenticate(email, password) is None


def test_an_inactive_user_cannot_log_in_even_with_the_right_password(db, create_user):
    create_user(email='nino@example.ge', password='correct horse', is_active=False)
    assert authenticate('nino@example.ge', 'correct horse') is None


def test_find_user_by_email_ignores_case_and_spaces(db, create_user):
    user = create_user(email='nino@example.ge')
    assert find_user_by_email(' NINO@example.GE ') is user
    assert find_user_by_email('other@example.ge') is None


def test_people_are_found_by_either_name_or_email(db, create_user):
    nino = create_user(full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze', role='trainer')
    create_user(full_name_ka='გიორგი', full_name_en='Giorgi', email='giorgi@example.ge')

    def found(query, role=None):
        return db.session.scalars(search_users(query, role)).all()

    assert found('ბერიძე') == [nino]
    assert found('beridze') == [nino]
    assert [u.email for u in found('GIORGI@')] == ['giorgi@example.ge']
    assert found('nino', role='participant') == []


# API tokens


def test_a_token_is_stored_only_as_a_hash(db, create_user):
    user = create_user()
    plain = issue_token(user, name='HR system')
    db.session.commit()
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    stored = [str(getattr(token, c.key)) for c in ApiToken.__table__.columns]
    assert plain not in ' '.join(stored)
    assert token.token_hash != plain and len(token.token_hash) == 64
    assert plain.startswith(token.hint) and len(token.hint) < len(plain) // 2
    assert token.name == 'HR system'


def test_a_token_finds_its_owner_without_writing(db, create_user):
    user = create_user()
    plain = issue_token(user)
    assert user_for_token(plain) is user
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is None  # noted after the request (tests/api/test_tokens.py)


def test_every_token_is_new_and_long(db, create_user):
    user = create_user()
    tokens = {issue_token(user) for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)


@pytest.mark.parametrize('plain', ['', 'lms_', 'lms_guess', 'x' * 500])
def test_an_unknown_token_finds_nobody(db, create_user, plain):
    issue_token(create_user())
    assert user_for_token(plain) is None


def test_a_revoked_token_is_refused_and_the_revocation_is_audited(db, create_user):
    user = create_user()
    admin = create_user(role='admin')
    plain = issue_token(user)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    revoke_token(token, actor=admin)
    revoke_token(token, actor=admin)  # twice changes nothing more
    assert user_for_token(plain) is None
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == 'token.revoked')
    ).all()
    assert [(e.actor_id, e.data['after']['token_id']) for e in entries] == [(admin.id, token.id)]


def test_a_token_of_an_inactive_user_is_refused(db, create_user):
    user = create_user()
    plain = issue_token(user)
    user.is_active = False
    assert user_for_token(plain) is None


def test_revoking_one_token_leaves_the_others_working(db, create_user):
    user = create_user()
    first, second = issue_token(user), issue_token(user)
    token = db.session.scalar(select(ApiToken).where(ApiToken.hint == first[:10]))
    revoke_token(token, actor=None)
    assert user_for_token(first) is None
    assert user_for_token(second) is user


def test_a_revoked_token_gets_401_from_the_api(client, db, create_user):
    user = create_user()
    plain = issue_token(user)
    db.session.commit()
    headers = {'Authorization': f'Bearer {plain}'}
    assert client.get('/api/v1/me', headers=headers).status_code == 200
    revoke_token(db.session.scalar(select(ApiToken)), actor=None)
    db.session.commit()
    response = client.get('/api/v1/me', headers=headers)
    assert response.status_code == 401
    assert response.json['error']['code'] == 'unauthorized'
