"""Applications through their real paths: the form (newcomers and people with an account,
consent), "My applications" (withdrawing, answering a seat offer), the admins' queue
(filters, bulk decisions within capacity) and the seat machinery, with the e-mails each
change writes to the outbox."""

import re
import threading
from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from lms.catalogue.service import update_offering
from lms.enrollments import consent, seats, tasks
from lms.enrollments.service import decide_many, event_starts_at, withdraw
from lms.errors import Conflict
from lms.extensions import academy_today, utcnow
from lms.models import (
    AuditEntry,
    Enrollment,
    Offering,
    OutboxMessage,
    PendingRegistration,
    User,
)
from tests.lms.lists import OFFERING_LIST_PAGES, pager_link
from tests.lms.registering import finish_registration, links
from tests.statements import statements_of_page


@pytest.fixture
def english(client):
    """Pages in English, so that messages can be checked by their source text."""
    with client.session_transaction() as session:
        session['locale'] = 'en'


@pytest.fixture
def kutaisi(create_organization):
    return create_organization(name_ka='ქუთაისი', name_en='Kutaisi', kind='municipality')


@pytest.fixture
def offering(app, create_offering, create_course):
    """A published training in a fortnight, taking applications, with 2 places."""
    today = academy_today()
    course = create_course(title_ka='სამოქალაქო ბიუჯეტი', title_en='Civil budget')
    return create_offering(
        course=course,
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=15),
        capacity=2,
    )


@pytest.fixture
def answers(kutaisi):
    return {
        'sector': 'civil_servant',
        'organization_id': str(kutaisi.id),
        'position': 'სპეციალისტი',
        'residence_municipality_id': str(kutaisi.id),
        'motivation': 'მინდა ვისწავლო.',
        'consent': 'y',
    }


@pytest.fixture
def admin(create_user, login):
    return login(create_user(role='admin'))


def _apply_url(offering):
    return f'/catalogue/offerings/{offering.id}/apply'


def _mails(db, template=None, user=None):
    db.session.expire_all()
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        stmt = stmt.where(OutboxMessage.template == template)
    if user:
        stmt = stmt.where(OutboxMessage.user_id == user.id)
    return db.session.scalars(stmt).all()


def _status(db, enrollment):
    db.session.expire_all()
    return db.session.get(Enrollment, enrollment.id)


def _waitlisted(create_enrollment, offering, create_user, minutes):
    """A waitlisted person who applied `minutes` ago (the order of the waitlist)."""
    enrollment = create_enrollment(offering, create_user(), 'waitlisted')
    enrollment.applied_at = utcnow() - timedelta(minutes=minutes)
    return enrollment


# -- the application form --------------------------------------------------------------


def test_a_newcomer_applies_and_the_link_mailed_to_them_files_it(
    client, db, offering, answers, kutaisi
):
    page = client.get(_apply_url(offering)).text
    assert 'name="password"' in page and 'name="consent"' in page
    assert consent.notice(consent.CURRENT, 'ka')[0] in page  # the notice, in Georgian
    assert 'data-picker ' in page and 'name="organization_q"' in page  # the picker
    response = client.post(
        _apply_url(offering),
        data={
            **answers,
            'full_name_ka': 'ნინო ბერიძე',
            'email': 'Nino@Example.org',
            'password': 'a long secret',
        },
    )
    # Nothing is made yet: the link in the mail finishes it.
    assert response.status_code == 200 and 'name="password"' not in response.text
    assert db.session.scalar(select(User)) is None
    assert db.session.scalar(select(Enrollment)) is None
    assert _mails(db, 'application_received') == []
    assert client.get('/account/applications').status_code == 302  # not logged in
    finished = finish_registration(client, db, 'nino@example.org')
    assert finished.status_code == 302 and finished.location == '/account/applications'
    person = db.session.scalar(select(User).where(User.email == 'nino@example.org'))
    assert person.role == 'participant' and person.full_name_en == 'Nino Beridze'
    assert person.email_confirmed_at is not None
    assert (person.sector, person.organization_id, person.position) == (
        'civil_servant',
        kutaisi.id,
        'სპეციალისტი',
    )
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == person.id))
    assert enrollment.status == 'applied'
    assert (enrollment.sector, enrollment.organization_id, enrollment.position) == (
        'civil_servant',
        kutaisi.id,
        'სპეციალისტი',
    )
    assert enrollment.residence_municipality_id == kutaisi.id
    assert enrollment.consent_version == consent.CURRENT and enrollment.consented_at is not None
    # Logged in by the link: their applications page is theirs.
    mine = client.get('/account/applications')
    assert mine.status_code == 200 and 'სამოქალაქო ბიუჯეტი' in mine.text
    [mail] = _mails(db, 'application_received')
    assert mail.to_address == 'nino@example.org' and mail.locale == 'ka'
    assert 'სამოქალაქო ბიუჯეტი' in mail.subject and 'Application received' not in mail.subject
    assert '/account/applications' in mail.text_body


