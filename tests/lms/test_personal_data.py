"""A person's data: they see and download all of it, correct their details and ask for
erasure; an admin erases it, keeping certificates verifiable and the figures as they were;
rejected applications are removed after their retention, still counted."""

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from certificates import ArchiveCertificate, issue_certificate
from lms.extensions import utcnow
from lms.models import (
    ApiToken,
    Attendance,
    AuditEntry,
    Enrollment,
    OutboxMessage,
    User,
    organization_contacts,
)
from lms.people.privacy import remove_old_rejections
from lms.people.service import issue_token
from tests.certificates.samples import sample_claims
from tests.statements import statements_of_page


@pytest.fixture
def english(client):
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


@pytest.fixture
def nino(db, create_user, create_offering, create_enrollment, create_organization):
    """A participant with a place taken (attendance with a note, a certificate), an
    application still open and a rejected one, a token and an e-mail."""
    employer = create_organization(kind='municipality', region='kakheti')
    person = create_user(
        organization=employer,
        email='nino@example.ge',
        full_name_ka='ნინო ბერიძე',
        full_name_en='Nino Beridze',
        phone='+995 555 12 34 56',
        position='სპეციალისტი',
        gender='female',
    )
    taken = create_enrollment(offering=create_offering(), user=person, status='accepted')
    taken.motivation = 'მინდა ვისწავლო ბიუჯეტირება'
    db.session.add(
        Attendance(
            session_id=taken.offering.sessions[0].id,
            enrollment_id=taken.id,
            status='present',
            note='დაიგვიანა 5 წუთით',
        )
    )
    create_enrollment(offering=create_offering(), user=person, status='applied')
    rejected = create_enrollment(offering=create_offering(), user=person, status='rejected')
    rejected.motivation = 'ჩემი მოტივაცია'
    issue_certificate(
        sample_claims(holder_name_ka='ნინო ბერიძე', holder_name_en='Nino Beridze'),
        enrollment_id=taken.id,
    )
    db.session.add(
        ArchiveCertificate(
            number='PA-2017-042',
            number_key='pa-2017-042',
            enrollment_id=taken.id,
            holder_name_ka='ნინო ბერიძე',
            holder_name_en='Nino Beridze',
            course_title_ka='ადგილობრივი თვითმმართველობა',
            course_kind='training',
            starts_on=date(2017, 5, 2),
            ends_on=date(2017, 5, 4),
            issued_on=date(2017, 5, 4),
        )
    )
    issue_token(person, name='HR system')
    municipality = create_organization(kind='municipality')
    municipality.contacts.append(person)
    db.session.add(
        OutboxMessage(
            template='certificate_issued',
            to_address=person.email,
            user_id=person.id,
            locale='ka',
            subject='თქვენი სერტიფიკატი',
            text_body='…',
            html_body='…',
        )
    )
    db.session.commit()
    return person


def _figures(client):
    """What an erasure must not change: every figure but the gender, which is erased."""
    body = client.get('/api/v1/stats?from=2026&to=2026').json
    del body['participants_by_gender']
    return body


def test_a_person_downloads_everything_held_about_them_and_nothing_of_others(
    client, login, nino, create_user
):
    other = create_user(email='other@example.ge')
    login(nino)
    response = client.get('/account/data.json')
    assert response.status_code == 200
    assert 'attachment' in response.headers['Content-Disposition']
    assert response.headers['Cache-Control'] == 'no-store'
    data = json.loads(response.data)
    assert data['account']['email'] == 'nino@example.ge'
    assert data['account']['phone'] == '+995 555 12 34 56'
    assert sorted(e['status'] for e in data['enrollments']) == ['accepted', 'applied', 'rejected']
    taken = next(e for e in data['enrollments'] if e['status'] == 'accepted')
    assert taken['motivation'] == 'მინდა ვისწავლო ბიუჯეტირება'
    assert [m['note'] for m in taken['attendance']] == ['დაიგვიანა 5 წუთით']
    assert len(data['certificates']) == 1
    assert data['certificates'][0]['verification_url'].endswith(data['certificates'][0]['serial'])
    assert [c['number'] for c in data['archive_certificates']] == ['PA-2017-042']
    assert [t['name'] for t in data['api_tokens']] == ['HR system']
    assert data['api_tokens'][0]['expires_at'] is not None
    assert 'token_hash' not in json.dumps(data)
    assert [m['subject'] for m in data['emails']] == ['თქვენი სერტიფიკატი']
    assert other.email not in response.get_data(as_text=True)
    page = client.get('/account/data').get_data(as_text=True)
    assert 'დაიგვიანა 5 წუთით' in page and '+995 555 12 34 56' in page


