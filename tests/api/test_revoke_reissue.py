"""POST /api/v1/certificates/{serial}/revoke and /reissue, exactly as API.md fixes them."""

import logging

import pytest
from sqlalchemy import select

from certificates import Certificate, format_serial, issue_certificate, new_serial
from lms.extensions import academy_today
from lms.models import AuditEntry
from tests.api.described import answer_problems
from tests.api.helpers import assert_error
from tests.certificates.samples import sample_claims


@pytest.fixture
def enrollment(create_enrollment, create_user, offering):
    holder = create_user(
        full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze', email='nino@example.ge'
    )
    return create_enrollment(offering=offering, user=holder)


@pytest.fixture
def certificate(db, enrollment):
    """Issued with a misspelt Latin name, as happens."""
    claims = sample_claims(holder_name_ka='ნინო ბერიძე', holder_name_en='Nino Beridce')
    certificate = issue_certificate(claims, enrollment_id=enrollment.id)
    db.session.commit()
    return certificate


def _url(certificate, action):
    return f'/api/v1/certificates/{certificate.formatted_serial}/{action}'


def _fits(response, path, status):
    assert answer_problems(path, 'post', int(status), response.mimetype, response.json) == []


def test_revoking_answers_the_certificate_as_revoked(api, db, admin, certificate, caplog):
    caplog.set_level(logging.INFO, logger='lms')
    response = api('POST', _url(certificate, 'revoke'), admin, json={'reason': 'Issued in error.'})

    assert response.status_code == 200
    assert response.json['status'] == 'revoked'
    assert response.json['serial'] == certificate.formatted_serial
    _fits(response, '/api/v1/certificates/{serial}/revoke', '200')
    stored = db.session.get(Certificate, certificate.id)
    assert stored.revocation_reason == 'Issued in error.' and stored.revoked_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'certificate.revoked'))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        admin.id,
        'certificates',
        certificate.id,
    )
    assert entry.data['before']['status'] == 'valid'
    assert entry.data['after']['status'] == 'revoked'
    assert entry.data['after']['revocation_reason'] == 'Issued in error.'
    mail = [r.getMessage() for r in caplog.records if 'nino@example.ge' in r.getMessage()]
    assert len(mail) == 1
    # In the holder's language: Georgian, as they have not chosen another.
    assert 'გაუქმდა' in mail[0] and 'Issued in error.' not in mail[0]  # the detail is not sent
    assert stored.revocation_category == 'other'  # no category given: 'other'
    assert f'https://academy.example.test/v/{certificate.formatted_serial}' in mail[0]


@pytest.mark.parametrize('body', [{}, {'reason': ''}, {'reason': '   '}, {'reason': 'x' * 501}])
def test_revoking_without_a_reason_or_with_a_long_one_is_refused(api, admin, certificate, body):
    response = api('POST', _url(certificate, 'revoke'), admin, json=body)
    assert_error(response, 422, 'invalid', fields=['reason'])
    assert certificate.status == 'valid'


def test_revoking_twice_is_a_conflict(api, admin, certificate):
    api('POST', _url(certificate, 'revoke'), admin, json={'reason': 'first'})
    again = api('POST', _url(certificate, 'revoke'), admin, json={'reason': 'second'})
    assert_error(again, 409, 'conflict')
    assert certificate.revocation_reason == 'first'


def test_a_reissue_states_the_current_data_and_supersedes_the_old_one(
    api, db, admin, certificate, enrollment, caplog
):
    caplog.set_level(logging.INFO, logger='lms')
    enrollment.user.full_name_en = 'Nino Beridze'  # the correction
    response = api('POST', _url(certificate, 'reissue'), admin, json={})

    assert response.status_code == 201
    _fits(response, '/api/v1/certificates/{serial}/reissue', '201')
    new = response.json
    assert new['status'] == 'valid'
    assert new['serial'] != certificate.formatted_serial
    assert new['supersedes'] == certificate.formatted_serial
    assert new['holder'] == {'name_ka': 'ნინო ბერიძე', 'name_en': 'Nino Beridze'}
    assert new['issued_on'] == academy_today().isoformat()
    old = api('GET', f'/api/v1/certificates/{certificate.formatted_serial}', admin).json
    assert old['status'] == 'superseded' and old['superseded_by'] == new['serial']
    assert old['holder']['name_en'] == 'Nino Beridce'  # what it stated stays as it was
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ['certificate.reissued', 'certificate.issued']
    mail = [r.getMessage() for r in caplog.records if 'nino@example.ge' in r.getMessage()]
    assert len(mail) == 1 and new['serial'] in mail[0] and certificate.formatted_serial in mail[0]