def test_a_newcomer_with_a_bad_password_keeps_what_they_typed_and_nothing_is_made(
    client, db, offering, answers
):
    response = client.post(
        _apply_url(offering),
        data={**answers, 'full_name_ka': 'ნინო', 'email': 'n@example.org', 'password': 'short'},
    )
    assert response.status_code == 422
    assert 'value="სპეციალისტი"' in response.text and 'is-invalid' in response.text
    assert db.session.scalar(select(User)) is None
    assert db.session.scalar(select(Enrollment)) is None


def test_a_known_email_gets_the_same_page_and_its_owner_a_mail_that_brings_back_the_draft(
    client, db, offering, answers, create_user
):
    person = create_user(email='giorgi@example.org', password='correct horse', position=None)
    response = client.post(
        _apply_url(offering),
        data={
            **answers,
            'position': 'მრჩეველი',
            'full_name_ka': 'გიორგი',
            'email': 'giorgi@example.org',
            'password': 'whatever one',
        },
    )
    assert response.status_code == 200  # "check your mail", as for any address
    assert db.session.scalar(select(Enrollment)) is None
    assert db.session.scalar(select(PendingRegistration)) is None
    [mail] = _mails(db, 'registration_attempt')
    assert mail.to_address == 'giorgi@example.org' and mail.user_id == person.id
    login_link = next(link for link in links(mail.text_body) if '/login' in link)
    target = urlsplit(login_link)
    login = client.post(
        f'{target.path}?{target.query}',
        data={'email': 'giorgi@example.org', 'password': 'correct horse'},
    )
    assert login.location == _apply_url(offering)
    form = client.get(login.location).text
    assert 'value="მრჩეველი"' in form and 'მინდა ვისწავლო.' in form
    assert 'name="password"' not in form
    client.post(_apply_url(offering), data={**answers, 'position': 'მრჩეველი'})
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == person.id))
    assert enrollment.position == 'მრჩეველი'
    assert db.session.get(User, person.id).position == 'მრჩეველი'  # was empty: filled in
    assert db.session.get(User, person.id).check_password('correct horse')  # unchanged


def test_consent_is_required(client, db, login, create_user, offering, answers, english):
    login(create_user())
    response = client.post(_apply_url(offering), data={**answers, 'consent': ''})
    assert response.status_code == 422
    assert 'Please agree to the processing of your data to apply.' in response.text
    assert db.session.scalar(select(Enrollment)) is None
    assert _mails(db) == []


def test_a_person_with_an_account_sees_the_form_filled_from_their_profile(
    client, login, create_user, offering, kutaisi, english
):
    login(create_user(position='მენეჯერი', organization_id=kutaisi.id, sector='cso'))
    page = client.get(_apply_url(offering)).text
    assert 'value="მენეჯერი"' in page
    assert re.search(rf'name="organization_id" [^>]*value="{kutaisi.id}" checked>', page)
    assert 'Kutaisi' in page
    assert '<option selected value="cso">' in page
    assert 'name="email"' not in page


def test_an_unlisted_organisation_needs_its_name(
    client, db, login, create_user, offering, answers, english
):
    person = login(create_user())
    missing = client.post(_apply_url(offering), data={**answers, 'organization_id': 'other'})
    assert missing.status_code == 422 and 'Type the name of your organisation.' in missing.text
    client.post(
        _apply_url(offering),
        data={**answers, 'organization_id': 'other', 'organization_other': 'ახალი ორგანიზაცია'},
    )
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == person.id))
    assert (enrollment.organization_id, enrollment.organization_other) == (
        None,
        'ახალი ორგანიზაცია',
    )


