"""The admin's certificate pages: list, search and filter, the record, revoke and reissue."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from certificates import Certificate
from lms.attendance.service import record_attendance
from lms.awarding.service import issue_for_offering
from lms.models import AuditEntry, Enrollment
from tests.lms.lists import pager_link


@pytest.fixture
def admin(create_user):
    return create_user(role='admin', full_name_ka='ადმინი', full_name_en='Admin')


@pytest.fixture
def login(login, client):
    """Log in and read the pages in English (the texts the tests look for)."""

    def _login(user):
        login(user)
        client.post('/language/en')
        return user

    return _login


@pytest.fixture
def issue(db, admin, create_user, create_offering, create_enrollment):
    """Issue a certificate the real way (attendance, then issue_for_offering)."""

    def _issue(name_ka='ნინო ბერიძე', name_en='Nino Beridze', **course):
        offering = create_offering()
        for key, value in course.items():
            setattr(offering.course, key, value)
        enrollment = create_enrollment(
            offering=offering, user=create_user(full_name_ka=name_ka, full_name_en=name_en)
        )
        for offering_session in offering.sessions:
            record_attendance(
                offering_session,
                [{'enrollment_id': enrollment.id, 'status': 'present'}],
                actor=admin,
            )
        (certificate,), _ = issue_for_offering(offering, actor=admin)
        db.session.commit()
        return certificate

    return _issue


def _serials(page):
    """The serials a list shows, once each (a phone and a laptop show them in two places)."""
    return list(dict.fromkeys(re.findall(r'[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}', page)))


def test_the_list_searches_by_serial_or_name_and_filters_by_status(client, login, db, admin, issue):
    nino = issue()
    giorgi = issue('გიორგი კაპანაძე', 'Giorgi Kapanadze')
    old = issue('ქეთევან წიკლაური', 'Ketevan Tsiklauri', validity_months=1)
    old.valid_until = date.today() - timedelta(days=40)
    db.session.commit()
    login(admin)

    everything = client.get('/admin/certificates')
    assert everything.status_code == 200
    assert set(_serials(everything.text)) == {c.formatted_serial for c in (nino, giorgi, old)}
    typed = nino.formatted_serial.lower().replace('-', ' ')[:9]
    assert set(_serials(client.get('/admin/certificates', query_string={'q': typed}).text)) == {
        nino.formatted_serial
    }
    by_name = client.get('/admin/certificates', query_string={'q': 'kapanadze'}).text
    assert set(_serials(by_name)) == {giorgi.formatted_serial}
    by_georgian = client.get('/admin/certificates', query_string={'q': 'წიკლაური'}).text
    assert set(_serials(by_georgian)) == {old.formatted_serial}

    client.post(
        f'/admin/certificates/{giorgi.id}/revoke',
        data={'reason': 'Issued in error.', 'category': 'issued_in_error'},
    )
    revoked = client.get('/admin/certificates', query_string={'status': 'revoked'}).text
    assert set(_serials(revoked)) == {giorgi.formatted_serial}
    valid = client.get('/admin/certificates', query_string={'status': 'valid'}).text
    assert set(_serials(valid)) == {nino.formatted_serial}
    expired = client.get('/admin/certificates', query_string={'status': 'expired'}).text
    assert set(_serials(expired)) == {old.formatted_serial}


@pytest.mark.app_config(PER_PAGE=2)
def test_the_list_is_paginated(client, login, admin, issue):
    issued = [issue(f'მონაწილე {n}', f'Participant {n}') for n in range(3)]
    login(admin)
    first_page = client.get('/admin/certificates')
    first, second = first_page.text, client.get(pager_link(first_page, 'next')).text
    assert len(_serials(first)) == 2 and len(_serials(second)) == 1
    assert set(_serials(first) + _serials(second)) == {c.formatted_serial for c in issued}


def test_revoking_asks_for_a_reason_then_keeps_the_record(client, login, db, admin, issue):
    certificate = issue()
    login(admin)
    page = client.get(f'/admin/certificates/{certificate.id}')
    assert page.status_code == 200
    assert 'ნინო ბერიძე' in page.text and certificate.formatted_serial in page.text
    assert f'/admin/certificates/{certificate.id}/revoke' in page.text

    form = client.get(f'/admin/certificates/{certificate.id}/revoke')
    assert form.status_code == 200 and 'name="reason"' in form.text
    assert 'name="category"' in form.text and 'value="name_corrected"' in form.text
    refused = client.post(
        f'/admin/certificates/{certificate.id}/revoke',
        data={'reason': ' ', 'category': 'misconduct'},
    )
    assert refused.status_code == 422
    too_long = client.post(
        f'/admin/certificates/{certificate.id}/revoke',
        data={'reason': 'x' * 501, 'category': 'misconduct'},
    )
    assert too_long.status_code == 422
    no_category = client.post(
        f'/admin/certificates/{certificate.id}/revoke', data={'reason': 'Some words.'}
    )
    assert no_category.status_code == 422
    db.session.refresh(certificate)
    assert certificate.status == 'valid'

    done = client.post(
        f'/admin/certificates/{certificate.id}/revoke',
        data={'reason': 'Attendance was recorded by mistake.', 'category': 'issued_in_error'},
    )
    assert done.status_code == 302
    assert done.headers['Location'].endswith(f'/admin/certificates/{certificate.id}')
    db.session.refresh(certificate)
    assert certificate.status == 'revoked'
    assert certificate.revocation_reason == 'Attendance was recorded by mistake.'
    assert certificate.revocation_category == 'issued_in_error'
    record = client.get(f'/admin/certificates/{certificate.id}').text
    assert 'Attendance was recorded by mistake.' in record  # the detail, for admins
    public = client.get(f'/verify/{certificate.formatted_serial}').text
    assert 'Attendance was recorded by mistake.' not in public
    assert f'/admin/certificates/{certificate.id}/revoke' not in record  # no more buttons
    again = client.get(f'/admin/certificates/{certificate.id}/revoke')
    assert again.status_code == 302  # back to the record, with a message


def test_reissuing_shows_what_changes_then_supersedes(client, login, db, admin, issue):
    certificate = issue(name_en='Nino Beridce')
    db.session.get(Enrollment, certificate.enrollment_id).user.full_name_en = 'Nino Beridze'
    login(admin)

    preview = client.get(f'/admin/certificates/{certificate.id}/reissue')
    assert preview.status_code == 200
    assert 'Nino Beridce' in preview.text and 'Nino Beridze' in preview.text

    done = client.post(f'/admin/certificates/{certificate.id}/reissue')
    assert done.status_code == 302
    db.session.expire_all()
    new = db.session.scalar(select(Certificate).where(Certificate.supersedes_id == certificate.id))
    assert done.headers['Location'].endswith(f'/admin/certificates/{new.id}')
    assert certificate.status == 'superseded' and new.status == 'valid'
    assert '"holder_name_en":"Nino Beridze"' in new.claims_json

    old_page = client.get(f'/admin/certificates/{certificate.id}').text
    assert new.formatted_serial in old_page
    new_page = client.get(f'/admin/certificates/{new.id}').text
    history = new_page[new_page.index('history-heading') :]
    assert history.index(f'{certificate.formatted_serial} issued') < history.index(
        f'{certificate.formatted_serial} reissued as {new.formatted_serial}'
    )
    assert f'{new.formatted_serial} issued' in history
    assert client.post(f'/admin/certificates/{certificate.id}/reissue').status_code == 302
    assert db.session.scalars(select(Certificate)).all() == [certificate, new]


def test_the_record_shows_the_history_with_who_did_what(client, login, db, admin, issue):
    certificate = issue()
    login(admin)
    client.post(
        f'/admin/certificates/{certificate.id}/revoke',
        data={'reason': 'Duplicate.', 'category': 'duplicate'},
    )
    page = client.get(f'/admin/certificates/{certificate.id}').text
    history = page[page.index('history-heading') :]
    assert f'{certificate.formatted_serial} issued' in history
    assert f'{certificate.formatted_serial} revoked' in history and 'Duplicate.' in history
    assert history.count('Admin') == 2  # who issued, who revoked
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-1] == 'certificate.revoked'


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_revoke_and_reissue_without_the_csrf_token_are_refused(client, login, db, admin, issue):
    certificate = issue()
    login(admin)
    assert (
        client.post(
            f'/admin/certificates/{certificate.id}/revoke', data={'reason': 'forged'}
        ).status_code
        == 400
    )
    assert client.post(f'/admin/certificates/{certificate.id}/reissue').status_code == 400
    db.session.refresh(certificate)
    assert certificate.status == 'valid'


def test_the_admin_menu_links_the_certificates(client, login, admin):
    login(admin)
    assert 'href="/admin/certificates"' in client.get('/admin/courses').text
