import pytest

from lms.models import AuditEntry, Organization
from tests.api.helpers import assert_error, audited, count

URL = '/api/v1/organizations'
BODY = {
    'name_ka': 'სამოქალაქო ჩართულობის ცენტრი',
    'name_en': 'Civic Engagement Centre',
    'kind': 'cso',
    'region': 'imereti',
}


def test_an_admin_creates_an_organization_and_gets_it_back_with_its_id(api, admin):
    response = api('POST', URL, admin, json=BODY)

    assert response.status_code == 201
    body = response.get_json()
    organization = Organization.query.one()
    assert body == {**BODY, 'id': organization.id}
    assert (organization.name_ka, organization.kind) == (BODY['name_ka'], 'cso')
    entry = AuditEntry.query.filter_by(action='organization.created').one()
    assert (entry.actor_id, entry.object_id) == (admin.id, organization.id)


@pytest.mark.parametrize(
    ('region', 'code'),
    [
        ('Imereti', 'imereti'),
        ('იმერეთი', 'imereti'),
        ('Kvemo Kartli', 'kvemo-kartli'),
        (None, None),
    ],
)
def test_a_region_may_be_given_by_name_and_is_answered_as_its_code(api, admin, region, code):
    response = api('POST', URL, admin, json={**BODY, 'region': region})

    assert response.status_code == 201
    assert response.get_json()['region'] == code


def test_an_admin_lists_every_organization(api, admin, create_organization):
    first = create_organization(kind='municipality', name_ka='ქუთაისი', name_en='Kutaisi')
    second = create_organization(region=None)

    response = api('GET', URL, admin)

    assert response.status_code == 200
    items = response.get_json()['items']
    assert [item['id'] for item in items] == [first.id, second.id]
    assert items[0] == {
        'id': first.id,
        'name_ka': 'ქუთაისი',
        'name_en': 'Kutaisi',
        'kind': 'municipality',
        'region': 'imereti',
    }
    assert items[1]['region'] is None


def test_the_list_is_empty_rather_than_missing_when_there_are_none(api, admin):
    assert api('GET', URL, admin).get_json() == {'items': [], 'next': None}


@pytest.mark.parametrize('method', ['GET', 'POST'])
@pytest.mark.parametrize(('who', 'status'), [('participant', 403), ('trainer', 403)])
def test_only_admins_may_see_or_create_organizations(api, create_user, method, who, status):
    response = api(method, URL, create_user(role=who), json=BODY)

    assert_error(response, status, 'forbidden')
    assert count(Organization) == 0


@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_organizations_need_a_token(api, method):
    assert_error(api(method, URL, json=BODY), 401, 'unauthorized')
    assert count(Organization) == 0


def test_the_same_kind_and_georgian_name_twice_is_a_conflict(api, admin, create_organization):
    create_organization(name_ka=BODY['name_ka'], kind='cso')

    response = api('POST', URL, admin, json={**BODY, 'name_en': 'Another name'})

    assert_error(response, 409, 'conflict', fields={'name_ka'})
    assert count(Organization) == 1
    assert audited() == []


def test_the_same_name_of_another_kind_is_no_conflict(api, admin, create_organization):
    create_organization(name_ka=BODY['name_ka'], kind='government')

    assert api('POST', URL, admin, json=BODY).status_code == 201
    assert count(Organization) == 2


@pytest.mark.parametrize(
    ('changes', 'fields'),
    [
        ({'name_ka': None, 'name_en': '', 'kind': None}, {'name_ka', 'name_en', 'kind'}),
        ({'kind': 'company'}, {'kind'}),
        ({'kind': ['cso']}, {'kind'}),
        ({'name_ka': 'ა' * 201}, {'name_ka'}),
        ({'name_en': 'x' * 201}, {'name_en'}),
        ({'name_ka': 42, 'name_en': True}, {'name_ka', 'name_en'}),
        ({'name_ka': {'ka': 'x'}}, {'name_ka'}),
        ({'region': 'Atlantis'}, {'region'}),
        ({'region': 5}, {'region'}),
        ({'name_en': 'nul\x00byte'}, {'name_en'}),
    ],
)
def test_invalid_values_are_422_naming_each_field_and_save_nothing(api, admin, changes, fields):
    response = api('POST', URL, admin, json={**BODY, **changes})

    assert_error(response, 422, 'invalid', fields=fields)
    assert count(Organization) == 0
    assert audited() == []


def test_a_name_of_exactly_the_maximum_length_is_accepted(api, admin):
    response = api('POST', URL, admin, json={**BODY, 'name_ka': 'ა' * 200})

    assert response.status_code == 201
    assert Organization.query.one().name_ka == 'ა' * 200


def test_the_list_comes_in_pages_that_follow_next_to_the_end(api, admin, create_organization):
    made = [create_organization() for _ in range(7)]

    first = api('GET', URL, admin, query_string={'limit': '3'}).get_json()
    assert [item['id'] for item in first['items']] == [o.id for o in made[:3]]
    seen, page = [], first
    while True:
        seen += [item['id'] for item in page['items']]
        if page['next'] is None:
            break
        page = api('GET', URL, admin, query_string={'limit': '3', 'cursor': page['next']})
        page = page.get_json()
    assert seen == [o.id for o in made]  # each once, in order, none missing
    assert api('GET', URL, admin).get_json()['next'] is None  # 7 fit in the default page


def test_a_client_reading_items_alone_finds_every_organisation(api, admin, create_organization):
    """API.md answers the list as {"items": [...]}: with the 64 municipalities and the
    academy's partners, a new organisation must be among the items of the first answer."""
    for _ in range(150):
        create_organization()
    made = api('POST', URL, admin, json=BODY).get_json()

    listed = api('GET', URL, admin).get_json()

    assert made['id'] in [item['id'] for item in listed['items']]
    assert len(listed['items']) == 151 and listed['next'] is None


def test_the_list_finds_by_part_of_a_name(api, admin, create_organization):
    create_organization(name_ka='ქუთაისის მერია', name_en='Kutaisi City Hall')
    create_organization(name_ka='ბათუმის მერია', name_en='Batumi City Hall')

    found = api('GET', URL, admin, query_string={'q': 'ქუთაის'}).get_json()['items']
    assert [item['name_en'] for item in found] == ['Kutaisi City Hall']
    found = api('GET', URL, admin, query_string={'q': 'city hall'}).get_json()['items']
    assert len(found) == 2


@pytest.mark.parametrize(
    ('query', 'field'),
    [
        ({'limit': '0'}, 'limit'),
        ({'limit': '1001'}, 'limit'),
        ({'limit': 'ten'}, 'limit'),
        ({'limit': '9' * 40}, 'limit'),
        ({'cursor': 'abc'}, 'cursor'),
        ({'cursor': '9' * 40}, 'cursor'),
    ],
)
def test_a_bad_limit_or_cursor_is_refused_with_the_field_named(api, admin, query, field):
    response = api('GET', URL, admin, query_string=query)

    assert_error(response, 422, 'invalid', fields={field})