def test_the_data_page_writes_dates_and_states_in_the_readers_language(client, login, nino):
    """The page shows what the file holds, readably: no ISO timestamps, no English words."""
    login(nino)
    page = client.get('/account/data').get_data(as_text=True)
    assert '+00:00' not in page and not re.search(r'\d{4}-\d\d-\d\dT\d', page)
    assert '2017 წლის 4 მაისი' in page  # the archive certificate's day
    assert '· valid ·' not in page and '· მოქმედი ·' in page


def test_the_data_pages_need_a_login(client):
    assert client.get('/account/data.json').status_code == 302
    assert client.get('/account/data').status_code == 302


def test_a_person_corrects_their_details_and_a_bad_value_changes_nothing(
    client, db, login, nino, english
):
    login(nino)
    page = client.get('/account/profile')
    assert page.status_code == 200 and 'value="ნინო ბერიძე"' in page.get_data(as_text=True)
    bad = client.post(
        '/account/profile',
        data={'full_name_ka': 'ნინო', 'sector': 'astronaut', 'gender': '', 'phone': ''},
    )
    assert bad.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, nino.id).full_name_ka == 'ნინო ბერიძე'
    good = client.post(
        '/account/profile',
        data={
            'full_name_ka': 'ნინო ბერიძე-კაპანაძე',
            'full_name_en': '',
            'sector': 'cso',
            'position': '',
            'gender': '',
            'phone': '',
        },
    )
    assert good.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, nino.id)
    assert (person.full_name_ka, person.full_name_en) == (
        'ნინო ბერიძე-კაპანაძე',
        'Nino Beridze-Kapanadze',
    )
    assert person.sector == 'cso' and person.gender is None
    assert (
        db.session.scalar(
            select(func.count()).where(
                AuditEntry.action == 'user.profile_updated', AuditEntry.object_id == nino.id
            )
        )
        == 1
    )


def test_asking_for_erasure_takes_the_password(client, db, login, nino):
    login(nino)
    wrong = client.post('/account/erasure', data={'password': 'not mine'})
    assert wrong.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, nino.id).erasure_requested_at is None
    right = client.post('/account/erasure', data={'password': 'correct horse'})
    assert right.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, nino.id).erasure_requested_at is not None
    assert 'ERASE' not in client.get('/account/erasure').get_data(as_text=True)


