"""The admins' consultation pages: record, change, delete (after asking), all audited and
counted in the academy's figures; and the contact people of an organisation."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.models import AuditEntry, Consultation, organization_contacts


@pytest.fixture
def english(client):
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


@pytest.fixture
def admin(create_user, login):
    return login(create_user(role='admin'))


@pytest.fixture
def kutaisi(create_organization):
    return create_organization(kind='municipality', name_ka='ქუთაისი', name_en='Kutaisi')


def _token(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _count(db, model=Consultation):
    return db.session.scalar(select(func.count()).select_from(model))


def _actions(db):
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


GOOD = {
    'held_on': '2025-06-02',
    'expert': 'ნინო ბერიძე',
    'topic': 'სამოქალაქო ბიუჯეტი',
    'hours': '3,5',
    'notes': '',
}


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_record_change_and_delete_a_consultation_with_csrf_and_audit(
    client, db, admin, kutaisi, api
):
    # The organisation's page links to the form with the organisation filled in.
    new_url = f'/admin/consultations/new?organization_id={kutaisi.id}'
    assert new_url in client.get(f'/organizations/{kutaisi.id}').text
    form = client.get(new_url).text
    assert f'value="{kutaisi.id}"' in form and 'ქუთაისი' in form
    before = api('GET', '/api/v1/stats?from=2025&to=2025').get_json()['consultations']

    data = {**GOOD, 'organization_id': str(kutaisi.id)}
    assert client.post('/admin/consultations/new', data=data).status_code == 400  # no token
    assert _count(db) == 0

    saved = client.post('/admin/consultations/new', data={**data, 'csrf_token': _token(form)})
    assert saved.status_code == 302
    assert saved.headers['Location'] == f'/organizations/{kutaisi.id}#consultations'
    consultation = db.session.scalar(select(Consultation))
    assert (consultation.topic, consultation.hours) == ('სამოქალაქო ბიუჯეტი', Decimal('3.5'))
    assert _actions(db)[-1] == 'consultation.recorded'
    # It counts in the academy's figures.
    after = api('GET', '/api/v1/stats?from=2025&to=2025').get_json()
    assert after['consultations'] == before + 1 and after['organizations_consulted'] == 1

    edit_url = f'/admin/consultations/{consultation.id}/edit'
    edit = client.get(edit_url).text
    assert 'value="სამოქალაქო ბიუჯეტი"' in edit
    changed = client.post(
        edit_url,
        data={**data, 'topic': 'საჯარო განხილვები', 'csrf_token': _token(edit)},
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).topic == 'საჯარო განხილვები'
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.action == 'consultation.updated'
    assert entry.data['before']['topic'] == 'სამოქალაქო ბიუჯეტი'
    assert entry.data['after']['topic'] == 'საჯარო განხილვები'

    delete_url = f'/admin/consultations/{consultation.id}/delete'
    confirm = client.get(delete_url)
    assert confirm.status_code == 200 and 'საჯარო განხილვები' in confirm.text
    assert _count(db) == 1  # asking deletes nothing
    assert client.post(delete_url).status_code == 400  # no token
    assert _count(db) == 1
    deleted = client.post(delete_url, data={'csrf_token': _token(confirm.text)})
    assert deleted.status_code == 302 and _count(db) == 0
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.action == 'consultation.deleted'
    assert entry.data['before']['topic'] == 'საჯარო განხილვები'
    last = api('GET', '/api/v1/stats?from=2025&to=2025').get_json()['consultations']
    assert last == before


def test_bad_input_is_explained_beside_each_field_and_saves_nothing(
    client, db, admin, kutaisi, english
):
    response = client.post(
        '/admin/consultations/new',
        data={'organization_id': 'abc', 'held_on': '2025-13-40', 'hours': '-1', 'topic': ''},
    )
    assert response.status_code == 422
    for name in ('organization_id', 'held_on', 'hours', 'topic', 'expert'):
        assert f'id="{name}-error"' in response.text, name
    assert _count(db) == 0

    unknown = client.post('/admin/consultations/new', data={**GOOD, 'organization_id': '999999'})
    assert unknown.status_code == 422
    error = re.search(r'id="organization_id-error">(.*?)</div></div>', unknown.text, re.S)
    assert 'No organisation has this id.' in error.group(1)
    assert _count(db) == 0


def test_the_organisation_is_found_by_name_without_a_list_of_all(client, admin, kutaisi):
    page = client.get('/admin/consultations/new', query_string={'q': 'ქუთ'}).text
    assert f'href="/admin/consultations/new?organization_id={kutaisi.id}"' in page
    assert '<select' not in page.split('<main', 1)[1].split('</main>')[0]


def test_the_list_filters_by_organisation_and_year_newest_first(
    client, db, admin, kutaisi, create_organization
):
    telavi = create_organization(kind='municipality', name_ka='თელავი')
    for org, day, topic in [
        (kutaisi, date(2024, 5, 1), 'პირველი'),
        (kutaisi, date(2025, 5, 1), 'მეორე'),
        (telavi, date(2025, 7, 1), 'მესამე'),
    ]:
        db.session.add(
            Consultation(organization=org, expert_name='ე', consulted_on=day, topic=topic, hours=1)
        )
    db.session.flush()
    everything = client.get('/admin/consultations').text
    assert everything.index('მესამე') < everything.index('მეორე') < everything.index('პირველი')
    ours = client.get('/admin/consultations', query_string={'organization': kutaisi.id}).text
    assert 'მეორე' in ours and 'პირველი' in ours and 'მესამე' not in ours
    year = client.get('/admin/consultations', query_string={'year': 2025}).text
    assert 'მეორე' in year and 'მესამე' in year and 'პირველი' not in year
    by_name = client.get('/admin/consultations', query_string={'q': 'თელ'}).text
    assert 'მესამე' in by_name and 'მეორე' not in by_name
    assert client.get('/admin/consultations?year=99999999999&page=x').status_code == 200


def test_contact_people_are_added_by_e_mail_and_removed_after_asking(
    client, db, admin, kutaisi, create_user, english
):
    person = create_user(email='hr@kutaisi.test', full_name_en='Tamar HR')
    url = f'/admin/organizations/{kutaisi.id}/contacts'

    unknown = client.post(url, data={'email': 'nobody@example.test'})
    assert unknown.status_code == 422
    assert re.search(r'id="email-error">.*No account has this e-mail address', unknown.text, re.S)

    assert client.post(url, data={'email': 'HR@kutaisi.test'}).status_code == 302
    assert _count(db, organization_contacts) == 1
    assert client.post(url, data={'email': 'hr@kutaisi.test'}).status_code == 422  # already
    assert 'Tamar HR' in client.get(f'/admin/organizations/{kutaisi.id}/edit').text

    remove = f'/admin/organizations/{kutaisi.id}/contacts/{person.id}/remove'
    assert 'Tamar HR' in client.get(remove).text
    assert _count(db, organization_contacts) == 1  # asking removes nothing
    assert client.post(remove).status_code == 302
    assert _count(db, organization_contacts) == 0
    assert _actions(db)[-2:] == ['organization.contact_added', 'organization.contact_removed']
    assert client.get(remove).status_code == 404  # no longer a contact person