def test_a_wrong_organisation_is_announced_with_its_field(
    client, db, login, create_user, offering, answers, english
):
    login(create_user())
    page = client.post(_apply_url(offering), data={**answers, 'organization_id': '999999'})
    assert page.status_code == 422
    field = re.search(r'<div[^>]*id="organization_id"[^>]*>', page.text).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="organization_id-error organization_id-help"' in field
    error = re.search(r'<div id="organization_id-error">(.*?)</div></div>', page.text, re.S)
    assert error and 'Not a valid choice' in error.group(1)
    assert (
        db.session.scalar(select(Enrollment).where(Enrollment.offering_id == offering.id)) is None
    )


def test_the_api_keeps_its_contract_and_tells_the_applicant(api, db, offering, create_user):
    person = create_user()
    response = api('POST', f'/api/v1/offerings/{offering.id}/enrollments', person, json={})
    assert response.status_code == 201 and response.json['status'] == 'applied'
    assert [m.template for m in _mails(db, user=person)] == ['application_received']


# -- my applications: withdrawing --------------------------------------------------------


def test_withdrawing_before_the_start_asks_first_then_withdraws(
    client, db, login, create_user, create_enrollment, offering, english
):
    person = login(create_user())
    enrollment = create_enrollment(offering, person, 'applied')
    url = f'/account/applications/{enrollment.id}/withdraw'
    assert url in client.get('/account/applications').text
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'Withdraw my application' in confirm.text
    assert _status(db, enrollment).status == 'applied'  # asking changes nothing
    done = client.post(url, follow_redirects=True)
    assert 'is withdrawn' in done.text
    enrollment = _status(db, enrollment)
    assert enrollment.status == 'withdrawn' and enrollment.withdrawn_at is not None
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == 'enrollment.status_changed')
    )
    assert entry.actor_id == person.id and entry.data['after'] == {'status': 'withdrawn'}


def test_after_the_start_withdrawing_is_refused_in_words(
    client, db, login, create_user, create_enrollment, create_offering, english
):
    today = academy_today()
    started = create_offering(starts_on=today - timedelta(days=1), ends_on=today + timedelta(1))
    person = login(create_user())
    enrollment = create_enrollment(started, person, 'accepted')
    url = f'/account/applications/{enrollment.id}/withdraw'
    assert url not in client.get('/account/applications').text
    assert 'can no longer be withdrawn' in client.get(url).text
    refused = client.post(url, data={'next': '/account/applications'}, follow_redirects=True)
    assert 'The event has already started' in refused.text
    assert _status(db, enrollment).status == 'accepted'


def test_the_start_is_tbilisi_time(app, create_offering):
    """An offering without sessions starts at midnight in Tbilisi (20:00 UTC the day before)."""
    day = datetime(2026, 6, 1).date()
    offering = create_offering(sessions=0, starts_on=day, ends_on=day)
    assert event_starts_at(offering) == datetime(2026, 5, 31, 20, 0, tzinfo=UTC)


def test_nobody_withdraws_someone_elses_application(
    client, db, login, create_user, create_enrollment, offering
):
    enrollment = create_enrollment(offering, create_user(), 'applied')
    login(create_user())
    assert client.post(f'/account/applications/{enrollment.id}/withdraw').status_code == 404
    assert _status(db, enrollment).status == 'applied'


def test_the_applications_page_is_in_the_menu_of_participants(client, login, create_user):
    login(create_user())
    assert 'href="/account/applications"' in client.get('/catalogue/').text


# -- the admins' queue ------------------------------------------------------------------


def _decide(client, offering, enrollments, status):
    return client.post(
        f'/admin/offerings/{offering.id}/applications/decide',
        data={
            'status': status,
            'enrollment_ids': [str(e.id) for e in enrollments],
            'next': f'/admin/offerings/{offering.id}/applications',
        },
        follow_redirects=True,
    )


def test_the_queue_shows_what_applicants_told_and_filters(
    client,
    db,
    admin,
    offering,
    create_user,
    create_enrollment,
    kutaisi,
    create_organization,
    english,
):
    batumi = create_organization(name_ka='ბათუმი', name_en='Batumi', kind='municipality')
    nino = create_enrollment(
        offering, create_user(email='nino@example.test', gender='female'), 'applied'
    )
    nino.sector, nino.residence_municipality_id, nino.position = 'cso', kutaisi.id, 'კოორდინატორი'
    nino.consent_version, nino.consented_at = consent.CURRENT, utcnow()
    nino.organization_other = 'ახალი ორგანიზაცია'
    giorgi = create_enrollment(
        offering, create_user(email='giorgi@example.test', gender='male'), 'applied'
    )
    giorgi.sector, giorgi.residence_municipality_id = 'citizen', batumi.id
    url = f'/admin/offerings/{offering.id}/applications'
    page = client.get(url).text
    assert 'nino@example.test' in page and 'giorgi@example.test' in page
    assert 'კოორდინატორი' in page and 'ახალი ორგანიზაცია' in page and consent.CURRENT in page
    assert 'Select all on this page' in page
    for query in (
        '?sector=cso',
        f'?residence_id={kutaisi.id}',
        '?gender=female',
        '?status=applied&gender=female',
    ):
        filtered = client.get(url + query).text
        assert 'nino@example.test' in filtered and 'giorgi@example.test' not in filtered, query
    assert 'nino@example.test' not in client.get(url + '?status=accepted').text


