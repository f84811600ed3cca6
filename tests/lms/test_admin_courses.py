"""The admin's course pages: list, search, filter, pages, create and edit."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.models import AuditEntry, Course

VALID = {
    'code': 'PB-101',
    'title_ka': 'სამოქალაქო ბიუჯეტი',
    'title_en': 'Civil budgeting',
    'description_ka': 'მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
    'description_en': '',
    'kind': 'training',
    'hours': '12.5',
    'min_attendance_pct': '75',
    'grants_certificate': 'y',
    'validity_months': '',
}


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


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_list_shows_georgian_titles_and_finds_by_code_or_title(
    client, admin, create_course, db
):
    create_course(code='PB-1', title_ka='სამოქალაქო ბიუჯეტი', title_en='Civil budgeting')
    create_course(code='GOV-2', title_ka='ღია მმართველობა', title_en='Open government')
    db.session.commit()

    page = client.get('/admin/courses').text
    assert 'სამოქალაქო ბიუჯეტი' in page and 'ღია მმართველობა' in page

    by_title = client.get('/admin/courses', query_string={'q': 'ბიუჯეტ'}).text
    assert 'PB-1' in by_title and 'GOV-2' not in by_title
    by_code = client.get('/admin/courses', query_string={'q': 'gov'}).text
    assert 'GOV-2' in by_code and 'PB-1' not in by_code


def test_the_list_shows_english_titles_to_english_readers(
    client, admin, create_course, db, english
):
    create_course(code='PB-1', title_ka='სამოქალაქო ბიუჯეტი', title_en='Civil budgeting')
    db.session.commit()
    page = client.get('/admin/courses').text
    assert 'Civil budgeting' in page and 'სამოქალაქო ბიუჯეტი' not in page


def test_the_list_filters_by_kind(client, admin, create_course, db):
    create_course(code='T-1', kind='training')
    create_course(code='F-1', kind='forum')
    db.session.commit()
    page = client.get('/admin/courses', query_string={'kind': 'forum'}).text
    assert 'F-1' in page and 'T-1' not in page


def test_the_list_has_pages(client, admin, create_course, app, db):
    for n in range(app.config['PER_PAGE'] + 5):
        create_course(code=f'P-{n:03d}')
    db.session.commit()
    first = client.get('/admin/courses').text
    second = client.get('/admin/courses', query_string={'page': 2}).text
    assert 'P-000' in first and 'P-029' not in first
    assert 'P-029' in second and 'P-000' not in second
    assert 'rel="next"' in first
    assert client.get('/admin/courses', query_string={'page': 10**30}).status_code == 200


def test_creating_a_course_saves_it_and_audits(client, admin, db):
    response = client.post('/admin/courses/new', data=VALID)
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.code == 'PB-101'))
    assert course.title_ka == 'სამოქალაქო ბიუჯეტი'
    assert course.hours == Decimal('12.5')
    assert course.min_attendance_pct == 75
    assert course.grants_certificate is True
    assert course.validity_months is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'course.created'))
    assert entry.actor_id == admin.id and entry.object_id == course.id


def test_the_new_course_form_proposes_80_percent(client, admin):
    page = client.get('/admin/courses/new').text
    tag = re.search(r'<input[^>]*name="min_attendance_pct"[^>]*>', page).group(0)
    assert 'value="80"' in tag


def test_editing_a_course_saves_and_audits_before_and_after(client, admin, create_course, db):
    course = create_course(code='OLD-1', min_attendance_pct=80)
    db.session.commit()
    form = client.get(f'/admin/courses/{course.id}/edit').text
    assert 'value="OLD-1"' in form

    data = {**VALID, 'code': 'NEW-1', 'min_attendance_pct': '90', 'validity_months': '24'}
    del data['grants_certificate']  # an unticked box is not sent
    response = client.post(f'/admin/courses/{course.id}/edit', data=data)
    assert response.status_code == 302
    db.session.refresh(course)
    assert (course.code, course.min_attendance_pct, course.validity_months) == ('NEW-1', 90, 24)
    assert course.grants_certificate is False
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'course.updated'))
    assert entry.data['before']['code'] == 'OLD-1' and entry.data['after']['code'] == 'NEW-1'


@pytest.mark.parametrize(
    ('field', 'value'),
    [
        ('min_attendance_pct', '150'),
        ('hours', 'many'),
        ('hours', '-1'),
        ('title_ka', ''),
        ('kind', 'party'),
        ('validity_months', '0'),
        ('code', 'x' * 41),
    ],
)
def test_a_bad_value_is_shown_next_to_its_field_and_nothing_is_saved(
    client, admin, db, field, value
):
    response = client.post('/admin/courses/new', data={**VALID, field: value})
    assert response.status_code == 422
    assert f'id="{field}"' in response.text
    assert _error_after(response.text, field)
    assert count(db, Course) == 0


def test_a_taken_code_is_shown_next_to_the_code(client, admin, create_course, db, english):
    create_course(code='PB-101')
    db.session.commit()
    response = client.post('/admin/courses/new', data={**VALID, 'code': 'pb-101'})
    assert response.status_code == 422
    assert _error_after(response.text, 'code', 'This code is taken.')
    assert count(db, Course) == 1
    assert count(db, AuditEntry) == 0


def _error_after(page, field, message=None):
    """True when the input named `field` is marked invalid and followed by its message."""
    start = page.index(f'name="{field}"')
    tag_start = page.rindex('<', 0, start)
    rest = page[tag_start:]
    marked = 'is-invalid' in rest[: rest.index('>')]
    feedback = rest.find('invalid-feedback')
    next_field = rest.find('class="mb-3"')
    placed = feedback != -1 and (next_field == -1 or feedback < next_field)
    has_message = message is None or message in rest[feedback : feedback + 300]
    return marked and placed and has_message


def test_an_unreadable_number_gets_one_message(client, admin, english):
    response = client.post('/admin/courses/new', data={**VALID, 'hours': 'many'})
    feedback = response.text.split('name="hours"')[1].split('class="mb-3"')[0]
    assert feedback.count('invalid-feedback') == 1
