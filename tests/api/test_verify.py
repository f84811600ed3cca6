"""GET /api/v1/verify/<serial> and POST /api/v1/verify/pdf: public, API.md's shapes exactly."""

from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from certificates import Certificate
from certificates.serials import check_character
from tests.api.described import schema_problems
from tests.api.helpers import assert_error
from tests.certificates.verifying import (
    EDITS,
    academy_keys,
    edit,
    future,
    issuer,
    past,
    revoke,
    set_row,
    supersede,
)

UNKNOWN = 'K7QM3XWD9P2' + check_character('K7QM3XWD9P2')


@pytest.fixture(scope='module')
def keys(tmp_path_factory):
    return academy_keys(tmp_path_factory)


@pytest.fixture
def issue(app, db, create_enrollment, keys):
    return issuer(app, db, create_enrollment, keys)


def _fits(response, schema='Verification'):
    assert schema_problems(f'/components/schemas/{schema}', response.json) == []


def _count(db, certificate):
    db.session.expire_all()
    return db.session.scalar(
        select(Certificate.verification_count).where(Certificate.id == certificate.id)
    )


def test_a_valid_certificate_answers_exactly_the_fields_of_api_md(app, client, db, issue):
    certificate = issue()

    response = client.get(f'/api/v1/verify/{certificate.formatted_serial}')

    assert response.status_code == 200
    assert response.json == {
        'serial': certificate.formatted_serial,
        'status': 'valid',
        'signature_valid': True,
        'holder': {'name_ka': 'ნინო გელაშვილი', 'name_en': 'Nino Gelashvili'},
        'course': {
            'title_ka': 'მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
            'title_en': 'Participatory Budgeting in Municipalities',
            'kind': 'training',
        },
        'hours': 24,
        'issued_on': '2025-03-12',
        'issuer': {
            'name_ka': 'სამოქალაქო ჩართულობის აკადემია',
            'name_en': 'Civic Participation Academy',
            'url': app.config['PUBLIC_BASE_URL'],
        },
    }
    _fits(response)


def test_valid_until_and_expired(client, db, issue):
    ahead, behind = issue(valid_until=future()), issue(valid_until=past())

    valid = client.get(f'/api/v1/verify/{ahead.serial}').json
    expired = client.get(f'/api/v1/verify/{behind.serial}').json

    assert (valid['status'], valid['valid_until']) == ('valid', future().isoformat())
    assert (expired['status'], expired['valid_until']) == ('expired', past().isoformat())


@pytest.mark.parametrize(
    ('category', 'words'),
    [
        ('issued_in_error', 'Issued in error'),
        ('name_corrected', "The holder's name was corrected"),
        ('misconduct', 'Misconduct'),
        ('duplicate', 'A duplicate of another certificate'),
        ('other', 'Another reason'),
    ],
)
def test_a_revoked_certificate_gives_date_and_public_reason(client, db, issue, category, words):
    certificate = issue()
    revoke(db, certificate, reason='Nino asked by phone on Monday', category=category)

    response = client.get(f'/api/v1/verify/{certificate.serial}', headers={'Accept-Language': 'ka'})

    assert response.json['status'] == 'revoked'
    assert response.json['revoked_on'] == '2026-03-11'
    assert response.json['revocation_category'] == category
    assert response.json['revocation_reason'] == words  # the category in words, as API.md
    assert 'Nino asked' not in response.text  # the admins' detail is never public
    assert response.json['signature_valid'] is True
    _fits(response)


def test_a_superseded_certificate_names_its_successor(client, db, issue):
    old = issue()
    new = supersede(db, issue, old)

    response = client.get(f'/api/v1/verify/{old.serial}')

    assert response.json['status'] == 'superseded'
    assert response.json['superseded_by'] == new.formatted_serial
    assert 'revoked_on' not in response.json
    _fits(response)


def test_an_unknown_serial_is_404_not_found_with_the_error_envelope(client, db):
    response = client.get(f'/api/v1/verify/{UNKNOWN}')

    assert response.json['status'] == 'not_found'
    assert_error(response, 404, 'not_found')
    _fits(response, 'Error')


def test_a_typo_is_404_not_found_saying_it_looks_like_a_typo(client, db, issue):
    serial = issue().serial
    mistyped = serial[:5] + ('0' if serial[5] != '0' else '1') + serial[6:]

    response = client.get(f'/api/v1/verify/{mistyped}', headers={'Accept-Language': 'en'})

    assert response.json['status'] == 'not_found'
    error = assert_error(response, 404, 'not_found', fields=['serial'])
    assert error['message'].startswith('This looks like a typo:')
    assert 'Check group 2 of the serial.' in error['message']
    assert serial not in response.text


@pytest.mark.parametrize('how', list(EDITS))
def test_a_record_whose_credential_does_not_verify_is_invalid_with_no_facts(
    client, db, issue, tmp_path, how
):
    certificate = issue()
    edit(db, certificate, how, issue=issue, tmp_path=tmp_path)

    response = client.get(f'/api/v1/verify/{certificate.serial}')
    page = client.get(f'/verify/{certificate.serial}')

    assert response.status_code == 200
    assert response.json == {
        'serial': certificate.formatted_serial,
        'status': 'invalid',
        'signature_valid': False,
        'holder': None,
        'course': None,
        'hours': None,
        'issued_on': None,
        'issuer': None,
    }
    assert 'Nana' not in response.text and '2099' not in response.text
    _fits(response)
    assert page.status_code == 200
    assert 'alert-danger' in page.text and 'bi-shield-fill-exclamation' in page.text


