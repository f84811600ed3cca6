"""Revoking and reissuing in the certificate authority, and the status list that publishes it."""

import base64
import gzip
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

import certificates.service
from certificates import (
    STATUS_LIST_SIZE,
    Certificate,
    CertificateError,
    bit_at,
    decode_encoded_list,
    issue_certificate,
    key_store,
    reissue_certificate,
    revoke_certificate,
    signed_status_list,
    verify_credential,
)
from certificates.status_list import CREDENTIAL_TYPE, encode_bitstring
from tests.certificates.samples import sample_claims
from tests.statements import count_statements


@pytest.fixture
def issue(create_enrollment):
    def _issue(**claims):
        return issue_certificate(sample_claims(**claims), enrollment_id=create_enrollment().id)

    return _issue


def test_a_revoked_certificate_keeps_its_record_with_time_and_reason(db, issue):
    certificate = issue()
    moment = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)

    revoke_certificate(certificate, reason='  Attendance was recorded by mistake. ', now=moment)

    db.session.expire_all()
    stored = db.session.get(Certificate, certificate.id)
    assert stored.status == 'revoked'
    assert stored.revoked_at == moment
    assert stored.revocation_reason == 'Attendance was recorded by mistake.'
    assert stored.credential_jws == certificate.credential_jws  # still verifiable as issued


@pytest.mark.parametrize(
    ('reason', 'code'),
    [(None, 'reason_required'), ('   ', 'reason_required'), ('x' * 501, 'reason_too_long')],
)
def test_a_revocation_needs_a_reason_of_at_most_500_characters(db, issue, reason, code):
    certificate = issue()
    with pytest.raises(CertificateError) as caught:
        revoke_certificate(certificate, reason=reason)
    assert (caught.value.code, caught.value.field, caught.value.conflict) == (code, 'reason', False)
    assert certificate.status == 'valid'


def test_revoking_twice_is_a_conflict(db, issue):
    certificate = issue()
    revoke_certificate(certificate, reason='first')
    with pytest.raises(CertificateError) as caught:
        revoke_certificate(certificate, reason='second')
    assert caught.value.conflict and caught.value.code == 'not_valid'
    assert certificate.revocation_reason == 'first'


def test_a_reissue_supersedes_the_old_certificate_for_the_same_enrollment(db, issue):
    old = issue()
    new = reissue_certificate(old, sample_claims(holder_name_en='Nino Gelashvili-Beridze'))

    db.session.expire_all()
    assert old.status == 'superseded' and new.status == 'valid'
    assert new.serial != old.serial and new.status_index != old.status_index
    assert new.enrollment_id == old.enrollment_id
    assert new.supersedes_id == old.id and old.superseded_by.id == new.id
    assert 'Nino Gelashvili-Beridze' in new.claims_json


def test_only_a_valid_certificate_can_be_reissued_or_revoked(db, issue):
    old = issue()
    reissue_certificate(old, sample_claims())
    with pytest.raises(CertificateError):
        reissue_certificate(old, sample_claims())
    with pytest.raises(CertificateError):
        revoke_certificate(old, reason='too late')
    revoked = issue()
    revoke_certificate(revoked, reason='withdrawn')
    with pytest.raises(CertificateError):
        reissue_certificate(revoked, sample_claims())
    assert (
        db.session.scalar(select(Certificate).where(Certificate.supersedes_id == revoked.id))
        is None
    )


# -- the status list -------------------------------------------------------------------------


def _decode(token, client):
    """The status list credential, verified with the published JWKS, and its bitstring."""
    jwks = client.get('/.well-known/jwks.json').json
    payload = verify_credential(
        token, {k['kid']: k for k in jwks['keys']}, credential_type=CREDENTIAL_TYPE
    )
    encoded = payload['credentialSubject']['encodedList']
    assert encoded.startswith('u')
    # Decoded by hand as the spec describes, not only through our own decoder.
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + '=' * (-len(body) % 4)))
    assert bits == decode_encoded_list(encoded)
    return payload, bits


def test_the_status_list_is_a_signed_credential_with_the_bit_of_each_revoked_certificate(
    client, db, issue
):
    revoked, valid, superseded = issue(), issue(), issue()
    revoke_certificate(revoked, reason='withdrawn')
    reissue_certificate(superseded, sample_claims())
    db.session.commit()

    response = client.get('/status/1')

    assert response.status_code == 200
    assert response.mimetype == 'application/vc+jwt'
    header = json.loads(base64.urlsafe_b64decode(response.text.split('.')[0] + '=='))
    assert header['alg'] == 'RS256' and header['typ'] == 'vc+jwt'
    assert header['kid'].endswith(f'/.well-known/jwks/{key_store().current().kid}')
    payload, bits = _decode(response.text, client)
    assert payload['type'] == ['VerifiableCredential', 'BitstringStatusListCredential']
    assert payload['id'] == 'https://academy.example.test/status/1'
    assert payload['issuer'] == 'https://academy.example.test/issuer'
    assert payload['credentialSubject'] == {
        'id': 'https://academy.example.test/status/1#list',
        'type': 'BitstringStatusList',
        'statusPurpose': 'revocation',
        'encodedList': payload['credentialSubject']['encodedList'],
    }
    assert len(bits) * 8 == STATUS_LIST_SIZE
    assert bit_at(bits, revoked.status_index) == 1
    assert bit_at(bits, valid.status_index) == 0
    assert bit_at(bits, superseded.status_index) == 0  # superseded is not revoked
    assert sum(bin(b).count('1') for b in bits) == 1


