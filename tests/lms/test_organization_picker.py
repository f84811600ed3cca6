"""The organisation picker: part of a name finds organisations, with JavaScript (a small
JSON answer) and without it (the form's "Find" button shows the form again, unsaved, with
the organisations found to choose from). No page lists every organisation."""

import re

import pytest
from sqlalchemy import func, select

from lms.models import User
from tests.lms.registering import finish_registration
from tests.lms.test_auth import _registration


@pytest.fixture
def kutaisi(create_organization):
    return create_organization(name_ka='ქუთაისის მერია', name_en='Kutaisi City Hall')


@pytest.fixture
def others(db, create_organization):
    made = [create_organization(name_ka=f'ორგანიზაცია {n:03d}') for n in range(40)]
    db.session.commit()
    return made


def _choices(page):
    """The organisation ids the page offers to choose (radio buttons), '' for none."""
    return re.findall(r'type="radio" name="organization_id" id="[^"]+" value="([^"]*)"', page)


def test_the_json_search_finds_by_part_of_a_name_in_either_language(client, kutaisi, others):
    found = client.get('/organizations/find', query_string={'q': 'ქუთაის'}).get_json()
    assert found == {
        'items': [
            {
                'id': kutaisi.id,
                'name': 'ქუთაისის მერია',
                'kind': 'სამოქალაქო საზოგადოების ორგანიზაცია',
            }
        ]
    }
    client.post('/language/en')
    found = client.get('/organizations/find', query_string={'q': 'city hall'}).get_json()
    assert [item['name'] for item in found['items']] == ['Kutaisi City Hall']
    many = client.get('/organizations/find', query_string={'q': 'ორგანიზაცია'}).get_json()
    assert len(many['items']) == 20  # typing more narrows them
    assert client.get('/organizations/find').get_json() == {'items': []}
    assert client.get('/organizations/find', query_string={'q': 'x' * 5000}).status_code == 200


def test_the_registration_form_lists_no_organisations_until_asked(client, kutaisi, others):
    page = client.get('/register').text
    assert _choices(page) == ['']  # "none" only, however many organisations there are
    assert 'name="organization_q"' in page and 'name="find_organization"' in page
    assert '<script src="/static/js/picker.js">' in page


def test_without_javascript_find_shows_the_form_again_with_what_it_found(
    client, db, kutaisi, others
):
    data = _registration(organization_q='ქუთაის', find_organization='1')
    page = client.post('/register', data=data)

    assert page.status_code == 200
    assert _choices(page.text) == ['', str(kutaisi.id)]
    assert 'ქუთაისის მერია' in page.text
    assert 'value="nino@example.ge"' in page.text  # what was typed stays
    assert db.session.scalar(select(func.count()).select_from(User)) == 0  # nothing saved

    nothing = client.post('/register', data={**data, 'organization_q': 'ზზზზ'}).text
    assert _choices(nothing) == [''] and 'ასეთი სახელწოდების ორგანიზაცია ვერ მოიძებნა.' in nothing

    client.post('/register', data=_registration(organization_id=str(kutaisi.id)))
    finish_registration(client, db, 'nino@example.ge')
    person = db.session.scalar(select(User).where(User.email == 'nino@example.ge'))
    assert person.organization_id == kutaisi.id


def test_an_organisation_that_does_not_exist_is_refused_beside_the_picker(client, db):
    page = client.post('/register', data=_registration(organization_id='424242'))
    assert page.status_code == 422
    assert re.search(r'<div[^>]*id="organization_id"[^>]*aria-invalid="true"', page.text)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_the_person_form_shows_the_chosen_organisation_and_finds_others(
    client, login, create_user, kutaisi, others
):
    login(create_user(role='admin'))
    person = create_user(organization_id=kutaisi.id)
    page = client.get(f'/admin/people/{person.id}/edit').text
    assert _choices(page) == ['', str(kutaisi.id)]
    assert re.search(rf'value="{kutaisi.id}" checked>', page)

    found = client.post(
        f'/admin/people/{person.id}/edit',
        data={
            'email': person.email,
            'full_name_ka': person.full_name_ka,
            'role': 'participant',
            'sector': 'other',
            'organization_id': str(kutaisi.id),
            'organization_q': 'ორგანიზაცია 03',
            'find_organization': '1',
        },
    ).text
    assert _choices(found) == ['', str(kutaisi.id), *(str(o.id) for o in others[30:40])]
