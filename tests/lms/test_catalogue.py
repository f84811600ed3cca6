from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.extensions import academy_today
from lms.models import AuditEntry, Enrollment, OfferingSession
from lms.permissions import applications_state, can_apply


@pytest.fixture
def today(app):
    return academy_today()


@pytest.fixture
def english(client):
    """Pages in English, so that messages can be checked by their source text."""
    with client.session_transaction() as session:
        session['locale'] = 'en'


@pytest.fixture
def upcoming(create_offering, create_course, today):
    """A published training in a fortnight, applications open until next week."""
    course = create_course(
        title_ka='სამოქალაქო ბიუჯეტი', title_en='Civil budget', description_ka='აღწერა'
    )
    return create_offering(
        course=course,
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=15),
        applications_open_on=today - timedelta(days=7),
        applications_close_on=today + timedelta(days=7),
        capacity=20,
    )


@pytest.fixture
def answers(create_organization):
    """What the application form asks, filled in as a participant would."""
    municipality = create_organization(name_ka='ქუთაისი', name_en='Kutaisi', kind='municipality')
    return {
        'sector': 'civil_servant',
        'organization_id': str(municipality.id),
        'position': 'სპეციალისტი',
        'residence_municipality_id': str(municipality.id),
        'consent': 'y',
    }


def _offering(**fields):
    values = {
        'status': 'published',
        'starts_on': date(2026, 5, 10),
        'ends_on': date(2026, 5, 11),
        'applications_open_on': None,
        'applications_close_on': None,
    }
    return SimpleNamespace(**{**values, **fields})


@pytest.mark.parametrize(
    ('fields', 'state'),
    [
        ({}, 'open'),
        (
            {'applications_open_on': date(2026, 4, 1), 'applications_close_on': date(2026, 5, 1)},
            'open',
        ),
        ({'applications_close_on': date(2026, 3, 31)}, 'closed'),
        ({'applications_open_on': date(2026, 4, 2)}, 'not_yet_open'),
        ({'starts_on': date(2026, 3, 30), 'ends_on': date(2026, 3, 31)}, 'over'),
        ({'starts_on': date(2026, 3, 31), 'ends_on': date(2026, 4, 1)}, 'open'),
        ({'status': 'draft'}, 'not_published'),
        ({'status': 'completed'}, 'not_published'),
        ({'status': 'cancelled'}, 'not_published'),
    ],
)
def test_applications_are_open_only_while_published_not_over_and_within_the_window(fields, state):
    assert applications_state(_offering(**fields), today=date(2026, 4, 1)) == state


def test_only_participants_apply(create_user):
    offering = _offering()
    assert can_apply(create_user(), offering, today=date(2026, 4, 1))
    assert not can_apply(create_user(role='trainer'), offering, today=date(2026, 4, 1))
    assert not can_apply(create_user(role='admin'), offering, today=date(2026, 4, 1))


def test_the_catalogue_lists_published_offerings_only(
    client, create_offering, create_course, today
):
    for status in ('published', 'draft', 'completed', 'cancelled'):
        create_offering(
            course=create_course(title_ka=f'კურსი-{status}'),
            status=status,
            starts_on=today + timedelta(days=3),
            ends_on=today + timedelta(days=4),
        )
    page = client.get('/catalogue/')
    assert page.status_code == 200
    assert 'კურსი-published' in page.text
    for status in ('draft', 'completed', 'cancelled'):
        assert f'კურსი-{status}' not in page.text


def test_upcoming_offerings_come_first_soonest_first(client, create_offering, create_course, today):
    for title, days in (('ტესტი-წარსული', -30), ('ტესტი-შორს', 40), ('ტესტი-ახლოს', 5)):
        create_offering(
            course=create_course(title_ka=title),
            starts_on=today + timedelta(days=days),
            ends_on=today + timedelta(days=days + 1),
        )
    text = client.get('/catalogue/').text
    assert text.index('ტესტი-ახლოს') < text.index('ტესტი-შორს') < text.index('ტესტი-წარსული')


