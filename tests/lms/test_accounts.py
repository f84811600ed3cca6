"""Accounts: password reset by e-mail, change of password, confirmation of the address.

Everything goes through the pages, as a person would; the e-mail is read from the outbox
and its link followed with the test client.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from lms.extensions import utcnow
from lms.models import AuditEntry, OutboxMessage, User
from lms.people import tokens
from lms.people.service import send_password_reset
from tests.lms.registering import BASE, links, mails


def _path(link):
    return urlsplit(link).path


def _actions(db, user):
    return [
        e.action
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == user.id).order_by(AuditEntry.id)
        )
        if e.action.startswith('user.')
    ]


def _ask_reset(client, email):
    return client.post('/reset-password', data={'email': email})


def _reset_link(client, db, user):
    assert _ask_reset(client, user.email).status_code == 200
    message = mails(db, 'password_reset', user.email)[-1]
    (link,) = links(message.text_body)
    return _path(link)


def _logged_in_as(client):
    """The id of the person the session names (it stores "id:session version")."""
    with client.session_transaction() as sess:
        return (sess.get('_user_id') or '').partition(':')[0] or None


# -- reset ----------------------------------------------------------------------------------


def test_the_login_page_links_to_the_reset(client):
    page = client.get('/login').text
    assert 'href="/reset-password"' in page


def test_a_known_and_an_unknown_address_get_the_same_page_and_only_the_known_one_mail(
    client, db, create_user
):
    user = create_user(email='nino@example.test')

    known = _ask_reset(client, 'Nino@Example.test ')
    unknown = _ask_reset(client, 'nobody@example.test')

    assert known.status_code == unknown.status_code == 200
    assert known.text.replace('nino@example.test', 'X') == unknown.text.replace(
        'nobody@example.test', 'X'
    )
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == [user.email]
    # For the unknown address nothing at all was written.
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_the_reset_mail_holds_exactly_one_link_under_the_public_address_in_both_bodies(
    client, db, create_user
):
    user = create_user(locale='en')
    _ask_reset(client, user.email)
    (message,) = mails(db, 'password_reset')
    (link,) = links(message.text_body)
    assert set(links(message.html_body)) == {link}
    assert _path(link).startswith('/reset-password/')
    assert 'If it was not you, ignore this e-mail.' in message.text_body
    assert message.locale == 'en'


def test_the_link_sets_the_new_password_in_every_password_field_logs_in_and_works_once(
    client, db, create_user
):
    user = create_user(password='old password')
    user.email_confirmed_at = None
    path = _reset_link(client, db, user)

    page = client.get(path)
    assert page.status_code == 200
    assert page.headers['Referrer-Policy'] == 'no-referrer'
    fields = [
        re.search(r'name="([^"]+)"', tag).group(1)
        for tag in re.findall(r'<input[^>]*>', page.text)
        if 'type="password"' in tag
    ]
    assert sorted(fields) == ['confirm', 'password']

    done = client.post(path, data=dict.fromkeys(fields, 'a new password'))
    assert done.status_code == 302
    assert _logged_in_as(client) == str(user.id)
    db.session.expire_all()
    assert user.check_password('a new password')
    assert not user.check_password('old password')
    assert user.email_confirmed_at is not None  # they read the mail sent to the address
    assert 'user.password_reset' in _actions(db, user)

    again = client.get(path)
    assert again.status_code == 410
    assert client.post(path, data=dict.fromkeys(fields, 'third password')).status_code == 410
    db.session.expire_all()
    assert user.check_password('a new password')


def test_the_link_expires_when_the_clock_moves_past_its_hour(client, db, create_user, monkeypatch):
    user = create_user(password='old password')
    path = _reset_link(client, db, user)
    later = utcnow() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(tokens, 'utcnow', lambda: later)

    response = client.post(path, data={'password': 'new password', 'confirm': 'new password'})

    assert response.status_code == 410
    assert 'ბმულს ვადა გაუვიდა.' in response.text  # The link has expired.
    db.session.expire_all()
    assert user.check_password('old password')


def test_the_link_still_works_just_before_its_hour(client, db, create_user, monkeypatch):
    user = create_user()
    path = _reset_link(client, db, user)
    later = utcnow() + timedelta(minutes=59)
    monkeypatch.setattr(tokens, 'utcnow', lambda: later)
    assert client.get(path).status_code == 200


def test_the_link_dies_when_the_password_changes_another_way(client, db, create_user, login):
    user = create_user(password='old password')
    path = _reset_link(client, db, user)
    login(user)
    changed = client.post(
        '/account/password',
        data={
            'current_password': 'old password',
            'password': 'changed pw',
            'confirm': 'changed pw',
        },
    )
    assert changed.status_code == 302
    client.post('/logout')

    assert client.get(path).status_code == 410


def test_a_tampered_link_or_one_for_another_purpose_is_refused(client, db, create_user):
    user = create_user()
    path = _reset_link(client, db, user)
    token = path.rsplit('/', 1)[1]
    assert client.get(path[:-2] + 'xx').status_code == 404
    # The same token as an invitation: another salt, so not valid there.
    assert client.get(f'/invitation/{token}').status_code == 404


def test_a_short_new_password_or_two_different_ones_change_nothing(client, db, create_user):
    user = create_user(password='old password')
    path = _reset_link(client, db, user)

    short = client.post(path, data={'password': 'short', 'confirm': 'short'})
    differ = client.post(path, data={'password': 'long enough 1', 'confirm': 'long enough 2'})

    assert short.status_code == differ.status_code == 422
    db.session.expire_all()
    assert user.check_password('old password')
    assert client.get(path).status_code == 200  # still usable: nothing changed


def test_a_deactivated_account_gets_no_reset_mail(client, db, create_user):
    user = create_user(is_active=False)
    assert _ask_reset(client, user.email).status_code == 200
    assert mails(db, 'password_reset') == []


def test_the_job_renders_the_mail_without_a_request(app, db, create_user):
    """On a worker there is no request: the job must not need one."""
    user = create_user()
    db.session.commit()
    message = send_password_reset(user.email)
    assert message is not None
    assert _path(links(message.text_body)[0]).startswith('/reset-password/')


@pytest.mark.app_config(RATELIMIT_ENABLED=True, MAIL_LINK_RATE_LIMIT='2 per hour')
def test_one_address_is_not_flooded_with_reset_mail(client, db, create_user):
    user = create_user()
    statuses = [_ask_reset(client, user.email).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(mails(db, 'password_reset')) == 2
    assert _ask_reset(client, 'someone.else@example.test').status_code == 200


@pytest.mark.app_config(RATELIMIT_ENABLED=True, MAIL_LINK_RATE_LIMIT='2 per hour')
@pytest.mark.parametrize('email', ['nino@example.ge', 'nobody@example.ge'])
def test_reset_links_for_one_address_pause_from_any_client_with_a_clear_message(
    client, db, create_user, email
):
    create_user(email='nino@example.ge')
    with client.session_transaction() as sess:
        sess['locale'] = 'en'
    statuses = [
        client.post(
            '/reset-password',
            data={'email': email.upper()},
            environ_base={'REMOTE_ADDR': f'10.0.0.{n}'},
        )
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert 'Many links were asked for this e-mail address already.' in statuses[-1].text
    assert 'please try again in 60 minutes' in statuses[-1].text


# -- change of password ---------------------------------------------------------------------


def test_a_wrong_current_password_is_refused(client, db, create_user, login):
    user = login(create_user(password='old password'))
    response = client.post(
        '/account/password',
        data={'current_password': 'not it', 'password': 'new password', 'confirm': 'new password'},
    )
    assert response.status_code == 422
    assert 'ეს არ არის თქვენი ამჟამინდელი პაროლი.' in response.text
    db.session.expire_all()
    assert user.check_password('old password')
    assert 'user.password_changed' not in _actions(db, user)


def test_changing_the_password_is_audited(client, db, create_user, login):
    user = login(create_user(password='old password'))
    assert client.get('/account/password').status_code == 200
    response = client.post(
        '/account/password',
        data={
            'current_password': 'old password',
            'password': 'new password',
            'confirm': 'new password',
        },
        follow_redirects=True,
    )
    assert 'თქვენი პაროლი შეიცვალა.' in response.text  # Your password is changed.
    db.session.expire_all()
    assert user.check_password('new password')
    assert _actions(db, user) == ['user.password_changed']


def test_the_new_password_needs_registrations_minimum_length(client, db, create_user, login):
    user = login(create_user(password='old password'))
    response = client.post(
        '/account/password',
        data={'current_password': 'old password', 'password': 'seven77', 'confirm': 'seven77'},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert user.check_password('old password')


# -- confirmation of the address -------------------------------------------------------------


def _unconfirmed(create_user, login):
    """Logged in with an address not yet confirmed (an account from before registering
    needed the link; registering now confirms the address before the account exists)."""
    return login(create_user(email='tamar@example.ge', email_confirmed_at=None))


def _send_link(client):
    return client.post('/account/confirm-address/send', data={'next': '/catalogue'})


def test_an_unconfirmed_address_is_sent_a_link_that_confirms_it(client, db, create_user, login):
    user = _unconfirmed(create_user, login)
    home = client.get('/home')
    assert 'id="unconfirmed-address"' in home.text

    assert _send_link(client).status_code == 302
    (message,) = mails(db, 'confirm_address', user.email)
    (link,) = {*links(message.text_body)} - {BASE + '/'}
    response = client.get(_path(link))

    assert response.status_code == 302
    db.session.expire_all()
    assert user.email_confirmed_at is not None
    assert 'user.address_confirmed' in _actions(db, user)
    assert 'id="unconfirmed-address"' not in client.get('/home').text


def test_the_confirmation_link_expires_after_its_days(client, db, create_user, login, monkeypatch):
    user = _unconfirmed(create_user, login)
    _send_link(client)
    (message,) = mails(db, 'confirm_address')
    (link,) = {*links(message.text_body)} - {BASE + '/'}
    later = utcnow() + timedelta(days=7, minutes=1)
    monkeypatch.setattr(tokens, 'utcnow', lambda: later)
    assert client.get(_path(link)).status_code == 410
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is None


def test_the_banner_sends_the_link_again(client, db, create_user, login):
    _unconfirmed(create_user, login)
    response = _send_link(client)
    assert response.status_code == 302
    assert response.headers['Location'] == '/catalogue'
    assert _send_link(client).status_code == 302
    assert len(mails(db, 'confirm_address')) == 2


def test_a_confirmed_person_is_sent_nothing_again(client, db, create_user, login):
    user = create_user()
    user.email_confirmed_at = utcnow()
    login(user)
    assert 'id="unconfirmed-address"' not in client.get('/home').text
    client.post('/account/confirm-address/send')
    assert mails(db, 'confirm_address') == []


@pytest.mark.app_config(RATELIMIT_ENABLED=True, MAIL_LINK_RATE_LIMIT='1 per hour')
def test_sending_the_link_again_is_rate_limited(client, db, create_user, login):
    _unconfirmed(create_user, login)
    assert client.post('/account/confirm-address/send').status_code == 302
    assert client.post('/account/confirm-address/send').status_code == 429
    assert len(mails(db, 'confirm_address')) == 1


def test_accounts_made_by_admins_count_as_confirmed(client, db, create_user, login):
    login(create_user(role='admin'))
    response = client.post(
        '/admin/people/new',
        data={
            'full_name_ka': 'გიორგი ბერიძე',
            'email': 'giorgi@example.test',
            'role': 'participant',
            'sector': 'citizen',
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == 'giorgi@example.test'))
    assert user.email_confirmed_at is not None
    assert mails(db, 'confirm_address') == []