@pytest.mark.app_config(PER_PAGE=1)
@pytest.mark.parametrize('url', OFFERING_LIST_PAGES.values())
def test_the_queue_has_pages_and_forgives_any_page_number(
    client, admin, offering, create_user, create_enrollment, url
):
    for _ in range(2):
        create_enrollment(offering, create_user(), 'applied')
    url = url.format(id=offering.id)
    next_page = pager_link(client.get(url), 'next')
    assert next_page.startswith(f'{url}?after=')
    assert 'name="enrollment_ids"' in client.get(next_page).text
    for text in ('abc', '', '0', '-1', '99999', '9' * 5000):
        for name in ('page', 'after', 'before'):
            assert client.get(url, query_string={name: text}).status_code == 200, text


def test_bulk_accept_within_capacity(client, db, admin, offering, create_user, create_enrollment):
    applicants = [create_enrollment(offering, create_user(), 'applied') for _ in range(2)]
    page = _decide(client, offering, applicants, 'accepted')
    assert '2 განაცხადი: მიღებული.' in page.text  # the page speaks Georgian
    assert {_status(db, e).status for e in applicants} == {'accepted'}
    assert len(_mails(db, 'application_accepted')) == 2


def test_a_hundred_applications_are_decided_in_one_action(
    client, db, admin, offering, create_user, create_enrollment
):
    offering.capacity = 120
    applicants = [create_enrollment(offering, create_user(), 'applied') for _ in range(100)]
    url = f'/admin/offerings/{offering.id}/applications'
    page = client.get(url, query_string={'per_page': '100', 'select': 'all'})
    ticked = re.findall(r'name="enrollment_ids" value="(\d+)"[^>]*checked', page.text)
    assert sorted(map(int, ticked)) == sorted(e.id for e in applicants)
    client.post(
        f'{url}/decide',
        data={'status': 'accepted', 'enrollment_ids': ticked, 'next': url},
    )
    assert {_status(db, e).status for e in applicants} == {'accepted'}
    assert len(_mails(db, 'application_accepted')) == 100
    # Page sizes other than those offered fall back to the first.
    assert (
        client.get(url, query_string={'per_page': '100000'}).text.count('name="enrollment_ids"')
        == 25
    )


def test_a_bulk_accept_over_capacity_is_refused_whole(
    client, db, admin, offering, create_user, create_enrollment, english
):
    create_enrollment(offering, create_user(), 'accepted')
    applicants = [create_enrollment(offering, create_user(), 'applied') for _ in range(3)]
    page = _decide(client, offering, applicants, 'accepted')
    assert 'Only 1 places left; you selected 3.' in page.text
    assert {_status(db, e).status for e in applicants} == {'applied'}
    assert _mails(db) == []


def test_bulk_waitlist_and_reject_tell_each_person(
    client, db, admin, offering, create_user, create_enrollment
):
    first, second = (create_enrollment(offering, create_user(), 'applied') for _ in range(2))
    _decide(client, offering, [first], 'waitlisted')
    _decide(client, offering, [second], 'rejected')
    assert _status(db, first).status == 'waitlisted'
    assert _status(db, second).status == 'rejected'
    assert [m.template for m in _mails(db)] == ['application_waitlisted', 'application_rejected']


def test_an_admin_promotes_a_waitlisted_person_within_capacity(
    client, db, admin, offering, create_user, create_enrollment, english
):
    create_enrollment(offering, create_user(), 'accepted')
    waiting = [_waitlisted(create_enrollment, offering, create_user, m) for m in (30, 20)]
    _decide(client, offering, waiting[:1], 'accepted')
    assert _status(db, waiting[0]).status == 'accepted'
    refused = _decide(client, offering, waiting[1:], 'accepted')
    assert 'The offering is full (2 places).' in refused.text
    assert _status(db, waiting[1]).status == 'waitlisted'


