"""Registering tells nobody which addresses have an account: /register and a newcomer's
application answer a known and an unknown address alike, and only the mail to the address
differs (a link that finishes registering, or a word to the owner). Through the pages,
with the mail read from the outbox and its links followed."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.extensions import academy_today, utcnow
from lms.models import AuditEntry, Enrollment, PendingRegistration, User
from lms.people import registration, tasks, tokens
from tests.lms.registering import finish_registration, links, mails, registration_link
from tests.lms.test_auth import _registration, csrf_token

KNOWN, UNKNOWN = 'known@example.ge', 'unknown@example.ge'


@pytest.fixture
def english(client):
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


@pytest.fixture
def owner(db, create_user):
    """The account that has the known address."""
    user = create_user(
        email=KNOWN, full_name_ka='ნინო ბერიძე', password='the owners password', position=None
    )
    db.session.commit()
    return user


@pytest.fixture
def offering(create_offering, create_organization):
    today = academy_today()
    create_organization(name_ka='ქუთაისი', name_en='Kutaisi', kind='municipality')
    return create_offering(starts_on=today + timedelta(days=14), ends_on=today + timedelta(days=15))


def _count(db, model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _answers(db):
    from lms.models import Organization

    kutaisi = db.session.scalar(select(Organization).where(Organization.name_en == 'Kutaisi'))
    return {
        'sector': 'cso',
        'organization_id': '',
        'position': 'კოორდინატორი',
        'residence_municipality_id': str(kutaisi.id),
        'motivation': 'მინდა ვისწავლო.',
        'consent': 'y',
        'full_name_ka': 'თამარ ლომიძე',
        'password': 'a long secret',
    }


def _sent_with_csrf(app, url, data):
    """POST `data` to `url` from a new browser, with the CSRF token of the form's page."""
    client = app.test_client()
    token = csrf_token(client.get(url).text)
    return client.post(url, data={**data, 'csrf_token': token})


def _normalised(response, email):
    """The page without what differs for every response or was typed: CSRF tokens, CSP
    nonces, and the address itself."""
    text = response.get_data(as_text=True)
    text = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1"', text)
    text = re.sub(r'nonce="[^"]+"', 'nonce=""', text)
    return text.replace(email, 'ADDRESS')


# -- the same answer ---------------------------------------------------------------------------


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_register_answers_a_known_and_an_unknown_address_byte_for_byte_alike(app, db, owner):
    known = _sent_with_csrf(app, '/register', _registration(email=KNOWN))
    unknown = _sent_with_csrf(app, '/register', _registration(email=UNKNOWN))
    assert known.status_code == unknown.status_code == 200
    assert known.headers['Content-Type'] == unknown.headers['Content-Type']
    assert _normalised(known, KNOWN) == _normalised(unknown, UNKNOWN)
    assert 'Location' not in known.headers


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_newcomer_applying_gets_the_same_answer_for_a_known_and_an_unknown_address(
    app, db, owner, offering
):
    url = f'/catalogue/offerings/{offering.id}/apply'
    known = _sent_with_csrf(app, url, {**_answers(db), 'email': KNOWN})
    unknown = _sent_with_csrf(app, url, {**_answers(db), 'email': UNKNOWN})
    assert known.status_code == unknown.status_code == 200
    assert _normalised(known, KNOWN) == _normalised(unknown, UNKNOWN)
    assert _count(db, Enrollment) == 0  # filed only once the link is opened


def test_a_known_address_changes_nothing_and_its_owner_is_told(client, db, owner):
    before = (owner.full_name_ka, owner.password_hash, owner.session_version, owner.sector)
    response = client.post(
        '/register', data=_registration(email='Known@Example.ge', full_name_ka='სხვა ვინმე')
    )
    assert response.status_code == 200
    assert _count(db, User) == 1 and _count(db, PendingRegistration) == 0
    db.session.expire_all()
    user = db.session.get(User, owner.id)
    assert (user.full_name_ka, user.password_hash, user.session_version, user.sector) == before
    assert client.get('/home').status_code == 302  # nobody was logged in
    assert mails(db, 'registration_link') == []
    [mail] = mails(db, 'registration_attempt', KNOWN)
    assert mail.user_id == owner.id and mail.locale == 'ka'
    assert {link.split('?')[0] for link in links(mail.text_body)} >= {
        'https://academy.example.test/login',
        'https://academy.example.test/reset-password',
    }
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == []


