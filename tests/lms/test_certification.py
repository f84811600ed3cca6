"""Issuing certificates end to end: completion → certificate → PDF, credential, downloads."""

import base64
import hashlib
import io
import json
import re
import subprocess
import zipfile

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from certificates import Certificate, key_store, verify_credential
from lms.attendance.service import record_attendance
from lms.models import AuditEntry
from tests.api.helpers import assert_error


@pytest.fixture
def graduates(db, create_user, create_course, create_offering, create_enrollment):
    """A training with two people who met the rules and one who did not."""
    trainer = create_user(role='trainer')
    course = create_course(
        title_ka='მონაწილეობითი ბიუჯეტირება', title_en='Participatory budgeting', kind='training'
    )
    offering = create_offering(course=course, trainers=[trainer])
    people = [
        create_user(full_name_ka=name, full_name_en=latin)
        for name, latin in (
            ('ნინო ბერიძე', 'Nino Beridze'),
            ('ქეთევან წიკლაური', 'Ketevan Tsiklauri'),
            ('გიორგი კაპანაძე', 'Giorgi Kapanadze'),
        )
    ]
    enrollments = [create_enrollment(offering=offering, user=p) for p in people]
    for s in offering.sessions:
        record_attendance(
            s,
            [
                {'enrollment_id': enrollments[0].id, 'status': 'present'},
                {'enrollment_id': enrollments[1].id, 'status': 'late'},
                {'enrollment_id': enrollments[2].id, 'status': 'absent'},
            ],
            actor=trainer,
        )
    db.session.commit()
    return trainer, offering, enrollments


def _issue(client, login, trainer, offering, **form):
    """Issue as the completion view does: one person straight away; everyone after the
    confirmation page, which says how many certificates it will create."""
    login(trainer)
    url = f'/certificates/offerings/{offering.id}/issue'
    if 'enrollment_id' not in form:
        page = client.get(url)
        if page.status_code != 200:
            return page
        form['expected'] = re.search(r'name="expected" value="(\d+)"', page.text).group(1)
    return client.post(url, data=form)


def test_issuing_from_the_completion_view_covers_everyone_eligible(client, login, db, graduates):
    trainer, offering, (a, b, c) = graduates
    assert _issue(client, login, trainer, offering).status_code == 302
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert sorted(x.enrollment_id for x in certificates) == [a.id, b.id]
    assert all(x.status == 'valid' for x in certificates)
    assert (
        db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == 'certificate.issued', AuditEntry.object_id == a.id
            )
        )
        is not None
    )
    # Issuing again issues nothing.
    _issue(client, login, trainer, offering)
    assert len(db.session.scalars(select(Certificate)).all()) == 2


def test_one_person_can_be_issued_alone(client, login, db, graduates):
    trainer, offering, (a, b, c) = graduates
    _issue(client, login, trainer, offering, enrollment_id=str(b.id))
    assert db.session.scalars(select(Certificate.enrollment_id)).all() == [b.id]


def test_the_api_issues_and_lists_the_skipped_with_reasons(api, db, graduates, create_user):
    admin = create_user(role='admin')
    trainer, offering, (a, b, c) = graduates
    response = api(
        'POST',
        f'/api/v1/offerings/{offering.id}/certificates',
        trainer,
        json={},
        headers={'Accept-Language': 'en'},
    )
    assert response.status_code == 200
    assert len(response.json['issued']) == 2
    assert response.json['skipped'] == [{'enrollment_id': c.id, 'reasons': ['attendance 0% < 80%']}]
    again = api('POST', f'/api/v1/offerings/{offering.id}/certificates', admin, json={})
    assert again.json['issued'] == []
    assert {s['enrollment_id'] for s in again.json['skipped']} == {a.id, b.id, c.id}


