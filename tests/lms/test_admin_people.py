"""The admin's people pages: list, search by either script or e-mail, a person, the form."""

import pytest
from sqlalchemy import func, select

from lms.models import AuditEntry, User
from tests.lms.lists import pager_link


@pytest.fixture
def admin(create_user, login):
    return login(create_user(role='admin', full_name_ka='ადმინისტრატორი'))


@pytest.fixture
def english(client):
    """UI words in English: some assertions quote them, and Georgian ones are added later.

    Set before the first request: the tests share one app context, where Babel keeps the
    locale it chose.
    """
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


def person_data(**overrides):
    return {
        'email': 'Nino.Beridze@Example.test',
        'full_name_ka': 'ნინო ბერიძე',
        'full_name_en': '',
        'role': 'participant',
        'sector': 'civil_servant',
        'organization_id': '',
        'position': 'სპეციალისტი',
        'gender': 'female',
        'phone': '+995 555 12 34 56',
        'password': '',
        **overrides,
    }


def users(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_the_list_finds_people_by_georgian_or_latin_name_or_email(client, admin, create_user, db):
    create_user(full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze', email='nino@example.test')
    create_user(full_name_ka='გიორგი მაისურაძე', full_name_en='Giorgi Maisuradze')
    db.session.commit()
    for q in ('ბერიძე', 'beridze', 'NINO@example'):
        page = client.get('/admin/people', query_string={'q': q}).text
        assert 'ნინო ბერიძე' in page and 'გიორგი მაისურაძე' not in page, q


def test_the_list_filters_by_role_and_has_pages(client, admin, create_user, app, db):
    create_user(role='trainer', full_name_ka='ტრენერი ერთი')
    for n in range(app.config['PER_PAGE']):
        create_user(full_name_ka=f'მონაწილე {n:03d}')
    db.session.commit()
    trainers = client.get('/admin/people', query_string={'role': 'trainer'}).text
    assert 'ტრენერი ერთი' in trainers and 'მონაწილე 000' not in trainers
    first = client.get('/admin/people')
    assert 'ტრენერი ერთი' not in first.text
    second = client.get(pager_link(first, 'next')).text
    assert 'ტრენერი ერთი' in second  # 27 people by Georgian name: ადმინი..., მონაწილე..., ტრენერი


@pytest.fixture
def enrolled_person(create_user, create_offering, create_enrollment, create_course, db):
    person = create_user(full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze')
    course = create_course(title_ka='ღია მმართველობა', title_en='Open government')
    create_enrollment(create_offering(course=course), person, 'waitlisted')
    db.session.commit()
    return person


def test_a_persons_page_shows_their_enrollments(client, admin, enrolled_person):
    page = client.get(f'/admin/people/{enrolled_person.id}').text
    assert 'ნინო ბერიძე' in page and 'ღია მმართველობა' in page


def test_a_persons_page_in_english(client, admin, enrolled_person, english):
    page = client.get(f'/admin/people/{enrolled_person.id}').text
    assert 'Nino Beridze' in page and 'Open government' in page and 'Waitlisted' in page


def test_creating_a_person_romanises_the_latin_name_and_audits(
    client, admin, create_organization, db
):
    organization = create_organization()
    db.session.commit()
    data = person_data(organization_id=str(organization.id), password='long enough')
    response = client.post('/admin/people/new', data=data)
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == 'nino.beridze@example.test'))
    assert response.headers['Location'] == f'/admin/people/{person.id}'
    assert person.full_name_en == 'Nino Beridze'
    assert person.organization is organization
    assert person.is_active and person.check_password('long enough')
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'user.created'))
    assert entry.actor_id == admin.id and entry.object_id == person.id


def test_editing_a_person_keeps_the_password_unless_a_new_one_is_given(
    client, admin, create_user, db
):
    person = create_user(password='old password')
    db.session.commit()
    form = client.get(f'/admin/people/{person.id}/edit').text
    assert f'value="{person.email}"' in form

    data = person_data(email=person.email, role='trainer')  # is_active left unticked
    assert client.post(f'/admin/people/{person.id}/edit', data=data).status_code == 302
    db.session.refresh(person)
    assert person.role == 'trainer' and person.is_active is False
    assert person.check_password('old password')

    data = person_data(email=person.email, is_active='y', password='brand new one')
    assert client.post(f'/admin/people/{person.id}/edit', data=data).status_code == 302
    db.session.refresh(person)
    assert person.is_active and person.check_password('brand new one')
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == 'user.updated').order_by(AuditEntry.id)
    ).all()
    assert [e.data['password_changed'] for e in entries] == [False, True]
    assert entries[0].data['before']['role'] == 'participant'


@pytest.mark.parametrize(
    ('field', 'value', 'message'),
    [
        ('email', 'not an address', 'Not a valid e-mail address.'),
        ('full_name_ka', '', None),
        ('password', 'short', None),
        ('role', 'king', None),
    ],
)
def test_bad_values_are_shown_next_to_the_field_and_nothing_is_saved(
    client, admin, db, field, value, message, english
):
    response = client.post('/admin/people/new', data=person_data(**{field: value}))
    assert response.status_code == 422
    assert _invalid(response.text, field, message)
    assert users(db) == 1


def test_a_taken_email_is_shown_next_to_the_email(client, admin, create_user, db, english):
    create_user(email='nino.beridze@example.test')
    db.session.commit()
    response = client.post('/admin/people/new', data=person_data())
    assert response.status_code == 422
    assert _invalid(response.text, 'email', 'This e-mail address is already registered.')
    assert users(db) == 2


def test_admins_cannot_demote_themselves(client, admin, db, english):
    data = person_data(
        email=admin.email, full_name_ka='ადმინისტრატორი', role='participant', is_active='y'
    )
    response = client.post(f'/admin/people/{admin.id}/edit', data=data)
    assert response.status_code == 422
    assert _invalid(response.text, 'role', 'You cannot change your own role')
    db.session.refresh(admin)
    assert admin.role == 'admin'


def _invalid(page, field, message=None):
    start = page.rindex('<', 0, page.index(f'name="{field}"'))
    rest = page[start:]
    feedback = rest.find('invalid-feedback')
    return (
        'is-invalid' in rest[: rest.index('>')]
        and feedback != -1
        and (message is None or message in rest[feedback : feedback + 300])
    )
