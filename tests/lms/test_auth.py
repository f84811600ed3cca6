"""Logging in and out, registering, and the language switch, through the real forms."""

import re
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select

from lms.models import User
from tests.lms.registering import finish_registration

PASSWORD = 'correct horse'


@pytest.fixture
def english(client):
    """Read the pages in English, so the tests can quote the source messages."""
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


def field_errors(html, name):
    """The error messages shown in the form group of the field called `name`."""
    for group in html.split('<div class="mb-3">')[1:]:
        if f'name="{name}"' in group:
            errors = re.findall(r'<div class="invalid-feedback[^"]*">(.*?)</div>', group, re.S)
            return [error.strip() for error in errors]
    raise AssertionError(f'the page has no field {name}')


def csrf_token(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def is_logged_in(client):
    return client.get('/home').status_code == 200


def log_in(client, email, password=PASSWORD, next_url=None):
    url = '/login' if next_url is None else f'/login?next={quote(next_url, safe="")}'
    return client.post(url, data={'email': email, 'password': password})


def location(response):
    return response.headers.get('Location', '')


def test_logging_in_with_the_form_lands_on_home(client, db, create_user):
    user = create_user(email='nino@example.ge')
    db.session.commit()
    response = log_in(client, 'nino@example.ge')
    assert response.status_code == 302
    assert location(response) == '/home'
    assert is_logged_in(client)
    assert user.last_login_at is not None


def test_the_email_is_matched_without_regard_to_case_or_spaces(client, db, create_user):
    create_user(email='nino@example.ge')
    db.session.commit()
    assert location(log_in(client, '  Nino@Example.GE ')) == '/home'


def test_a_wrong_password_shows_an_error_next_to_the_field_and_does_not_log_in(
    client, db, english, create_user
):
    create_user(email='nino@example.ge')
    db.session.commit()
    response = log_in(client, 'nino@example.ge', 'wrong horse')
    assert response.status_code == 422
    assert field_errors(response.text, 'password') == ['Wrong e-mail or password.']
    assert field_errors(response.text, 'email') == []
    assert not is_logged_in(client)


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(client, english):
    response = log_in(client, 'nobody@example.ge')
    assert response.status_code == 422
    assert field_errors(response.text, 'password') == ['Wrong e-mail or password.']


def test_an_inactive_user_cannot_log_in(client, db, english, create_user):
    create_user(email='former@example.ge', is_active=False)
    db.session.commit()
    response = log_in(client, 'former@example.ge')
    assert response.status_code == 422
    assert field_errors(response.text, 'password') == ['Wrong e-mail or password.']
    assert not is_logged_in(client)


def test_a_deactivated_user_loses_the_session_they_had(client, db, login, create_user):
    user = login(create_user())
    assert is_logged_in(client)
    user.is_active = False
    db.session.commit()
    assert not is_logged_in(client)


def test_logout_is_a_post_and_ends_the_session(client, login, create_user):
    login(create_user())
    assert client.get('/logout').status_code == 405
    assert is_logged_in(client)
    response = client.post('/logout')
    assert response.status_code == 302
    assert location(response) == '/'
    assert not is_logged_in(client)


def test_an_anonymous_visitor_is_sent_to_the_login_and_back(client, db, create_user):
    create_user(email='nino@example.ge')
    db.session.commit()
    response = client.get('/home')
    assert response.status_code == 302
    target = urlsplit(location(response))
    assert (target.path, target.query) == ('/login', 'next=%2Fhome')
    assert (
        location(
            client.post(location(response), data={'email': 'nino@example.ge', 'password': PASSWORD})
        )
        == '/home'
    )


@pytest.mark.parametrize('next_url', ['/home?tab=certificates', '/admin/people'])
def test_next_leads_to_a_page_of_this_site(client, db, create_user, next_url):
    create_user(email='nino@example.ge')
    db.session.commit()
    assert location(log_in(client, 'nino@example.ge', next_url=next_url)) == next_url


@pytest.mark.parametrize(
    'next_url',
    [
        '//evil.example',
        '//evil.example/home',
        'https://evil.example',
        'https://evil.example/home',
        'http:evil.example',
        '/\\evil.example',
        '\\\\evil.example',
        '/\t/evil.example',
        '/\n/evil.example',
        ' //evil.example',
        'javascript:alert(1)',
        'evil.example',
    ],
)
def test_next_never_leads_to_another_site(client, db, create_user, next_url):
    create_user(email='nino@example.ge')
    db.session.commit()
    assert location(log_in(client, 'nino@example.ge', next_url=next_url)) == '/home'


# The account's own limit is set apart here: this is the limit per client address.
@pytest.mark.app_config(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT='100 per minute')
def test_login_attempts_are_rate_limited_with_a_clear_page(app, client, db, english, create_user):
    create_user(email='nino@example.ge')
    db.session.commit()
    allowed = int(app.config['LOGIN_RATE_LIMIT'].split()[0])
    for _ in range(allowed):
        assert log_in(client, 'nino@example.ge', 'guess').status_code == 422
    response = log_in(client, 'nino@example.ge')  # even the right password waits now
    assert response.status_code == 429
    assert 'Too many attempts. Please wait a minute and try again.' in response.text
    assert int(response.headers['Retry-After']) > 0
    assert not is_logged_in(client)
    assert client.get('/login').status_code == 200  # reading the form is not limited


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_login_post_without_a_csrf_token_is_refused(client, db, create_user):
    create_user(email='nino@example.ge')
    db.session.commit()
    response = log_in(client, 'nino@example.ge')
    assert response.status_code == 400
    assert not is_logged_in(client)
    token = csrf_token(client.get('/login').text)
    response = client.post(
        '/login', data={'email': 'nino@example.ge', 'password': PASSWORD, 'csrf_token': token}
    )
    assert location(response) == '/home'


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_logout_needs_the_csrf_token_of_the_page(client, login, create_user):
    login(create_user())
    assert client.post('/logout').status_code == 400
    assert is_logged_in(client)
    token = csrf_token(client.get('/home').text)
    assert client.post('/logout', data={'csrf_token': token}).status_code == 302
    assert not is_logged_in(client)


def _registration(**changes):
    data = {
        'full_name_ka': 'ნინო ბერიძე',
        'full_name_en': '',
        'email': 'nino@example.ge',
        'sector': 'civil_servant',
        'organization_id': '',
        'position': 'სპეციალისტი',
        'gender': '',
        'password': 'long enough',
        'confirm': 'long enough',
    }
    return {**data, **changes}


def _users(db):
    return db.session.scalar(select(func.count()).select_from(User))


def _register(client, db, **changes):
    """Register with the form, then finish with the link in the e-mail; the account."""
    response = client.post('/register', data=_registration(**changes))
    assert response.status_code == 200
    assert finish_registration(client, db, 'nino@example.ge').status_code == 302
    return db.session.scalar(select(User).where(User.email == 'nino@example.ge'))


def test_registering_creates_a_participant_with_sector_organisation_and_position(
    client, db, create_organization
):
    organization = create_organization(kind='municipality', name_en='Kutaisi')
    db.session.commit()
    response = client.post('/register', data=_registration(organization_id=str(organization.id)))
    assert response.status_code == 200  # "check your mail": nobody is in yet
    assert _users(db) == 0 and not is_logged_in(client)
    finished = finish_registration(client, db, 'nino@example.ge')
    assert finished.status_code == 302
    assert location(finished) == '/home'
    assert is_logged_in(client)
    user = db.session.scalar(select(User).where(User.email == 'nino@example.ge'))
    assert user.role == 'participant'
    assert (user.sector, user.organization_id, user.position) == (
        'civil_servant',
        organization.id,
        'სპეციალისტი',
    )
    assert user.check_password('long enough')
    assert user.email_confirmed_at is not None  # the link proved the address


def test_registering_without_a_latin_name_romanises_the_georgian_one(client, db):
    user = _register(client, db, full_name_ka='ქეთევან წიკლაური')
    assert user.full_name_en == 'Ketevan Tsiklauri'


def test_a_latin_name_given_at_registration_is_kept(client, db):
    user = _register(client, db, full_name_en='Nino Beridze-Smith')
    assert user.full_name_en == 'Nino Beridze-Smith'


def test_registering_cannot_make_an_admin(client, db):
    user = _register(client, db, role='admin')
    assert user.role == 'participant'


def test_a_too_short_password_is_refused_next_to_the_password_field(client, db, english):
    response = client.post('/register', data=_registration(password='short', confirm='short'))
    assert response.status_code == 422
    assert field_errors(response.text, 'password') == ['At least 8 characters.']
    assert _users(db) == 0


def test_different_passwords_are_refused_next_to_the_repeat_field(client, db, english):
    response = client.post('/register', data=_registration(confirm='long enougH'))
    assert response.status_code == 422
    assert field_errors(response.text, 'confirm') == ['The passwords differ.']
    assert _users(db) == 0


def test_the_pages_are_georgian_until_someone_chooses_english(client):
    assert 'lang="ka"' in client.get('/').text


def test_the_language_switch_is_remembered_in_the_session(client):
    response = client.post('/language/en', data={'next': '/login'})
    assert location(response) == '/login'
    with client.session_transaction() as sess:
        assert sess['locale'] == 'en'
    assert 'lang="en"' in client.get('/').text
    assert 'lang="en"' in client.get('/login').text


def test_an_unknown_language_is_ignored(client):
    client.post('/language/fr')
    assert 'lang="ka"' in client.get('/').text


def test_the_language_switch_never_leads_to_another_site(client):
    assert location(client.post('/language/en', data={'next': '//evil.example'})) == '/'


def test_a_logged_in_user_keeps_the_language_on_the_account(app, client, db, login, create_user):
    user = login(create_user())
    client.post('/language/en', data={'next': '/home'})
    db.session.refresh(user)
    assert user.locale == 'en'
    elsewhere = app.test_client()  # another browser: no language in its session
    with elsewhere.session_transaction() as sess:
        sess['_user_id'] = user.get_id()
        sess['_fresh'] = True
    assert 'lang="en"' in elsewhere.get('/home').text


# -- failed logins per account, from any client ----------------------------------------------


def _from(client, address, email, password):
    return client.post(
        '/login', data={'email': email, 'password': password}, environ_base={'REMOTE_ADDR': address}
    )


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    LOGIN_RATE_LIMIT='100 per minute',
    LOGIN_ACCOUNT_RATE_LIMIT='3 per 15 minutes',
)
def test_failed_logins_to_one_account_from_many_addresses_pause_it(
    client, db, english, create_user
):
    create_user(email='nino@example.ge')
    create_user(email='giorgi@example.ge')
    db.session.commit()
    for i in range(3):
        assert _from(client, f'10.0.0.{i}', 'nino@example.ge', 'guess').status_code == 422
    paused = _from(client, '10.0.1.1', ' Nino@Example.GE ', PASSWORD)  # even the right one
    assert paused.status_code == 429
    assert 'Too many failed attempts to log in with this e-mail address.' in paused.text
    assert 'try again in 15 minutes' in paused.text
    assert int(paused.headers['Retry-After']) > 0
    assert not is_logged_in(client)
    # Another account, from an address that just failed, is not affected.
    assert location(_from(client, '10.0.0.1', 'giorgi@example.ge', PASSWORD)) == '/home'


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    LOGIN_RATE_LIMIT='100 per minute',
    LOGIN_ACCOUNT_RATE_LIMIT='3 per 15 minutes',
)
def test_an_unknown_address_is_paused_exactly_like_a_known_one(client, db, english, create_user):
    create_user(email='nino@example.ge')
    db.session.commit()

    def answers(email):
        return [
            (r.status_code, re.sub(r'name="csrf_token"[^>]*>|value="[^"]*"', '', r.text))
            for r in (_from(client, f'10.0.{n}.9', email, 'guess') for n in range(5))
        ]

    known, unknown = answers('nino@example.ge'), answers('nobody@example.ge')
    assert [status for status, _ in known] == [422, 422, 422, 429, 429]
    assert [status for status, _ in unknown] == [status for status, _ in known]
    assert [text.replace('nobody', 'nino') for _, text in unknown] == [text for _, text in known]


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    LOGIN_RATE_LIMIT='100 per minute',
    LOGIN_ACCOUNT_RATE_LIMIT='2 per 15 minutes',
)
def test_successful_logins_do_not_count_against_the_account(client, db, create_user):
    create_user(email='nino@example.ge')
    db.session.commit()
    for _ in range(4):
        assert location(log_in(client, 'nino@example.ge')) == '/home'
        client.post('/logout')