# -- freed seats -------------------------------------------------------------------------


@pytest.fixture
def full(offering, create_user, create_enrollment):
    """The offering's 2 places taken, and two people waiting (first, then second)."""
    accepted = [create_enrollment(offering, create_user(), 'accepted') for _ in range(2)]
    first = _waitlisted(create_enrollment, offering, create_user, 30)
    second = _waitlisted(create_enrollment, offering, create_user, 10)
    return accepted, first, second


def _assert_offered(db, enrollment, app):
    enrollment = _status(db, enrollment)
    assert enrollment.status == 'waitlisted' and enrollment.offered_until is not None
    hours = app.config['SEAT_OFFER_HOURS']
    assert enrollment.offered_until - utcnow() <= timedelta(hours=hours)
    assert enrollment.offered_until - utcnow() > timedelta(hours=hours - 1)
    [mail] = _mails(db, 'seat_offered', enrollment.user)
    assert '/account/applications' in mail.text_body
    return enrollment


def test_a_withdrawal_offers_the_seat_to_the_first_in_line(app, client, db, login, full):
    (accepted, _), first, second = full
    login(accepted.user)
    client.post(f'/account/applications/{accepted.id}/withdraw')
    _assert_offered(db, first, app)
    assert _status(db, second).offered_until is None
    assert seats.places_left(first.offering) == 0  # the offer holds the seat


def test_rejecting_an_accepted_person_offers_the_seat(app, client, db, admin, full):
    (accepted, _), first, _second = full
    client.post(f'/admin/enrollments/{accepted.id}/status', data={'status': 'rejected'})
    _assert_offered(db, first, app)
    assert [m.template for m in _mails(db, user=accepted.user)] == ['application_rejected']


def test_raising_the_capacity_offers_the_new_seats(app, db, admin, full, offering):
    (_, _), first, second = full
    values = {
        'course_id': offering.course_id,
        'starts_on': offering.starts_on,
        'ends_on': offering.ends_on,
        'location': offering.location,
        'capacity': 4,
    }
    update_offering(offering, values, actor=admin)
    db.session.commit()
    _assert_offered(db, first, app)
    _assert_offered(db, second, app)


def test_the_offered_person_confirms_and_is_accepted(client, db, login, full, english):
    (accepted, _), first, _second = full
    withdraw(accepted, actor=accepted.user)
    login(first.user)
    page = client.get('/account/applications').text
    assert 'Seat offered until' in page and 'Confirm my seat' in page
    client.post(f'/account/applications/{first.id}/confirm')
    first = _status(db, first)
    assert first.status == 'accepted' and first.offered_until is None
    assert [m.template for m in _mails(db, user=first.user)] == [
        'seat_offered',
        'application_accepted',
    ]


def test_declining_passes_the_seat_to_the_next(app, client, db, login, full):
    (accepted, _), first, second = full
    withdraw(accepted, actor=accepted.user)
    login(first.user)
    client.post(f'/account/applications/{first.id}/decline')
    first = _status(db, first)
    assert first.status == 'waitlisted' and first.offer_lapsed_at is not None
    _assert_offered(db, second, app)


def test_an_offer_lapses_by_the_periodic_job_and_the_next_is_offered(app, db, full):
    (accepted, _), first, second = full
    withdraw(accepted, actor=None)
    db.session.commit()
    later = utcnow() + timedelta(hours=app.config['SEAT_OFFER_HOURS'], minutes=1)
    # Without the job, an expired offer already holds no seat.
    assert seats.places_left(first.offering, later) == 1
    assert tasks.lapse_offers(now=later) == 1
    first, second = _status(db, first), _status(db, second)
    assert first.offer_lapsed_at == later
    assert second.offered_until == later + timedelta(hours=app.config['SEAT_OFFER_HOURS'])
    assert len(_mails(db, 'seat_offered', second.user)) == 1
    assert tasks.lapse_offers(now=later) == 0  # nothing more to do