def test_the_api_refuses_other_trainers_and_participants(api, graduates, create_user):
    trainer, offering, (a, b, c) = graduates
    url = f'/api/v1/offerings/{offering.id}/certificates'
    assert_error(api('POST', url, create_user(role='trainer'), json={}), 403, 'forbidden')
    assert_error(api('POST', url, a.user, json={}), 403, 'forbidden')
    assert_error(api('POST', url, None, json={}), 401, 'unauthorized')
    assert_error(
        api('POST', '/api/v1/offerings/99999/certificates', trainer, json={}), 404, 'not_found'
    )


def test_a_certificate_record_pdf_and_credential(api, db, graduates, create_user):
    trainer, offering, (a, b, c) = graduates
    serial = api('POST', f'/api/v1/offerings/{offering.id}/certificates', trainer, json={}).json[
        'issued'
    ][0]
    holder = db.session.scalar(
        select(Certificate).where(Certificate.serial == serial.replace('-', ''))
    ).enrollment_id
    person = a.user if holder == a.id else b.user
    record = api('GET', f'/api/v1/certificates/{serial.lower()}', person)
    assert record.status_code == 200
    body = record.json
    assert body['serial'] == serial and body['status'] == 'valid'
    assert body['holder'] == {'name_ka': person.full_name_ka, 'name_en': person.full_name_en}
    assert body['course'] == {
        'code': offering.course.code,
        'title_ka': 'მონაწილეობითი ბიუჯეტირება',
        'title_en': 'Participatory budgeting',
        'kind': 'training',
    }
    assert body['hours'] == 8
    assert body['supersedes'] is None and body['superseded_by'] is None
    first = api('GET', f'/api/v1/certificates/{serial}/pdf', person)
    second = api('GET', f'/api/v1/certificates/{serial}/pdf', trainer)
    assert first.mimetype == 'application/pdf'
    assert first.data == second.data
    assert hashlib.sha256(first.data).hexdigest() == body['pdf_sha256']
    jws = api('GET', f'/api/v1/certificates/{serial}/credential', person)
    assert jws.mimetype == 'text/plain'
    payload = verify_credential(jws.get_data(as_text=True), key_store().public_keys())
    assert 'OpenBadgeCredential' in payload['type']
    other = create_user()
    assert_error(api('GET', f'/api/v1/certificates/{serial}', other), 403, 'forbidden')
    assert_error(api('GET', '/api/v1/certificates/AAAA-AAAA-AAAA', trainer), 404, 'not_found')


def test_the_pdf_shows_both_names_and_its_qr_decodes_to_the_short_address(
    client, login, db, graduates, tmp_path
):
    trainer, offering, (a, b, c) = graduates
    _issue(client, login, trainer, offering)
    certificate = db.session.scalar(select(Certificate).where(Certificate.enrollment_id == a.id))
    login(a.user)
    pdf = client.get(f'/certificates/{certificate.formatted_serial}.pdf').data
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert 'ნინო ბერიძე' in text and 'Nino Beridze' in text
    assert certificate.formatted_serial in text
    (tmp_path / 'c.pdf').write_bytes(pdf)
    subprocess.run(
        [
            'pdftoppm',
            '-png',
            '-r',
            '150',
            '-singlefile',
            str(tmp_path / 'c.pdf'),
            str(tmp_path / 'page'),
        ],
        check=True,
    )
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / 'page.png'))
    assert [code.text for code in codes] == [
        f'https://academy.example.test/v/{certificate.formatted_serial}'
    ]


def test_trainers_download_every_certificate_as_one_zip(client, login, db, graduates):
    trainer, offering, _ = graduates
    _issue(client, login, trainer, offering)
    started = client.post(f'/certificates/offerings/{offering.id}/certificates.zip')
    assert started.status_code == 302  # to the job's page, which links the file when written
    with client.get(started.location.rstrip('/') + '/download') as response:
        assert response.mimetype == 'application/zip'
        archive = zipfile.ZipFile(io.BytesIO(response.data))
    stored = {c.formatted_serial + '.pdf': c.pdf for c in db.session.scalars(select(Certificate))}
    assert {name: archive.read(name) for name in archive.namelist()} == stored