def test_a_deactivated_account_gets_no_mail_and_the_same_page(client, db, owner):
    owner.is_active = False
    db.session.commit()
    response = client.post('/register', data=_registration(email=KNOWN))
    assert response.status_code == 200
    assert mails(db, 'registration_attempt') == [] and _count(db, PendingRegistration) == 0


# -- the link ----------------------------------------------------------------------------------


def test_an_unknown_address_is_sent_a_link_and_nothing_else_is_made(client, db, english):
    response = client.post('/register', data=_registration(email=UNKNOWN))
    assert response.status_code == 200
    assert 'Check your e-mail' in response.text and UNKNOWN in response.text
    assert _count(db, User) == 0 and _count(db, PendingRegistration) == 1
    assert client.get('/home').status_code == 302
    [mail] = mails(db, 'registration_link', UNKNOWN)
    assert mail.user_id is None and mail.locale == 'en'  # the page's language
    pending = db.session.scalar(select(PendingRegistration))
    assert 'long enough' not in pending.password_hash  # stored hashed


def test_the_link_finishes_registering_logs_in_and_works_once(client, db):
    client.post('/register', data=_registration(email=UNKNOWN))
    path = registration_link(db, UNKNOWN)
    page = client.get(path)
    assert page.status_code == 200 and 'no-store' in page.headers['Cache-Control']
    assert _count(db, User) == 0  # opening the link (a mail scanner may) makes nothing

    finished = client.post(path)
    assert finished.status_code == 302 and finished.location == '/home'
    user = db.session.scalar(select(User).where(User.email == UNKNOWN))
    assert user.check_password('long enough') and user.email_confirmed_at is not None
    assert client.get('/home').status_code == 200
    assert _count(db, PendingRegistration) == 0
    assert 'user.created' in [e.action for e in db.session.scalars(select(AuditEntry))]
    # The link's mail is now the person's: in what the academy holds about them.
    assert [m.user_id for m in mails(db, 'registration_link', UNKNOWN)] == [user.id]

    client.post('/logout')
    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410
    assert _count(db, User) == 1


def test_an_expired_link_is_refused_with_a_clear_page(client, db, english, monkeypatch):
    client.post('/register', data=_registration(email=UNKNOWN))
    path = registration_link(db, UNKNOWN)
    later = utcnow() + timedelta(hours=48, minutes=1)
    monkeypatch.setattr(tokens, 'utcnow', lambda: later)
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert 'The link has expired' in response.text
        assert 'href="/register"' in response.text
    assert _count(db, User) == 0


def test_a_tampered_link_is_refused(client, db):
    client.post('/register', data=_registration(email=UNKNOWN))
    path = registration_link(db, UNKNOWN)
    assert client.get(path[:-3] + 'xyz').status_code == 404
    assert client.get('/reset-password/' + path.rsplit('/', 1)[1]).status_code == 404


def test_registering_again_replaces_the_waiting_one_and_only_the_new_link_works(client, db):
    client.post('/register', data=_registration(email=UNKNOWN))
    first = registration_link(db, UNKNOWN)
    data = _registration(email=UNKNOWN, password='another secret', confirm='another secret')
    client.post('/register', data=data)
    second = registration_link(db, UNKNOWN)
    assert first != second and len(mails(db, 'registration_link', UNKNOWN)) == 2
    assert _count(db, PendingRegistration) == 1
    assert client.get(first).status_code == 410
    assert client.post(second).status_code == 302
    user = db.session.scalar(select(User).where(User.email == UNKNOWN))
    assert user.check_password('another secret')


def test_a_link_for_an_address_that_has_an_account_meanwhile_makes_no_second_one(
    client, db, create_user
):
    client.post('/register', data=_registration(email=UNKNOWN))
    path = registration_link(db, UNKNOWN)
    create_user(email=UNKNOWN)  # the academy made one in between
    db.session.commit()
    assert client.post(path).status_code == 410
    assert _count(db, User) == 1
    assert client.get('/home').status_code == 302


def test_the_daily_job_removes_registrations_whose_link_expired(client, db, monkeypatch):
    client.post('/register', data=_registration(email=UNKNOWN))
    assert _count(db, PendingRegistration) == 1
    monkeypatch.setattr(registration, 'utcnow', lambda: utcnow() + timedelta(hours=47))
    tasks.daily_removals.call_local()
    assert _count(db, PendingRegistration) == 1  # still valid
    monkeypatch.setattr(registration, 'utcnow', lambda: utcnow() + timedelta(hours=49))
    tasks.daily_removals.call_local()
    assert _count(db, PendingRegistration) == 0


