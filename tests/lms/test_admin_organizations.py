"""The admin's organisation pages: list, search, kind filter, pages and the form."""

import pytest
from sqlalchemy import func, select

from lms.models import AuditEntry, Organization


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


def organizations(db):
    return db.session.scalar(select(func.count()).select_from(Organization))


def test_the_list_searches_filters_by_kind_and_shows_the_region(
    client, admin, create_organization, db
):
    create_organization(name_ka='ქუთაისის მუნიციპალიტეტი', kind='municipality', region='imereti')
    create_organization(name_ka='სამოქალაქო ჩართულობის ცენტრი', kind='cso', region='tbilisi')
    db.session.commit()
    page = client.get('/admin/organizations').text
    assert 'ქუთაისის მუნიციპალიტეტი' in page and 'იმერეთი' in page

    found = client.get('/admin/organizations', query_string={'q': 'ჩართულობ'}).text
    assert 'სამოქალაქო ჩართულობის ცენტრი' in found and 'ქუთაისის' not in found
    kind = client.get('/admin/organizations', query_string={'kind': 'municipality'}).text
    assert 'ქუთაისის მუნიციპალიტეტი' in kind and 'ჩართულობის' not in kind


def test_region_names_are_georgian_by_default(client, admin, create_organization, db):
    create_organization(region='samegrelo-zemo-svaneti')
    db.session.commit()
    assert 'სამეგრელო-ზემო სვანეთი' in client.get('/admin/organizations').text
    assert '<option value="guria">გურია</option>' in client.get('/admin/organizations/new').text


def test_region_names_follow_the_reader_s_language(client, admin, create_organization, db, english):
    create_organization(region='samegrelo-zemo-svaneti')
    db.session.commit()
    page = client.get('/admin/organizations').text
    assert 'Samegrelo-Zemo Svaneti' in page and 'სამეგრელო' not in page
    form = client.get('/admin/organizations/new').text
    assert '<option value="guria">Guria</option>' in form


def test_the_list_has_pages(client, admin, create_organization, app, db):
    for n in range(app.config['PER_PAGE'] + 1):
        create_organization(name_ka=f'ორგანიზაცია {n:03d}')
    db.session.commit()
    assert 'ორგანიზაცია 025' not in client.get('/admin/organizations').text
    assert 'ორგანიზაცია 025' in client.get('/admin/organizations?page=2').text


def test_creating_and_editing_an_organisation_saves_and_audits(client, admin, db):
    data = {
        'name_ka': 'ფოთის მუნიციპალიტეტი',
        'name_en': 'Poti Municipality',
        'kind': 'municipality',
        'region': 'samegrelo-zemo-svaneti',
    }
    assert client.post('/admin/organizations/new', data=data).status_code == 302
    organization = db.session.scalar(select(Organization))
    assert organization.region == 'samegrelo-zemo-svaneti'

    data = {**data, 'name_en': 'Poti', 'region': ''}
    url = f'/admin/organizations/{organization.id}/edit'
    assert 'value="ფოთის მუნიციპალიტეტი"' in client.get(url).text
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(organization)
    assert (organization.name_en, organization.region) == ('Poti', None)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ['organization.created', 'organization.updated']


@pytest.mark.parametrize(
    ('field', 'value'), [('name_ka', ''), ('kind', 'club'), ('region', 'atlantis')]
)
def test_bad_values_are_shown_next_to_the_field(client, admin, db, field, value):
    data = {'name_ka': 'ორგანიზაცია', 'name_en': 'Organisation', 'kind': 'cso', field: value}
    response = client.post('/admin/organizations/new', data=data)
    assert response.status_code == 422
    assert 'is-invalid' in response.text.split(f'name="{field}"')[0].rsplit('<', 1)[1]
    assert organizations(db) == 0


def test_a_duplicate_name_is_shown_next_to_the_name(
    client, admin, create_organization, db, english
):
    create_organization(name_ka='ორგანიზაცია', kind='cso')
    db.session.commit()
    data = {'name_ka': 'ორგანიზაცია', 'name_en': 'Another', 'kind': 'cso', 'region': ''}
    response = client.post('/admin/organizations/new', data=data)
    assert response.status_code == 422
    assert 'Already exists.' in response.text
    assert organizations(db) == 1
