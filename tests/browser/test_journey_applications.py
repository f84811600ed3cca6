"""Journey 6: a newcomer applies from the catalogue and withdraws; a freed seat is offered.

A newcomer on a phone finds an event open for applications by searching the catalogue,
registers on its apply form (their name, e-mail, password, sector, an organisation found
by typing part of its name into the picker, where they live, why, consent), is told to
check their mail, opens the link of the e-mail written to the outbox and finishes
registering with its button, which files the application and logs them in on their
applications page; they withdraw with the confirmation step.

Then a full event (set up through the services: one seat, one person accepted, one
waitlisted): the accepted person withdraws on their phone, the seat is offered to the
waitlisted one, who finds the offer on their applications page and confirms it. Both
e-mails they get are written, in Georgian, to the outbox.
"""

import re
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.catalogue.service import add_session, create_offering
from lms.enrollments.service import enroll
from lms.extensions import academy_today, academy_zone, db
from lms.models import Course, Offering, OutboxMessage, User
from lms.people.service import create_user
from lms.permissions import applications_state
from tests.browser.conftest import PASSWORD
from tests.browser.journeys import PHONE, assert_error_announced, log_in

pytestmark = pytest.mark.browser

STATUS = {'applied': 'შეტანილი', 'withdrawn': 'გამოთხოვილი', 'accepted': 'მიღებული'}
SENT = 'თქვენი განაცხადი გაიგზავნა.'
CHECK_MAIL = 'შეამოწმეთ ელ. ფოსტა'
OFFERED = 'ადგილი შემოთავაზებულია'
SEAT_IS_YOURS = 'ადგილი თქვენია: მიღებული ხართ. შეხვედრამდე!'
GEORGIAN = re.compile('[\u10d0-\u10ff]')
NEWCOMER = {
    'full_name_ka': 'ნინო ბერიძე',
    'email': 'nino.beridze@example.ge',
    'password': 'ნინოს გრძელი პაროლი 2026',
    'motivation': 'ჩვენს სოფელში მოქალაქეთა ბიუჯეტის დანერგვა მინდა.',
}


@pytest.fixture(scope='module')
def events(academy):
    """The event the newcomer applies to (open for applications), and a full one: one
    seat, held by an accepted person, with a waitlisted person next in line."""
    with academy['app'].app_context():
        today = academy_today()
        open_ones = db.session.scalars(
            select(Offering).where(Offering.starts_on > today).order_by(Offering.starts_on)
        ).all()
        offering = next(o for o in open_ones if applications_state(o) == 'open')
        admin = db.session.scalar(select(User).where(User.email == academy['accounts']['admin']))
        course = db.session.scalar(select(Course).where(Course.id != offering.course_id))
        starts_on = today + timedelta(days=20)
        full = create_offering(
            {
                'course_id': course.id,
                'starts_on': starts_on,
                'ends_on': starts_on,
                'location': 'ზუგდიდი, საკრებულოს დარბაზი',
                'capacity': 1,
            },
            actor=admin,
        )
        begins = datetime.combine(starts_on, time(10), academy_zone())
        add_session(
            full, {'starts_at': begins, 'ends_at': begins + timedelta(hours=4)}, actor=admin
        )
        people = {}
        for key, name, status in (
            ('accepted', 'გიორგი კაპანაძე', 'accepted'),
            ('waitlisted', 'მარიამ ჯავახიშვილი', 'waitlisted'),
        ):
            person = create_user(
                {'email': f'{key}@example.test', 'full_name_ka': name, 'password': PASSWORD},
                actor=admin,
            )
            enroll(full, {'user_id': person.id, 'status': status}, actor=admin, tell=False)
            people[key] = person.email
        facts = {
            'open': (offering.id, offering.course.title_ka),
            'full': (full.id, course.title_ka),
            'people': people,
        }
        db.session.commit()
    return facts


def application(page, offering_id):
    """The applications page's entry for the offering."""
    entry = page.locator('main .list-group-item').filter(
        has=page.locator(f'a[href="/catalogue/offerings/{offering_id}"]')
    )
    expect(entry).to_have_count(1)
    return entry