@pytest.mark.app_config(REGISTRATION_HOURS=2)
def test_the_lifetime_is_a_setting(client, db, monkeypatch):
    client.post('/register', data=_registration(email=UNKNOWN))
    path = registration_link(db, UNKNOWN)
    pending = db.session.scalar(select(PendingRegistration))
    assert pending.expires_at - pending.created_at == timedelta(hours=2)
    later = utcnow() + timedelta(hours=2, minutes=1)
    monkeypatch.setattr(tokens, 'utcnow', lambda: later)
    assert client.get(path).status_code == 410


# -- one address is not flooded ------------------------------------------------------------


@pytest.mark.app_config(RATELIMIT_ENABLED=True, MAIL_LINK_RATE_LIMIT='2 per hour')
@pytest.mark.parametrize('email', [KNOWN, UNKNOWN])
def test_mail_to_one_address_is_limited_and_the_page_stays_the_same(client, db, owner, email):
    responses = [
        client.post(
            '/register',
            data=_registration(email=email),
            environ_base={'REMOTE_ADDR': f'10.0.0.{n}'},
        )
        for n in range(4)
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert len({_normalised(r, email) for r in responses}) == 1
    template = 'registration_attempt' if email == KNOWN else 'registration_link'
    assert len(mails(db, template, email)) == 2
    other = client.post('/register', data=_registration(email='third@example.ge'))
    assert other.status_code == 200 and len(mails(db, 'registration_link', 'third@example.ge')) == 1


# -- a newcomer applying -----------------------------------------------------------------------


def test_a_newcomers_application_is_filed_only_when_they_finish(client, db, offering):
    url = f'/catalogue/offerings/{offering.id}/apply'
    assert client.post(url, data={**_answers(db), 'email': UNKNOWN}).status_code == 200
    assert _count(db, Enrollment) == 0 and _count(db, User) == 0
    finished = finish_registration(client, db, UNKNOWN)
    assert finished.location == '/account/applications'
    user = db.session.scalar(select(User).where(User.email == UNKNOWN))
    enrollment = db.session.scalar(select(Enrollment))
    assert (enrollment.user_id, enrollment.offering_id) == (user.id, offering.id)
    assert (enrollment.status, enrollment.position) == ('applied', 'კოორდინატორი')
    assert user.sector == 'cso' and user.position == 'კოორდინატორი'
    assert [m.template for m in mails(db, 'application_received', UNKNOWN)] == [
        'application_received'
    ]


def test_an_offering_closed_by_the_time_the_link_is_opened_gets_no_application(
    client, db, offering, english
):
    url = f'/catalogue/offerings/{offering.id}/apply'
    client.post(url, data={**_answers(db), 'email': UNKNOWN})
    offering.applications_close_on = academy_today() - timedelta(days=1)
    db.session.commit()
    finished = finish_registration(client, db, UNKNOWN)
    assert finished.location == f'/catalogue/offerings/{offering.id}'
    assert _count(db, Enrollment) == 0
    assert db.session.scalar(select(User).where(User.email == UNKNOWN)) is not None
    page = client.get(finished.location).text
    assert 'This offering does not take applications now.' in page
    assert 'Welcome! Your account is ready.' in page


def test_an_answer_that_no_longer_passes_makes_the_account_and_sends_back_to_the_form(
    client, db, offering, english
):
    """The municipality named was removed before the link was opened: pressing "finish"
    must not fail for ever (the link would be a dead end), so the account is made and the
    person sent to the form to apply again."""
    from lms.models import Organization

    url = f'/catalogue/offerings/{offering.id}/apply'
    client.post(url, data={**_answers(db), 'email': UNKNOWN})
    db.session.delete(
        db.session.scalar(select(Organization).where(Organization.name_en == 'Kutaisi'))
    )
    db.session.commit()
    finished = finish_registration(client, db, UNKNOWN)
    assert finished.status_code == 302 and finished.location == url
    assert _count(db, Enrollment) == 0 and _count(db, PendingRegistration) == 0
    assert db.session.scalar(select(User).where(User.email == UNKNOWN)) is not None
    page = client.get(url).text
    assert 'Your application could not be sent as it was' in page
    assert 'Welcome! Your account is ready.' in page


def test_a_newcomers_bad_answers_are_refused_before_anything_is_mailed(client, db, offering):
    url = f'/catalogue/offerings/{offering.id}/apply'
    response = client.post(url, data={**_answers(db), 'email': UNKNOWN, 'consent': ''})
    assert response.status_code == 422
    assert _count(db, PendingRegistration) == 0 and mails(db, 'registration_link') == []