def test_kind_filter_and_search(client, create_offering, create_course, create_organization, today):
    telavi = create_organization(name_ka='თელავი', name_en='Telavi', kind='municipality')
    when = {'starts_on': today + timedelta(days=3), 'ends_on': today + timedelta(days=3)}
    create_offering(
        course=create_course(title_ka='პეტიციები', kind='training'), municipality=telavi, **when
    )
    create_offering(course=create_course(title_ka='ფორუმი', kind='forum'), **when)
    forums = client.get('/catalogue/?kind=forum').text
    assert 'ფორუმი' in forums and 'პეტიციები' not in forums
    found = client.get('/catalogue/?q=telavi').text
    assert 'პეტიციები' in found and 'ფორუმი' not in found
    assert client.get('/catalogue/?kind=nonsense').status_code == 200


def test_the_list_is_paginated(app, client, create_offering, create_course, today):
    app.config['PER_PAGE'] = 2
    course = create_course(title_ka='გვერდები')
    for days in (3, 4, 5):
        create_offering(
            course=course,
            starts_on=today + timedelta(days=days),
            ends_on=today + timedelta(days=days),
        )
    assert client.get('/catalogue/').text.count('/catalogue/offerings/') == 2
    assert client.get('/catalogue/?page=2').text.count('/catalogue/offerings/') == 1


def test_the_offering_page_is_in_georgian_first(client, upcoming):
    page = client.get(f'/catalogue/offerings/{upcoming.id}')
    assert page.status_code == 200
    assert 'სამოქალაქო ბიუჯეტი' in page.text and 'აღწერა' in page.text


def test_the_offering_page_speaks_english_when_asked(client, english, upcoming):
    # Set before the first request: Flask-Babel keeps the locale on `g`, which the test
    # client's requests share with the test's application context.
    assert 'Civil budget' in client.get(f'/catalogue/offerings/{upcoming.id}').text


def test_session_times_are_shown_in_tbilisi_time(client, db, create_offering):
    offering = create_offering(sessions=0, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 1))
    db.session.add(
        OfferingSession(
            offering=offering,
            starts_at=datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
            ends_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
            topic='პეტიციის შედგენა',
        )
    )
    db.session.commit()
    text = client.get(f'/catalogue/offerings/{offering.id}').text
    assert '10:00' in text and '13:30' in text and 'პეტიციის შედგენა' in text


def test_a_draft_is_not_found_by_the_public_but_seen_by_an_admin(
    client, login, create_offering, create_user
):
    draft = create_offering(status='draft')
    assert client.get(f'/catalogue/offerings/{draft.id}').status_code == 404
    login(create_user(role='participant'))
    assert client.get(f'/catalogue/offerings/{draft.id}').status_code == 404
    assert client.post(f'/catalogue/offerings/{draft.id}/apply').status_code == 404
    login(create_user(role='admin'))
    assert client.get(f'/catalogue/offerings/{draft.id}').status_code == 200


def test_a_participant_applies_once(client, db, login, english, create_user, upcoming, answers):
    person = login(create_user())
    apply_url = f'/catalogue/offerings/{upcoming.id}/apply'
    assert f'href="{apply_url}"' in client.get(f'/catalogue/offerings/{upcoming.id}').text
    assert 'name="consent"' in client.get(apply_url).text
    response = client.post(apply_url, data={**answers, 'motivation': 'მინდა ვისწავლო.'})
    assert response.status_code == 302
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == person.id))
    assert (enrollment.status, enrollment.motivation) == ('applied', 'მინდა ვისწავლო.')
    assert (
        db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == 'enrollment.created')
        ).actor_id
        == person.id
    )
    page = client.get(response.location).text
    assert 'Your application has been sent' in page and 'Applied' in page
    offering_page = client.get(f'/catalogue/offerings/{upcoming.id}').text
    assert f'href="{apply_url}"' not in offering_page and 'Applied' in offering_page
    home = client.get('/home').text
    assert f'/catalogue/offerings/{upcoming.id}' in home


def test_applying_twice_gives_a_message_not_an_error(
    client, db, login, english, create_user, upcoming, answers
):
    person = login(create_user())
    client.post(f'/catalogue/offerings/{upcoming.id}/apply', data=answers)
    again = client.post(
        f'/catalogue/offerings/{upcoming.id}/apply', data=answers, follow_redirects=True
    )
    assert again.status_code == 200
    assert 'You have already applied to this offering.' in again.text
    count = select(Enrollment).where(Enrollment.user_id == person.id)
    assert len(db.session.scalars(count).all()) == 1