def test_an_admin_erases_a_person_keeping_certificates_and_figures(
    client, db, login, nino, create_user, english
):
    before = _figures(client)
    assert (before['municipalities'], before['participants_by_region']['kakheti']) == (1, 1)
    serial = json.loads(_download(client, login, nino))['certificates'][0]['serial']
    admin = login(create_user(role='admin'))
    confirm = client.get(f'/admin/people/{nino.id}/erase')
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'This cannot be undone.' in text
    assert '2 applications that did not lead to a place' in text
    assert client.post(f'/admin/people/{nino.id}/erase').status_code == 302

    db.session.expire_all()
    person = db.session.get(User, nino.id)
    assert person.email == f'erased-{nino.id}@erased.invalid'
    assert (person.phone, person.position, person.gender, person.password_hash) == (
        None,
        None,
        None,
        None,
    )
    assert not person.is_active and person.erased_at is not None
    held = db.session.scalars(select(Enrollment).where(Enrollment.user_id == nino.id)).all()
    assert [(e.status, e.motivation) for e in held] == [('accepted', '')]
    assert db.session.scalar(select(Attendance.note)) == ''
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert db.session.scalar(select(func.count()).select_from(organization_contacts)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'person.erased'))
    assert entry.actor_id == admin.id and entry.data['removed']['applications'] == 2
    assert 'nino' not in json.dumps(entry.data)

    verified = client.get(f'/api/v1/verify/{serial}').json
    assert verified['status'] == 'valid' and verified['signature_valid'] is True
    assert verified['holder'] == {'name_ka': 'ნინო ბერიძე', 'name_en': 'Nino Beridze'}
    assert _figures(client) == before
    stranger = client.application.test_client()  # logging in as them no longer works
    refused = stranger.post(
        '/login', data={'email': 'nino@example.ge', 'password': 'correct horse'}
    )
    assert refused.status_code == 422
    again = client.post(f'/admin/people/{nino.id}/erase')
    assert again.status_code == 409


def _download(client, login, person):
    login(person)
    return client.get('/account/data.json').data


def test_admins_and_oneself_are_not_erased_and_participants_may_not_erase(
    client, db, login, nino, create_user
):
    admin = create_user(role='admin')
    login(nino)
    assert client.get(f'/admin/people/{nino.id}/erase').status_code == 403
    login(admin)
    assert client.post(f'/admin/people/{admin.id}/erase').status_code == 409
    other_admin = create_user(role='admin')
    assert client.post(f'/admin/people/{other_admin.id}/erase').status_code == 409
    db.session.expire_all()
    assert db.session.get(User, other_admin.id).erased_at is None


def test_erasure_requests_wait_on_the_admin_pages(client, db, login, nino, create_user, english):
    nino.erasure_requested_at = utcnow()
    login(create_user(role='admin'))
    assert 'asked for their data to be erased' in client.get('/home').get_data(as_text=True)
    listed = client.get('/admin/erasures').get_data(as_text=True)
    assert f'/admin/people/{nino.id}/erase' in listed


def test_rejected_applications_go_after_their_retention_and_stay_counted(
    app, client, db, nino, create_user, create_enrollment, create_offering
):
    recent = create_enrollment(offering=create_offering(), status='rejected')
    recent.decided_at = utcnow() - timedelta(days=10)
    old = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == nino.id, Enrollment.status == 'rejected')
    )
    old.decided_at = utcnow() - timedelta(days=800)
    db.session.commit()
    old_id, recent_id = old.id, recent.id
    before = _figures(client)
    app.config['REJECTED_APPLICATIONS_RETENTION_DAYS'] = 730
    assert remove_old_rejections() == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Enrollment, old_id) is None
    assert db.session.get(Enrollment, recent_id) is not None
    assert _figures(client) == before
    app.config['REJECTED_APPLICATIONS_RETENTION_DAYS'] = 0
    db.session.get(Enrollment, recent_id).decided_at = utcnow() - timedelta(days=5000)
    assert remove_old_rejections() == 0


@pytest.mark.parametrize('path', ['/account/data.json', '/account/data'])
def test_the_data_export_takes_as_many_statements_for_many_organisations_as_for_one(
    client, db, login, create_user, create_enrollment, create_organization, path
):
    """Each application names an organisation and a municipality of residence; the export
    and the page read them with the applications, not one by one."""
    me = login(create_user())

    def apply(n):
        for _ in range(n):
            enrollment = create_enrollment(user=me)
            enrollment.organization = create_organization()
            enrollment.residence_municipality = create_organization(kind='municipality')
        db.session.commit()

    apply(1)
    few = statements_of_page(client, path)
    apply(6)
    many = statements_of_page(client, path)
    assert many == few