def test_a_stored_pdf_that_no_longer_matches_its_hash_is_not_served(
    client, login, api, db, graduates, caplog
):
    """The PDF lives apart from its certificate's row; what is served is checked against
    the SHA-256 recorded at issue, and a damaged file is refused in words, and logged."""
    trainer, offering, (a, _, _) = graduates
    _issue(client, login, trainer, offering)
    certificate = db.session.scalar(select(Certificate).where(Certificate.enrollment_id == a.id))
    serial = certificate.formatted_serial
    damaged = bytearray(certificate.pdf)
    damaged[-20] ^= 1
    certificate.pdf_file.content = bytes(damaged)
    db.session.commit()
    assert_error(api('GET', f'/api/v1/certificates/{serial}/pdf', a.user), 500, 'damaged_file')
    login(a.user)
    page = client.get(f'/certificates/{serial}.pdf')
    assert page.status_code == 500 and page.mimetype == 'text/html'
    assert 'დაზიანებულია' in page.get_data(as_text=True)  # 'is damaged', in Georgian first
    assert f'The stored PDF of certificate {certificate.serial}' in caplog.text
    login(trainer)
    started = client.post(f'/certificates/offerings/{offering.id}/certificates.zip')
    assert started.status_code == 302, started.status_code
    job = client.get(started.location)
    assert 'დაზიანებულია' in job.get_data(as_text=True)  # no ZIP with a damaged file in it


def test_participants_see_and_download_their_certificates(
    client, login, db, graduates, create_user
):
    trainer, offering, (a, b, c) = graduates
    _issue(client, login, trainer, offering)
    mine = db.session.scalar(select(Certificate).where(Certificate.enrollment_id == a.id))
    login(a.user)
    page = client.get('/certificates/mine')
    assert mine.formatted_serial in page.text
    assert 'მონაწილეობითი ბიუჯეტირება' in page.text
    login(c.user)
    assert client.get(f'/certificates/{mine.formatted_serial}.pdf').status_code == 403


def test_the_public_keys_resolve_the_credentials_kid(client, login, db, graduates):
    trainer, offering, _ = graduates
    _issue(client, login, trainer, offering)
    certificate = db.session.scalar(select(Certificate))
    kid = json.loads(base64.urlsafe_b64decode(certificate.credential_jws.split('.')[0] + '=='))[
        'kid'
    ]
    assert kid == f'https://academy.example.test/.well-known/jwks/{certificate.key_id}'
    jwks = client.get('/.well-known/jwks.json').json
    assert [k['kid'] for k in jwks['keys']] == [kid]
    jwk = client.get(f'/.well-known/jwks/{certificate.key_id}').json
    assert jwk['kty'] == 'RSA' and jwk == jwks['keys'][0]


def test_the_place_names_the_host_municipality_once(create_offering, create_organization):
    kutaisi = create_organization(name_ka='ქუთაისი', name_en='Kutaisi', kind='municipality')
    offering = create_offering(location='საკრებულოს დარბაზი', municipality=kutaisi)
    assert offering.place('ka') == 'საკრებულოს დარბაზი, ქუთაისი'
    offering.location = 'ქუთაისი, საკრებულოს დარბაზი'
    assert offering.place('ka') == 'ქუთაისი, საკრებულოს დარბაზი'
    offering.location_en = 'Kutaisi, City Council hall'
    assert offering.place('en') == 'Kutaisi, City Council hall'


def test_the_english_place_never_shows_georgian_letters(create_offering, create_organization):
    kutaisi = create_organization(name_ka='ქუთაისი', name_en='Kutaisi', kind='municipality')
    offering = create_offering(location='საკრებულოს დარბაზი', municipality=kutaisi)
    assert offering.place('en') == 'Sakrebulos Darbazi, Kutaisi'
    offering.location_en = 'City Council hall'
    assert offering.place('en') == 'City Council hall, Kutaisi'