def test_only_a_valid_certificate_is_reissued(api, admin, certificate):
    first = api('POST', _url(certificate, 'reissue'), admin, json={})
    assert first.status_code == 201
    assert_error(api('POST', _url(certificate, 'reissue'), admin, json={}), 409, 'conflict')
    assert_error(
        api('POST', _url(certificate, 'revoke'), admin, json={'reason': 'x'}), 409, 'conflict'
    )


def test_a_revoked_certificate_is_not_reissued(api, db, admin, certificate):
    api('POST', _url(certificate, 'revoke'), admin, json={'reason': 'withdrawn'})
    assert_error(api('POST', _url(certificate, 'reissue'), admin, json={}), 409, 'conflict')
    assert db.session.scalars(select(Certificate)).all() == [certificate]


@pytest.mark.parametrize('action', ['revoke', 'reissue'])
def test_only_admins_may_revoke_or_reissue(api, trainer, certificate, enrollment, action):
    body = {'reason': 'no'}
    assert_error(api('POST', _url(certificate, action), trainer, json=body), 403, 'forbidden')
    assert_error(
        api('POST', _url(certificate, action), enrollment.user, json=body), 403, 'forbidden'
    )
    assert_error(api('POST', _url(certificate, action), None, json=body), 401, 'unauthorized')
    assert certificate.status == 'valid'


@pytest.mark.parametrize('action', ['revoke', 'reissue'])
def test_an_unknown_serial_is_404(api, admin, action):
    for serial in (format_serial(new_serial()), 'not-a-serial'):
        url = f'/api/v1/certificates/{serial}/{action}'
        assert_error(api('POST', url, admin, json={'reason': 'x'}), 404, 'not_found')


def test_a_body_that_is_not_an_object_is_refused(api, admin, certificate):
    response = api('POST', _url(certificate, 'revoke'), admin, json=['reason'])
    assert_error(response, 422, 'invalid')
    malformed = api(
        'POST', _url(certificate, 'reissue'), admin, data='{', content_type='application/json'
    )
    assert_error(malformed, 400, 'bad_request')


@pytest.mark.app_config(MAIL_URL='')
def test_without_e_mail_nobody_is_written_to(api, admin, certificate, caplog):
    caplog.set_level(logging.INFO, logger='lms')
    api('POST', _url(certificate, 'revoke'), admin, json={'reason': 'withdrawn'})
    assert not [r for r in caplog.records if 'nino@example.ge' in r.getMessage()]


def test_revoking_with_a_category_shows_it_publicly_and_keeps_the_detail_for_admins(
    api, client, db, admin, certificate
):
    body = {'reason': 'Enrolled twice by the import of 2019.', 'category': 'duplicate'}
    response = api('POST', _url(certificate, 'revoke'), admin, json=body)

    assert response.status_code == 200
    stored = db.session.get(Certificate, certificate.id)
    assert (stored.revocation_category, stored.revocation_reason) == (
        'duplicate',
        'Enrolled twice by the import of 2019.',
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == 'certificate.revoked'))
    assert entry.data['after']['revocation_category'] == 'duplicate'
    public = client.get(f'/api/v1/verify/{certificate.formatted_serial}').json
    assert public['revocation_category'] == 'duplicate'
    assert 'import of 2019' not in str(public)


@pytest.mark.parametrize('category', ['stolen', 'ISSUED_IN_ERROR', 7])
def test_an_unknown_category_is_refused_naming_the_field(api, admin, certificate, category):
    body = {'reason': 'Withdrawn.', 'category': category}
    response = api('POST', _url(certificate, 'revoke'), admin, json=body)
    assert_error(response, 422, 'invalid', fields=['category'])
    assert certificate.status == 'valid'