def test_each_credential_points_at_its_bit_of_the_published_list(client, db, issue):
    certificate = issue()
    payload = verify_credential(certificate.credential_jws, key_store().public_keys())
    status = payload['credentialStatus']
    assert status['statusListCredential'] == 'https://academy.example.test/status/1'
    assert status['statusPurpose'] == 'revocation'
    assert int(status['statusListIndex']) == certificate.status_index


def test_the_list_is_re_signed_when_a_certificate_is_revoked_and_only_then(client, db, issue):
    first, second = issue(), issue()
    db.session.commit()
    before = client.get('/status/1')
    with count_statements() as statements:
        again = client.get('/status/1', headers={'If-None-Match': before.headers['ETag']})
    assert again.status_code == 304
    assert len(statements) == 1  # the version: count and latest revocation time

    revoke_certificate(second, reason='withdrawn')
    db.session.commit()
    after = client.get('/status/1', headers={'If-None-Match': before.headers['ETag']})
    assert after.status_code == 200
    _, bits = _decode(after.text, client)
    assert bit_at(bits, second.status_index) == 1 and bit_at(bits, first.status_index) == 0


def test_a_rolled_back_revocation_never_reaches_the_list(client, db, issue):
    certificate = issue()
    db.session.commit()
    revoke_certificate(certificate, reason='withdrawn')
    uncommitted = signed_status_list()
    db.session.rollback()
    _, bits = _decode(client.get('/status/1').text, client)
    assert bit_at(bits, certificate.status_index) == 0
    assert client.get('/status/1').text != uncommitted


def test_the_same_revocations_give_the_same_bytes():
    assert encode_bitstring([3, 17], 64) == encode_bitstring([17, 3], 64)
    bits = decode_encoded_list(encode_bitstring([0, 9, 63], 64))
    assert [i for i in range(64) if bit_at(bits, i)] == [0, 9, 63]
    assert bits[0] == 0x80  # index 0 is the leftmost bit


@pytest.mark.parametrize('encoded', ['H4sI', 'u!!!', 'u' + base64.urlsafe_b64encode(b'x').decode()])
def test_something_that_is_not_an_encoded_list_is_refused(encoded):
    with pytest.raises(ValueError):
        decode_encoded_list(encoded)


def test_a_full_list_gives_way_to_a_new_one_and_each_credential_names_its_own(
    client, db, issue, monkeypatch
):
    # Lists of three certificates, so that a few issues fill one (the real size is 65,536).
    monkeypatch.setattr(certificates.service, 'STATUS_LIST_CAPACITY', 3)
    issued = [issue() for _ in range(5)]
    db.session.commit()
    assert [c.status_list for c in issued] == [1, 1, 1, 2, 2]
    for certificate in issued:
        payload = verify_credential(certificate.credential_jws, key_store().public_keys())
        status = payload['credentialStatus']
        assert status['statusListCredential'] == (
            f'https://academy.example.test/status/{certificate.status_list}'
        )
        assert int(status['statusListIndex']) == certificate.status_index

    revoke_certificate(issued[4], reason='withdrawn')
    db.session.commit()
    first, _ = _decode(client.get('/status/1').text, client)
    second, bits = _decode(client.get('/status/2').text, client)
    assert second['id'] == 'https://academy.example.test/status/2'
    assert bit_at(bits, issued[4].status_index) == 1 and sum(bin(b).count('1') for b in bits) == 1
    _, bits_of_first = _decode(client.get('/status/1').text, client)
    assert not any(bits_of_first)
    assert client.get('/status/3').status_code == 404
    assert client.get('/status/0').status_code == 404


def test_issuing_into_a_list_that_is_almost_full_still_ends(db, issue, monkeypatch):
    # A list of 16 bits with room for all 16: the last free bits are found, then list 2
    # starts; before, a full list made issuing search for ever.
    monkeypatch.setattr(certificates.service, 'STATUS_LIST_SIZE', 16)
    monkeypatch.setattr(certificates.service, 'STATUS_LIST_CAPACITY', 16)
    issued = [issue() for _ in range(18)]
    assert sorted(c.status_index for c in issued if c.status_list == 1) == list(range(16))
    assert [c.status_list for c in issued[16:]] == [2, 2]


@pytest.mark.parametrize('category', ['issued_in_error', 'misconduct', 'other'])
def test_the_category_changes_neither_the_credential_nor_the_status_list(
    client, db, issue, category
):
    """The public reason lives in the row alone: whatever it is, the signed credential
    stays byte for byte as issued and the status list holds the same bits."""
    certificate = issue()
    issued = (certificate.credential_jws, certificate.claims_json)
    revoke_certificate(certificate, reason='Detail for admins.', category=category)
    db.session.commit()

    db.session.expire_all()
    stored = db.session.get(Certificate, certificate.id)
    assert (stored.revocation_category, stored.revocation_reason) == (
        category,
        'Detail for admins.',
    )
    assert (stored.credential_jws, stored.claims_json) == issued
    payload, bits = _decode(client.get('/status/1').text, client)
    assert bits == decode_encoded_list(encode_bitstring([stored.status_index], STATUS_LIST_SIZE))
    assert 'Detail for admins.' not in json.dumps(payload)
    assert category not in json.dumps(payload)


def test_an_unknown_category_is_refused_and_nothing_changes(db, issue):
    certificate = issue()
    with pytest.raises(CertificateError) as caught:
        revoke_certificate(certificate, reason='Withdrawn.', category='stolen')
    assert (caught.value.code, caught.value.field) == ('category_unknown', 'category')
    assert certificate.status == 'valid'