def test_an_edited_revoked_record_is_invalid_too_and_says_nothing_of_the_row(client, db, issue):
    certificate = issue()
    revoke(db, certificate, reason='Issued by mistake')
    set_row(db, certificate, claims_json=certificate.claims_json.replace('Nino', 'Nana'))

    answer = client.get(f'/api/v1/verify/{certificate.serial}').json

    assert (answer['status'], answer['signature_valid']) == ('invalid', False)
    assert 'revoked_on' not in answer and 'revocation_reason' not in answer
    assert 'revocation_category' not in answer


def test_the_issued_pdf_of_an_edited_record_is_not_authentic_and_invalid(client, db, issue):
    certificate = issue()
    set_row(db, certificate, claims_json=certificate.claims_json.replace('Nino', 'Nana'))

    response = client.post(
        '/api/v1/verify/pdf', data={'file': (BytesIO(certificate.pdf), 'certificate.pdf')}
    )

    assert response.json == {
        'authentic': False,
        'serial': certificate.formatted_serial,
        'status': 'invalid',
    }


def test_lookups_ignore_case_spaces_and_hyphens(client, db, issue):
    certificate = issue()
    typed = ' '.join(certificate.serial.lower())

    response = client.get(f'/api/v1/verify/{typed}')

    assert response.json['serial'] == certificate.formatted_serial


def test_the_answer_revalidates_with_its_etag_and_every_call_counts(client, db, issue):
    certificate = issue()
    url = f'/api/v1/verify/{certificate.serial}'

    first = client.get(url)
    again = client.get(url, headers={'If-None-Match': first.headers['ETag']})
    revoke(db, certificate)
    changed = client.get(url, headers={'If-None-Match': first.headers['ETag']})

    assert first.headers['Cache-Control'] == 'no-cache'
    assert again.status_code == 304 and again.data == b''
    assert changed.status_code == 200 and changed.json['status'] == 'revoked'
    assert _count(db, certificate) == 3


def test_no_token_is_needed_and_a_bad_one_does_not_matter(client, db, issue):
    certificate = issue()

    response = client.get(
        f'/api/v1/verify/{certificate.serial}', headers={'Authorization': 'Bearer nonsense'}
    )

    assert response.status_code == 200


def test_a_pdf_is_authentic_only_byte_for_byte(client, db, issue):
    certificate = issue(valid_until=date(2020, 1, 1))
    changed = bytearray(certificate.pdf)
    changed[-100] ^= 0x20

    exact = client.post('/api/v1/verify/pdf', data={'file': (BytesIO(certificate.pdf), 'c.pdf')})
    edited = client.post('/api/v1/verify/pdf', data={'file': (BytesIO(bytes(changed)), 'c.pdf')})

    assert exact.status_code == 200
    assert exact.json == {
        'authentic': True,
        'serial': certificate.formatted_serial,
        'status': 'expired',
    }
    assert edited.status_code == 200
    assert edited.json == {'authentic': False}
    assert _count(db, certificate) == 1


def test_an_issued_pdf_whose_record_was_changed_is_not_authentic(client, db, issue):
    certificate = issue()
    set_row(db, certificate, claims_json=certificate.claims_json.replace('Nino', 'Nana'))

    response = client.post('/api/v1/verify/pdf', data={'file': (BytesIO(certificate.pdf), 'c.pdf')})

    assert response.json['authentic'] is False
    assert response.json['serial'] == certificate.formatted_serial


def test_a_pdf_check_without_a_file_is_422(client):
    response = client.post('/api/v1/verify/pdf', data={})

    assert_error(response, 422, 'invalid', fields=['file'])


@pytest.mark.app_config(RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT='2 per minute')
def test_verification_is_rate_limited_per_address_with_the_envelope(client, db, issue):
    certificate = issue()
    url = f'/api/v1/verify/{certificate.serial}'

    assert client.get(url).status_code == 200
    assert client.post('/api/v1/verify/pdf', data={}).status_code == 422  # one budget
    response = client.get(url)

    assert_error(response, 429, 'too_many_requests')
    assert int(response.headers['Retry-After']) > 0
    other = client.get(url, environ_base={'REMOTE_ADDR': '192.0.2.7'})
    assert other.status_code == 200  # per address


@pytest.mark.parametrize(
    'data', [b'\x89PNG\r\n\x1a\n\x00\x00', b'hello', b' %PDF-1.7'], ids=['png', 'text', 'late']
)
def test_a_file_that_is_not_a_pdf_is_422_naming_the_file(client, db, issue, data):
    certificate = issue()

    response = client.post('/api/v1/verify/pdf', data={'file': (BytesIO(data), 'c.pdf')})

    error = assert_error(response, 422, 'invalid', fields=['file'])
    assert error['fields']['file'] == 'This is not a PDF file.'
    assert _count(db, certificate) == 0


def test_a_file_that_is_not_a_pdf_is_said_in_georgian_when_asked(client):
    response = client.post(
        '/api/v1/verify/pdf',
        data={'file': (BytesIO(b'hello'), 'c.pdf')},
        headers={'Accept-Language': 'ka'},
    )

    assert response.json['error']['fields']['file'] == 'ეს PDF ფაილი არ არის.'


def test_a_file_over_1_mb_is_413_with_the_envelope(client):
    big = _multipart(b'%PDF-1.7\n' + b'0' * (1024 * 1024))

    response = client.post('/api/v1/verify/pdf', **big)

    assert_error(response, 413, 'too_large')


def _multipart(pdf):
    """A request body with `pdf` as the field `file`, built in memory: the test client would
    spool a large upload to a temporary file it never closes when the app refuses the body
    unread."""
    boundary, body = encode_multipart({'file': FileStorage(BytesIO(pdf), 'c.pdf')})
    return {'data': body, 'content_type': f'multipart/form-data; boundary={boundary}'}
