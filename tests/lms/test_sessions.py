"""Logging out and a new password end every session of the person, on every device; logging
in starts a new session, keeping only the language and a half-typed application."""

import pytest

PASSWORD = 'correct horse'


@pytest.fixture
def person(create_user):
    return create_user(email='nino@example.ge', password=PASSWORD)


def _log_in(app, email=' nino@example.ge', password=PASSWORD):
    browser = app.test_client()
    response = browser.post('/login', data={'email': email.strip(), 'password': password})
    assert response.status_code == 302, response.text
    return browser


def _logged_in(browser):
    return browser.get('/account/tokens').status_code == 200


def test_logging_out_ends_the_session_on_every_device(app, db, person):
    db.session.commit()
    phone, laptop = _log_in(app), _log_in(app)
    assert _logged_in(phone) and _logged_in(laptop)
    stolen = laptop.get_cookie('session').value  # a copy of the laptop's cookie, say

    assert phone.post('/logout').status_code == 302
    assert not _logged_in(phone) and not _logged_in(laptop)
    replayed = app.test_client()
    replayed.set_cookie('session', stolen)
    assert not _logged_in(replayed)


def test_a_new_password_ends_every_other_session_and_keeps_this_one(app, db, person):
    db.session.commit()
    here, elsewhere = _log_in(app), _log_in(app)
    response = here.post(
        '/account/password',
        data={
            'current_password': PASSWORD,
            'password': 'a brand new passphrase',
            'confirm': 'a brand new passphrase',
        },
    )
    assert response.status_code == 302, response.text
    assert _logged_in(here)
    assert not _logged_in(elsewhere)
    assert _logged_in(_log_in(app, password='a brand new passphrase'))


def test_logging_in_starts_a_new_session_keeping_only_the_language(app, db, person):
    db.session.commit()
    browser = app.test_client()
    with browser.session_transaction() as planted:
        planted['locale'] = 'en'
        planted['planted_by_someone_else'] = 'x'
    browser.post('/login', data={'email': 'nino@example.ge', 'password': PASSWORD})
    with browser.session_transaction() as current:
        assert current['locale'] == 'en'
        assert 'planted_by_someone_else' not in current
        assert current['_user_id'] == f'{person.id}:{person.session_version}'


@pytest.mark.parametrize('stored', ['abc', '1:x', ':', '99999999999999999999:0', '1:-1'])
def test_a_session_naming_nobody_is_anonymous_not_an_error(app, db, person, stored):
    db.session.commit()
    browser = app.test_client()
    with browser.session_transaction() as planted:
        planted['_user_id'] = stored
        planted['_fresh'] = True
    assert not _logged_in(browser)


def test_what_passes_through_login_is_what_those_pages_keep():
    from lms.auth.login import KEPT_AT_LOGIN
    from lms.catalogue.views import DRAFT_KEY
    from lms.checkin import views as checkin_views

    assert {'locale', DRAFT_KEY, checkin_views._PENDING} == set(KEPT_AT_LOGIN)


def test_an_unknown_address_costs_the_same_password_check_as_a_known_one(
    app, db, person, monkeypatch
):
    import lms.models.people
    import lms.people.service
    from lms.people.service import authenticate

    checked = []

    def counting(real):
        def check(hashed, password):
            checked.append(hashed.split('$')[0])  # the method, e.g. pbkdf2:sha256:1000
            return real(hashed, password)

        return check

    for module in (lms.models.people, lms.people.service):
        monkeypatch.setattr(module, 'check_password_hash', counting(module.check_password_hash))
    assert authenticate('nino@example.ge', 'wrong password') is None
    assert authenticate('nobody@example.ge', 'wrong password') is None
    assert len(checked) == 2 and checked[0] == checked[1]


@pytest.mark.parametrize('password', ['ninoberidze@example.ge', 'NINOBERIDZE', ' ninoberidze '])
def test_the_e_mail_address_is_no_password(client, db, person, login, password):
    person.email = 'ninoberidze@example.ge'
    login(person)
    response = client.post(
        '/account/password',
        data={'current_password': PASSWORD, 'password': password, 'confirm': password},
    )
    assert response.status_code == 422
    assert 'რომელიც თქვენი ელფოსტის მისამართი არ არის' in response.text
    db.session.refresh(person)
    assert person.check_password(PASSWORD)
