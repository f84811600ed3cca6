"""A person's own API tokens at /account/tokens: listed, created (shown once), revoked."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.models import ApiToken, AuditEntry
from lms.people.service import issue_token


@pytest.fixture
def english(client):
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


@pytest.fixture
def nino(create_user, login):
    return login(create_user(email='nino@example.ge', role='trainer'))


def _token(db, user, name='HR system'):
    plain = issue_token(user, name=name)
    db.session.commit()
    token = db.session.scalar(select(ApiToken).where(ApiToken.hint == plain[:10]))
    return token, plain


def _me(client, plain):
    return client.get('/api/v1/me', headers={'Authorization': f'Bearer {plain}'}).status_code


def _main(html):
    return html.split('<main', 1)[1].split('>', 1)[1].split('</main>', 1)[0]


def test_the_page_lists_the_persons_own_tokens_and_no_one_elses(
    client, db, english, nino, create_user
):
    hr, hr_plain = _token(db, nino, 'HR system')
    old, _ = _token(db, nino, 'Old script')
    _token(db, create_user(), 'Somebody else')
    _me(client, hr_plain)  # used once
    client.post(f'/account/tokens/{old.id}/revoke')
    db.session.expire_all()

    page = _main(client.get('/account/tokens').text)

    assert 'Somebody else' not in page
    rows = re.findall(r'<tr[^>]*>\s*<td>(.*?)</tr>', page, re.S)
    assert [re.sub(r'<[^>]+>', ' ', row).split()[0] for row in rows] == ['Old', 'HR']
    old_row, hr_row = rows
    assert f'<code>{hr.hint}…</code>' in hr_row and 'Active' in hr_row
    assert 'never' not in hr_row  # its last use is shown
    assert 'Revoked on' in old_row and 'never' in old_row
    assert f'/account/tokens/{hr.id}/revoke' in hr_row
    assert '/revoke' not in old_row


def test_a_new_token_is_shown_once_with_its_name_and_opens_the_api(client, db, english, nino):
    response = client.post('/account/tokens', data={'name': '  Municipality HR  '})

    assert response.status_code == 200
    assert response.headers['Cache-Control'] == 'no-store'
    (plain,) = re.findall(r'<code class="user-select-all[^"]*">([^<]+)</code>', response.text)
    assert 'Your new token “Municipality HR”' in response.text
    token = db.session.scalar(select(ApiToken))
    assert (token.user_id, token.name, token.hint) == (nino.id, 'Municipality HR', plain[:10])
    assert _me(client, plain) == 200
    assert plain not in client.get('/account/tokens').text  # shown once, never again
    created = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'token.created'))
    assert created.actor_id == nino.id


def test_a_new_token_needs_a_name_of_at_most_100_characters(client, db, english, nino):
    for name in ('', '   ', 'x' * 101):
        response = client.post('/account/tokens', data={'name': name})
        assert response.status_code == 422
        assert 'user-select-all' not in response.text
    assert db.session.scalar(select(ApiToken)) is None


def test_a_token_name_is_shown_as_text_never_as_markup(client, db, nino):
    response = client.post('/account/tokens', data={'name': '<script>alert(1)</script>'})
    assert '<script>alert(1)' not in response.text
    assert '&lt;script&gt;alert(1)' in response.text


def test_revoking_asks_first_on_a_page_that_needs_no_javascript(client, db, english, nino):
    token, plain = _token(db, nino)

    page = client.get(f'/account/tokens/{token.id}/revoke')

    assert page.status_code == 200
    assert 'Revoke this token?' in page.text and token.hint in page.text
    form = re.search(r'<form method="post"[^>]*>(.*?)</form>', _main(page.text), re.S).group(1)
    assert 'type="submit"' in form
    db.session.expire_all()
    assert token.revoked_at is None and _me(client, plain) == 200


def test_a_revoked_token_is_refused_by_the_api_at_once_and_the_revocation_is_audited(
    client, db, english, nino
):
    token, plain = _token(db, nino)
    assert _me(client, plain) == 200

    response = client.post(f'/account/tokens/{token.id}/revoke')

    assert response.status_code == 302
    assert response.headers['Location'] == '/account/tokens'
    assert _me(client, plain) == 401
    db.session.expire_all()
    assert token.revoked_at is not None
    (entry,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == 'token.revoked')
    ).all()
    assert (entry.actor_id, entry.data['after']['token_id']) == (nino.id, token.id)
    assert 'The token is revoked.' in client.get('/account/tokens').text
    again = client.get(f'/account/tokens/{token.id}/revoke')
    assert 'This token is already revoked.' in again.text


@pytest.mark.parametrize('method', ['GET', 'POST'])
@pytest.mark.parametrize('owner_role', ['participant', 'admin'])
def test_someone_elses_token_answers_404_and_stays_in_force(
    client, db, nino, create_user, method, owner_role
):
    token, plain = _token(db, create_user(role=owner_role))

    response = client.open(f'/account/tokens/{token.id}/revoke', method=method)

    assert response.status_code == 404
    assert _me(client, plain) == 200


def test_an_admin_cannot_revoke_someone_elses_token_here_either(client, db, create_user, login):
    token, plain = _token(db, create_user())
    login(create_user(role='admin'))
    assert client.post(f'/account/tokens/{token.id}/revoke').status_code == 404
    assert _me(client, plain) == 200


def test_an_unknown_token_answers_404(client, nino):
    assert client.get('/account/tokens/999/revoke').status_code == 404


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_both_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(client, db, nino):
    token, plain = _token(db, nino)
    page = client.get('/account/tokens').text
    confirm = client.get(f'/account/tokens/{token.id}/revoke').text
    for html in (page, confirm):
        assert re.search(r'<form method="post".*?name="csrf_token"', _main(html), re.S)

    assert client.post('/account/tokens', data={'name': 'HR'}).status_code == 400
    assert client.post(f'/account/tokens/{token.id}/revoke').status_code == 400
    assert _me(client, plain) == 200
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.name == 'HR')) is None


def test_the_menu_of_every_logged_in_person_links_to_the_page(client, db, nino, english):
    assert 'href="/account/tokens"' in client.get('/home').text


def test_the_georgian_page_shows_no_english(client, db, nino):
    token, _ = _token(db, nino, 'კადრების სისტემა')
    client.post(f'/account/tokens/{token.id}/revoke')
    _token(db, nino, 'სკრიპტი')
    pages = [
        client.post('/account/tokens', data={'name': 'ანგარიშგება'}).text,
        client.get(f'/account/tokens/{token.id}/revoke').text,
        client.post('/account/tokens', data={'name': ''}).text,
        client.post('/account/tokens', data={'name': 'ა' * 101}).text,
    ]
    for html in pages:
        text = re.sub(r'<code[^>]*>.*?</code>', ' ', _main(html), flags=re.S)
        text = re.sub(r'<[^>]+>', ' ', text)
        assert 'წვდომის ტოკენები' in text or 'გაუქმებულია' in text
        assert not re.findall(r'[A-Za-z]{2,}', text), text


def test_the_page_shows_when_each_token_expires_and_was_last_used(client, db, english, nino):
    fresh, fresh_plain = _token(db, nino, 'HR system')
    old, _ = _token(db, nino, 'Old script')
    old.expires_at = datetime.now(UTC) - timedelta(days=2)
    db.session.commit()
    _me(client, fresh_plain)

    page = _main(client.get('/account/tokens').text)

    assert 'Expires' in page and 'Last used' in page
    assert 'A new token works for 90 days; then make another.' in page
    rows = {
        name: row
        for row in page.split('<tr')[1:]
        for name in ('HR system', 'Old script')
        if name in row
    }
    assert 'Active' in rows['HR system'] and 'never' not in rows['HR system']
    assert 'Expired on' in rows['Old script']
    assert 'Revoke' not in rows['Old script']
    assert f'/account/tokens/{fresh.id}/revoke' in rows['HR system']