@pytest.mark.parametrize(
    'window',
    [
        {'applications_close_on': -1},
        {'applications_open_on': 2},
        {
            'starts_on': -5,
            'ends_on': -4,
            'applications_open_on': None,
            'applications_close_on': None,
        },
    ],
    ids=['closed', 'not-yet-open', 'over'],
)
def test_outside_the_window_applying_is_refused(
    client, db, login, english, create_user, upcoming, today, window
):
    for name, days in window.items():
        setattr(upcoming, name, None if days is None else today + timedelta(days=days))
    person = login(create_user())
    page = client.get(f'/catalogue/offerings/{upcoming.id}').text
    assert f'/catalogue/offerings/{upcoming.id}/apply' not in page
    refused = client.post(f'/catalogue/offerings/{upcoming.id}/apply', follow_redirects=True)
    assert refused.status_code == 200
    assert 'This offering does not take applications now.' in refused.text
    assert db.session.scalar(select(Enrollment).where(Enrollment.user_id == person.id)) is None


@pytest.mark.parametrize('role', ['trainer', 'admin'])
def test_trainers_and_admins_see_no_apply_button(client, db, login, create_user, upcoming, role):
    login(create_user(role=role))
    page = client.get(f'/catalogue/offerings/{upcoming.id}')
    assert page.status_code == 200
    assert f'/catalogue/offerings/{upcoming.id}/apply' not in page.text
    assert client.post(f'/catalogue/offerings/{upcoming.id}/apply').status_code == 403
    assert db.session.scalar(select(Enrollment)) is None


def test_the_trainer_of_an_offering_is_pointed_to_its_roster(client, login, create_user, upcoming):
    trainer = create_user(role='trainer')
    upcoming.trainers.append(trainer)
    login(trainer)
    assert (
        f'/teach/offerings/{upcoming.id}' in client.get(f'/catalogue/offerings/{upcoming.id}').text
    )


def test_anonymous_visitors_may_log_in_or_apply_and_register_on_the_way(client, db, upcoming):
    page = client.get(f'/catalogue/offerings/{upcoming.id}').text
    assert f'/login?next=/catalogue/offerings/{upcoming.id}/apply' in page
    assert f'href="/catalogue/offerings/{upcoming.id}/apply"' in page
    response = client.post(f'/catalogue/offerings/{upcoming.id}/apply')
    assert response.status_code == 422 and 'name="password"' in response.text
    assert db.session.scalar(select(Enrollment)) is None


def test_applying_needs_the_csrf_token(app, client, db, login, create_user, upcoming):
    login(create_user())
    app.config['WTF_CSRF_ENABLED'] = True
    response = client.post(f'/catalogue/offerings/{upcoming.id}/apply', data={'motivation': 'x'})
    assert response.status_code == 400
    assert db.session.scalar(select(Enrollment)) is None


def test_a_too_long_motivation_is_refused_on_the_page(client, db, login, create_user, upcoming):
    login(create_user())
    response = client.post(
        f'/catalogue/offerings/{upcoming.id}/apply', data={'motivation': 'ა' * 5001}
    )
    assert response.status_code == 422
    assert 'is-invalid' in response.text
    assert db.session.scalar(select(Enrollment)) is None


def test_the_catalogue_is_in_the_navigation(client):
    assert 'href="/catalogue/"' in client.get('/').text


def test_the_participant_page_offers_only_what_takes_applications(
    client, login, create_user, create_offering, create_course, today
):
    soon = {'starts_on': today + timedelta(days=10), 'ends_on': today + timedelta(days=10)}
    create_offering(
        course=create_course(title_ka='ტესტი-ღია'),
        applications_close_on=today + timedelta(days=3),
        **soon,
    )
    create_offering(
        course=create_course(title_ka='ტესტი-დახურული'),
        applications_open_on=today - timedelta(days=10),
        applications_close_on=today - timedelta(days=1),
        **soon,
    )
    login(create_user())
    page = client.get('/home').text
    assert 'ტესტი-ღია' in page and 'ტესტი-დახურული' not in page


def test_the_front_page_cards_lead_to_the_catalogue(client, upcoming):
    assert f'href="/catalogue/offerings/{upcoming.id}"' in client.get('/').text