def test_a_newcomer_applies_and_withdraws_on_a_phone(journey, academy, events):
    offering_id, title = events['open']
    page = journey.open(PHONE)
    page.goto('/')
    page.locator('.navbar-toggler').tap()
    with page.expect_navigation():
        page.locator('#mainnav a[href="/catalogue/"]').tap()
    page.fill('main form[role="search"] input[name="q"]', title.split()[0])
    with page.expect_navigation():
        page.locator('main form[role="search"] button[type="submit"]').tap()
    journey.look(page, 'catalogue-search')
    with page.expect_navigation():
        page.locator(f'main a[href="/catalogue/offerings/{offering_id}"]').tap()
    journey.look(page, 'offering')
    with page.expect_navigation():
        page.locator(f'main a[href="/catalogue/offerings/{offering_id}/apply"]').first.tap()
    journey.look(page, 'apply-form', keyboard=True)

    # Sent without consent: the form keeps what was typed and says what is missing.
    page.fill('#full_name_ka', NEWCOMER['full_name_ka'])
    page.fill('#email', NEWCOMER['email'])
    page.fill('#password', NEWCOMER['password'])
    page.select_option('#sector', 'cso')
    found = page.locator('[data-picker-results] input[type="radio"]')
    assert found.count() == 0  # no organisation is listed before anyone asks
    page.locator('[data-picker-query]').fill('ქუთ')  # found as they type, in place
    expect(found.first).to_be_visible()
    chosen = found.first.get_attribute('id')
    page.locator(f'label[for="{chosen}"]').tap()
    expect(page.locator(f'#{chosen}')).to_be_checked()
    municipality = page.locator('#residence_municipality_id option[value]:not([value=""])').nth(3)
    page.select_option('#residence_municipality_id', municipality.get_attribute('value'))
    page.fill('#motivation', NEWCOMER['motivation'])
    with page.expect_navigation():
        page.locator('main form button[type="submit"]:not([data-picker-find])').tap()
    assert page.url.endswith(f'/catalogue/offerings/{offering_id}/apply')
    assert_error_announced(page, '#consent', page.locator('#consent-error').inner_text())
    expect(page.locator('#email')).to_have_value(NEWCOMER['email'])
    journey.look(page, 'apply-without-consent', both=False)

    page.fill('#password', NEWCOMER['password'])  # a password field is never sent back
    page.locator('label[for="consent"]').tap()
    with page.expect_navigation():
        page.locator('main form button[type="submit"]:not([data-picker-find])').tap()
    expect(page.locator('main h1')).to_contain_text(CHECK_MAIL)
    expect(page.locator('main')).to_contain_text(NEWCOMER['email'])
    assert page.locator('.invalid-feedback').count() == 0
    journey.look(page, 'check-your-mail', both=False)  # a POST's answer: not shown again

    # The link in the e-mail, in Georgian, names the event; its page's button finishes.
    with academy['app'].app_context():
        (mail,) = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.to_address == NEWCOMER['email'],
                OutboxMessage.template == 'registration_link',
            )
        ).all()
    assert mail.locale == 'ka' and GEORGIAN.search(mail.subject), mail.subject
    assert title in mail.text_body
    (link,) = {*re.findall(r'https?://\S+/register/\S+', mail.text_body)}
    page.goto(link)
    journey.look(page, 'finish-registration', keyboard=True)
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').tap()
    assert page.url.endswith('/account/applications'), page.locator(
        '.invalid-feedback, .alert'
    ).all_inner_texts()
    expect(page.locator('.alert-success')).to_contain_text(SENT)
    entry = application(page, offering_id)
    expect(entry).to_contain_text(STATUS['applied'])
    journey.look(page, 'my-applications')

    with page.expect_navigation():
        entry.locator('a[href$="/withdraw"]').tap()
    journey.look(page, 'withdraw-confirm', keyboard=True)
    with page.expect_navigation():
        page.locator('main form button.btn-danger[type="submit"]').tap()
    entry = application(page, offering_id)
    expect(entry).to_contain_text(STATUS['withdrawn'])
    expect(entry.locator('a[href$="/withdraw"]')).to_have_count(0)
    journey.look(page, 'withdrawn')


def test_a_freed_seat_is_offered_to_the_waitlist_and_confirmed(journey, academy, events):
    offering_id, _title = events['full']
    accepted = journey.open(PHONE)
    log_in(accepted, events['people']['accepted'])
    accepted.goto('/account/applications')
    with accepted.expect_navigation():
        application(accepted, offering_id).locator('a[href$="/withdraw"]').tap()
    with accepted.expect_navigation():
        accepted.locator('main form button.btn-danger[type="submit"]').tap()
    expect(application(accepted, offering_id)).to_contain_text(STATUS['withdrawn'])

    waiting = journey.open(PHONE)
    log_in(waiting, events['people']['waitlisted'])
    waiting.locator('.navbar-toggler').tap()
    with waiting.expect_navigation():
        waiting.locator('#mainnav a[href="/account/applications"]').tap()
    entry = application(waiting, offering_id)
    expect(entry).to_contain_text(OFFERED)
    journey.look(waiting, 'seat-offered', keyboard=True)
    with waiting.expect_navigation():
        application(waiting, offering_id).locator('form[action$="/confirm"] button').tap()
    expect(waiting.locator('.alert-success')).to_have_text(SEAT_IS_YOURS)
    entry = application(waiting, offering_id)
    expect(entry).to_contain_text(STATUS['accepted'])
    journey.look(waiting, 'seat-confirmed')

    with academy['app'].app_context():
        mail = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == events['people']['waitlisted'])
            .order_by(OutboxMessage.id)
        ).all()
    assert [m.template for m in mail] == ['seat_offered', 'application_accepted']
    for message in mail:
        assert message.locale == 'ka', (message.template, message.locale)
        assert GEORGIAN.search(message.subject), message.subject
        assert f'/catalogue/offerings/{offering_id}' in message.text_body or (
            '/account/applications' in message.text_body
        ), message.text_body
