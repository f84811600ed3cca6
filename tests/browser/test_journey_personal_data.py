"""Journey 9: a participant takes their data away and asks to be forgotten.

On a phone the demo participant opens "My details", corrects their phone number, reads
everything the academy holds about them and downloads it as JSON (their certificates
and applications in it), then asks for erasure: a wrong password is refused beside the
field, the right one records the request. An admin, on a laptop, finds the request,
reads what goes and what stays, and erases. The participant's open page then belongs to
nobody (every session ended), their password no longer opens anything, and a third party
still verifies their certificate exactly as it was issued, in its holder's name. The
academy's figures do not move (the municipality they worked for stays reached), except
that their gender, erased, is now unknown in the breakdowns.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.extensions import db
from lms.models import User
from tests.browser.journeys import LAPTOP, PHONE, assert_error_announced, log_in

pytestmark = pytest.mark.browser

PHONE_NUMBER = '+995 599 12 34 56'


def open_menu_link(page, href):
    with page.expect_navigation():
        page.locator('.navbar-toggler').tap()
        page.locator(f'#mainnav a[href="{href}"]').tap()


def test_a_participant_downloads_their_data_and_is_forgotten(journey, academy):
    email = academy['accounts']['participant']
    [serial] = list(academy['held'])[:1]
    figures = journey.open(PHONE).request.get('/api/v1/stats').json()

    page = journey.open(PHONE)
    log_in(page, email)
    open_menu_link(page, '/account/profile')
    page.fill('input[name="phone"]', PHONE_NUMBER)
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').tap()
    expect(page.locator('.alert-success')).to_contain_text('შენახულია')
    journey.look(page, 'my-details')

    with page.expect_navigation():
        page.locator('a[href="/account/data"]').tap()
    body = page.locator('main')
    expect(body).to_contain_text(email)
    expect(body).to_contain_text(PHONE_NUMBER)
    expect(body).to_contain_text(serial)
    journey.look(page, 'my-data')

    with page.expect_download() as started:
        page.locator('a[href="/account/data.json"]').tap()
    held = json.loads(Path(started.value.path()).read_text(encoding='utf-8'))
    assert held['account']['email'] == email
    assert held['account']['phone'] == PHONE_NUMBER
    assert serial in {c['serial'] for c in held['certificates']}
    assert held['enrollments']

    with page.expect_navigation():
        page.locator('a[href="/account/erasure"]').tap()
    journey.look(page, 'ask-for-erasure', both=False)
    page.fill('input[name="password"]', 'not my password')
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').tap()
    assert_error_announced(page, 'input[name="password"]', 'პაროლი')
    page.fill('input[name="password"]', 'browser test password')
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').tap()
    assert page.url.endswith('/account/data')
    expect(page.locator('main')).to_contain_text('წაშლა მოითხოვეთ')

    admin = journey.open(LAPTOP)
    log_in(admin, academy['accounts']['admin'])
    admin.goto('/admin/erasures')
    request = admin.locator('.list-group-item', has_text='მოთხოვნილია')
    expect(request).to_have_count(1)
    journey.look(admin, 'erasure-requests')
    with admin.expect_navigation():
        request.locator('a.btn-outline-danger').click()
    expect(admin.locator('main')).to_contain_text('გაუქმება შეუძლებელია')
    journey.look(admin, 'erase-confirmation', both=False)
    with admin.expect_navigation():
        admin.locator('main form button[type="submit"]').click()
    expect(admin.locator('.alert-success')).to_be_visible()
    expect(admin.locator('main')).to_contain_text('მოლოდინში არავინაა')

    # The participant's page now belongs to nobody, and the password opens nothing.
    page.reload()
    page.goto('/account/data')
    assert '/login' in page.url
    log_in(page, email)
    assert '/login' in page.url
    expect(page.locator('main')).not_to_contain_text(PHONE_NUMBER)
    with academy['app'].app_context():
        erased = db.session.scalar(select(User).where(User.phone == PHONE_NUMBER))
        assert erased is None
        assert db.session.scalar(select(User).where(User.email == email)) is None

    # The certificate stays verifiable as issued; the figures stay as they were.
    visitor = journey.open(PHONE)
    visitor.goto(f'/verify/{serial}')
    expect(visitor.locator('#verdict')).to_have_text('მოქმედი')
    journey.look(visitor, 'verified-after-erasure', both=False)
    after = visitor.request.get('/api/v1/stats').json()
    genders = after.pop('participants_by_gender'), figures.pop('participants_by_gender')
    assert after == figures  # the municipality they worked for, their region: as they were
    assert sum(genders[0].values()) == sum(genders[1].values())
    assert genders[0]['unknown'] == genders[1]['unknown'] + 1  # their gender is erased