def test_an_expired_offer_is_lapsed_when_the_person_looks(app, client, db, login, full, english):
    (accepted, _), first, second = full
    withdraw(accepted, actor=None)
    login(first.user)
    later = utcnow() + timedelta(hours=app.config['SEAT_OFFER_HOURS'], minutes=1)
    with mock.patch('lms.enrollments.seats.utcnow', return_value=later):
        page = client.get('/account/applications').text
    assert 'Confirm my seat' not in page
    assert _status(db, first).offer_lapsed_at is not None
    assert _status(db, second).offered_until is not None
    refused = client.post(
        f'/account/applications/{first.id}/confirm',
        data={'next': '/account/applications'},
        follow_redirects=True,
    )
    assert 'No seat is offered to you on this application any more.' in refused.text
    assert _status(db, first).status == 'waitlisted'


def test_the_waitlist_place_is_shown(client, login, full, english):
    _, _first, second = full
    login(second.user)
    assert 'Place 2 on the waitlist' in client.get('/account/applications').text


def test_waitlist_places_in_many_offerings_take_one_query(
    client, db, login, create_user, create_offering, create_enrollment, english
):
    """Each place counts only those still in line in its own offering (not someone whose
    offer lapsed); a person waitlisted in more offerings costs the page no more statements."""
    me = login(create_user())
    crowded, quiet = create_offering(), create_offering()
    create_enrollment(crowded, create_user(), 'waitlisted')
    create_enrollment(crowded, create_user(), 'waitlisted').offer_lapsed_at = utcnow()
    create_enrollment(crowded, me, 'waitlisted')
    create_enrollment(quiet, me, 'waitlisted')
    create_enrollment(quiet, create_user(), 'waitlisted')
    db.session.commit()
    page = client.get('/account/applications').text
    assert page.count('Place 2 on the waitlist') == 1
    assert page.count('Place 1 on the waitlist') == 1
    few = statements_of_page(client, '/account/applications')
    for _ in range(4):
        offering = create_offering()
        create_enrollment(offering, create_user(), 'waitlisted')
        create_enrollment(offering, me, 'waitlisted')
    db.session.commit()
    assert statements_of_page(client, '/account/applications') == few
    assert client.get('/account/applications').text.count('Place 2 on the waitlist') == 5


# -- e-mails in the recipient's language ------------------------------------------------


def test_mail_goes_in_the_recipients_language(db, create_user, create_enrollment, offering):
    english_reader = create_user(locale='en')
    georgian_reader = create_user()
    for person in (english_reader, georgian_reader):
        decide_many(
            offering,
            [create_enrollment(offering, person, 'applied').id],
            'waitlisted',
            actor=None,
        )
    [en] = _mails(db, user=english_reader)
    [ka] = _mails(db, user=georgian_reader)
    assert en.locale == 'en' and en.subject == 'On the waitlist: Civil budget'
    assert 'You receive this because you applied' in en.text_body
    assert ka.locale == 'ka' and 'სამოქალაქო ბიუჯეტი' in ka.subject
    assert 'On the waitlist' not in ka.subject and 'You receive this' not in ka.text_body


def test_the_seat_offer_states_its_deadline_in_the_readers_language(
    db, create_user, create_enrollment, offering
):
    offering.capacity = 1
    waiting = create_enrollment(offering, create_user(locale='en'), 'waitlisted')
    seats.offer_free_seats(offering, now=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    [mail] = _mails(db, 'seat_offered')
    assert waiting.offered_until == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert '12:00' in mail.text_body and 'March' in mail.text_body  # Tbilisi is UTC+4


# -- two admins at once ------------------------------------------------------------------


def test_two_admins_at_once_never_exceed_capacity(
    app, db, create_user, create_enrollment, offering
):
    if db.engine.dialect.name != 'postgresql':
        pytest.skip('SQLite lets one writer at a time; the row lock is PostgreSQL’s')
    offering.capacity = 1
    ids = [create_enrollment(offering, create_user(), 'applied').id for _ in range(2)]
    offering_id = offering.id
    db.session.commit()
    barrier = threading.Barrier(2)
    outcomes = []

    def admin_decides(enrollment_id):
        with app.app_context():
            target = db.session.get(Offering, offering_id)
            barrier.wait()
            try:
                decide_many(target, [enrollment_id], 'accepted', actor=None)
                db.session.commit()
                outcomes.append('accepted')
            except Conflict:
                db.session.rollback()
                outcomes.append('refused')
            finally:
                db.session.remove()

    threads = [threading.Thread(target=admin_decides, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ['accepted', 'refused']
    db.session.expire_all()
    accepted = db.session.scalars(
        select(Enrollment).where(
            Enrollment.offering_id == offering_id, Enrollment.status == 'accepted'
        )
    ).all()
    assert len(accepted) == 1
