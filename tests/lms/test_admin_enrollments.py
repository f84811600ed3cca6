"""Applications: the list and its filters, the decision buttons, and enrolling a person."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.extensions import academy_today
from lms.models import AuditEntry, Enrollment
from tests.lms.lists import pager_link


@pytest.fixture
def admin(create_user, login):
    return login(create_user(role='admin'))


@pytest.fixture
def english(client):
    """UI words in English: some assertions quote them, and Georgian ones are added later.

    Set before the first request: the tests share one app context, where Babel keeps the
    locale it chose.
    """
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


def test_the_list_filters_by_status_offering_and_name(
    client, admin, create_user, create_offering, create_enrollment, db
):
    first, second = create_offering(), create_offering()
    create_enrollment(first, create_user(full_name_ka='ნინო ბერიძე'), 'applied')
    create_enrollment(first, create_user(full_name_ka='გიორგი მაისურაძე'), 'accepted')
    create_enrollment(second, create_user(full_name_ka='ქეთევან წიკლაური'), 'applied')
    db.session.commit()

    everyone = client.get('/admin/enrollments').text
    assert all(n in everyone for n in ('ნინო ბერიძე', 'გიორგი მაისურაძე', 'ქეთევან წიკლაური'))
    applied = client.get('/admin/enrollments', query_string={'status': 'applied'}).text
    assert 'ნინო ბერიძე' in applied and 'გიორგი მაისურაძე' not in applied
    of_first = client.get('/admin/enrollments', query_string={'offering_id': first.id}).text
    assert 'ნინო ბერიძე' in of_first and 'ქეთევან წიკლაური' not in of_first
    by_name = client.get('/admin/enrollments', query_string={'q': 'წიკლა'}).text
    assert 'ქეთევან წიკლაური' in by_name and 'ნინო ბერიძე' not in by_name


def test_the_list_has_pages(client, admin, create_offering, create_enrollment, app, db):
    offering = create_offering()
    for _ in range(app.config['PER_PAGE'] + 1):
        create_enrollment(offering, status='applied')
    db.session.commit()
    first = client.get('/admin/enrollments')
    assert first.text.count('name="status" value="accepted"') == app.config['PER_PAGE']
    second = client.get(pager_link(first, 'next')).text
    assert second.count('name="status" value="accepted"') == 1


@pytest.mark.parametrize('status', ['accepted', 'waitlisted', 'rejected'])
def test_a_decision_button_sets_the_status_and_audits(client, admin, create_enrollment, db, status):
    enrollment = create_enrollment(status='applied')
    db.session.commit()
    response = client.post(
        f'/admin/enrollments/{enrollment.id}/status',
        data={'status': status, 'next': '/admin/enrollments?status=applied'},
    )
    assert response.status_code == 302
    assert response.headers['Location'] == '/admin/enrollments?status=applied'
    db.session.refresh(enrollment)
    assert enrollment.status == status
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == 'enrollment.status_changed')
    )
    assert entry.data == {'before': {'status': 'applied'}, 'after': {'status': status}}
    assert entry.actor_id == admin.id


def test_the_buttons_never_send_you_off_the_site(client, admin, create_enrollment, db):
    enrollment = create_enrollment(status='applied')
    db.session.commit()
    response = client.post(
        f'/admin/enrollments/{enrollment.id}/status',
        data={'status': 'accepted', 'next': 'https://evil.example/'},
    )
    assert response.headers['Location'] == '/admin/enrollments'


def test_accepting_beyond_capacity_says_so_and_changes_nothing(
    client, admin, create_offering, create_enrollment, db, english
):
    offering = create_offering(capacity=1)
    create_enrollment(offering, status='accepted')
    waiting = create_enrollment(offering, status='applied')
    db.session.commit()
    response = client.post(
        f'/admin/enrollments/{waiting.id}/status',
        data={'status': 'accepted', 'next': f'/admin/offerings/{offering.id}'},
        follow_redirects=True,
    )
    assert 'The offering is full (1 places). Waitlist the person instead.' in response.text
    assert 'alert-danger' in response.text
    db.session.refresh(waiting)
    assert waiting.status == 'applied'


def test_the_offering_page_has_the_buttons_for_each_enrollment(
    client, admin, create_offering, create_enrollment, db
):
    offering = create_offering()
    enrollment = create_enrollment(offering, status='waitlisted')
    db.session.commit()
    page = client.get(f'/admin/offerings/{offering.id}').text
    assert f'action="/admin/enrollments/{enrollment.id}/status"' in page
    assert 'name="status" value="accepted"' in page
    assert 'name="status" value="waitlisted"' not in page  # already waitlisted


def test_the_enroll_page_finds_people_not_yet_enrolled(
    client, admin, create_user, create_offering, create_enrollment, db
):
    offering = create_offering()
    enrolled = create_user(full_name_ka='ნინო ბერიძე')
    create_enrollment(offering, enrolled)
    create_user(full_name_ka='ნინო გელაშვილი')
    create_user(full_name_ka='გიორგი მაისურაძე')
    db.session.commit()
    page = client.get(f'/admin/offerings/{offering.id}/enroll', query_string={'q': 'ნინო'}).text
    assert 'ნინო გელაშვილი' in page
    assert 'ნინო ბერიძე' not in page and 'გიორგი მაისურაძე' not in page


def test_enrolling_a_person_with_a_status(client, admin, create_user, create_offering, db):
    offering = create_offering()
    person = create_user()
    db.session.commit()
    response = client.post(
        f'/admin/offerings/{offering.id}/enroll',
        data={'user_id': str(person.id), 'status': 'accepted'},
    )
    assert response.status_code == 302
    enrollment = db.session.scalar(select(Enrollment))
    assert (enrollment.user_id, enrollment.status) == (person.id, 'accepted')
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'enrollment.created'))
    assert entry.actor_id == admin.id


def test_enrolling_someone_twice_is_refused_next_to_the_person(
    client, admin, create_user, create_offering, create_enrollment, db, english
):
    offering = create_offering()
    person = create_user()
    create_enrollment(offering, person, 'applied')
    db.session.commit()
    response = client.post(
        f'/admin/offerings/{offering.id}/enroll',
        data={'user_id': str(person.id), 'status': 'accepted'},
    )
    assert response.status_code == 422
    assert 'Already enrolled.' in response.text
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_enrolling_into_a_full_offering_is_refused(
    client, admin, create_user, create_offering, create_enrollment, db, english
):
    offering = create_offering(capacity=1)
    create_enrollment(offering, status='accepted')
    person = create_user()
    db.session.commit()
    response = client.post(
        f'/admin/offerings/{offering.id}/enroll',
        data={'user_id': str(person.id), 'status': 'accepted'},
        query_string={'q': person.email},
    )
    assert response.status_code == 422
    assert 'No place left.' in response.text
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_the_offering_filter_lists_the_last_years_offerings_and_the_one_chosen(
    client, admin, create_course, create_offering, db
):
    today = academy_today()
    recent = create_offering(
        course=create_course(code='NEW-1'), starts_on=today, ends_on=today + timedelta(days=1)
    )
    old = create_offering(
        course=create_course(code='OLD-1'),
        starts_on=today - timedelta(days=800),
        ends_on=today - timedelta(days=799),
    )
    db.session.commit()
    page = client.get('/admin/enrollments').text
    assert f'<option value="{recent.id}">' in page and 'NEW-1' in page
    assert 'OLD-1' not in page
    chosen = client.get('/admin/enrollments', query_string={'offering_id': old.id}).text
    assert f'<option value="{old.id}" selected>' in chosen and 'OLD-1' in chosen
