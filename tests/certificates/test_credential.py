import base64
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from joserfc import jws
from joserfc.jwk import RSAKey

from certificates.claims import Claims, Signatory
from certificates.credential import (
    CredentialError,
    build_credential,
    claims_from_payload,
    key_id_of,
    sign_credential,
    verify_credential,
)
from certificates.keys import KeyStore
from certificates.serials import format_serial, new_serial

BASE = 'https://academy.example.test'


@pytest.fixture(scope='module')
def store(tmp_path_factory):
    store = KeyStore(tmp_path_factory.mktemp('academy') / 'keys', academy_name='Academy')
    store.current()
    return store


@pytest.fixture(scope='module')
def stranger(tmp_path_factory):
    """Somebody else's key: nothing it signs may pass for the academy's."""
    store = KeyStore(tmp_path_factory.mktemp('stranger') / 'keys', academy_name='Forger')
    return store.current()


def make_claims(**overrides):
    values = {
        'holder_name_ka': 'ნინო ბერიძე',
        'holder_name_en': 'Nino Beridze',
        'course_code': 'GOV-101',
        'course_title_ka': 'ადგილობრივი თვითმმართველობა',
        'course_title_en': 'Local self-government',
        'course_kind': 'training',
        'hours': Decimal('16.5'),
        'sessions_attended': 3,
        'sessions_total': 4,
        'starts_on': date(2026, 3, 2),
        'ends_on': date(2026, 3, 5),
        'place_ka': 'ქუთაისი, საკრებულოს დარბაზი',
        'place_en': 'Kutaisi, council hall',
        'issuer_name_ka': 'მონაწილეობის აკადემია',
        'issuer_name_en': 'Participation Academy',
        'issuer_url': BASE,
        'issued_on': date(2026, 3, 6),
        'valid_until': date(2028, 3, 6),
        'signatories': (
            Signatory('ქეთევან წიკლაური', 'Ketevan Tsiklauri', 'დირექტორი', 'Director'),
        ),
    }
    return Claims(**{**values, **overrides})


@pytest.fixture(scope='module')
def serial():
    return new_serial()


@pytest.fixture(scope='module')
def credential(serial):
    return build_credential(
        make_claims(), serial, base_url=BASE, status={'list_url': f'{BASE}/status/1', 'index': 7}
    )


@pytest.fixture(scope='module')
def token(credential, store):
    return sign_credential(credential, store.current(), base_url=BASE)


def _segment(token, index):
    part = token.split('.')[index]
    return base64.urlsafe_b64decode(part + '=' * (-len(part) % 4))


def _encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _epoch(year, month, day, *time):
    return int(datetime(year, month, day, *time, tzinfo=UTC).timestamp())


def test_the_header_names_rs256_jwt_and_a_kid_url(token, store):
    header = json.loads(_segment(token, 0))
    kid = store.current().kid
    assert header == {'alg': 'RS256', 'typ': 'JWT', 'kid': f'{BASE}/.well-known/jwks/{kid}'}
    assert key_id_of(token) == kid


def test_the_payload_is_the_credential_itself_with_the_jwt_claims(token, credential, serial):
    payload = json.loads(_segment(token, 1))
    assert 'vc' not in payload
    assert {k: v for k, v in payload.items() if k not in ('iss', 'jti', 'sub', 'nbf', 'exp')} == (
        credential
    )
    assert payload['iss'] == f'{BASE}/issuer' == payload['issuer']['id']
    assert payload['jti'] == f'{BASE}/verify/{format_serial(serial)}' == payload['id']
    assert payload['sub'] == payload['credentialSubject']['id']
    assert payload['nbf'] == _epoch(2026, 3, 6)
    assert payload['exp'] == _epoch(2028, 3, 6, 23, 59, 59)


def test_the_credential_follows_open_badges_3(credential, serial):
    assert credential['@context'] == [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]
    assert credential['type'] == ['VerifiableCredential', 'OpenBadgeCredential']
    assert credential['id'] == f'{BASE}/verify/{format_serial(serial)}'
    assert credential['issuer'] == {
        'id': f'{BASE}/issuer',
        'type': ['Profile'],
        'name': 'Participation Academy',
        'nameKa': 'მონაწილეობის აკადემია',
        'url': BASE,
    }
    assert credential['validFrom'] == '2026-03-06T00:00:00Z'
    assert credential['validUntil'] == '2028-03-06T23:59:59Z'
    subject = credential['credentialSubject']
    assert subject['type'] == ['AchievementSubject']
    assert subject['name'] == 'Nino Beridze' and subject['nameKa'] == 'ნინო ბერიძე'
    achievement = subject['achievement']
    assert achievement['id'] == f'{BASE}/courses/GOV-101'
    assert achievement['type'] == ['Achievement']
    assert achievement['achievementType'] == 'Certificate'
    assert achievement['name'] == 'Local self-government'
    assert achievement['nameKa'] == 'ადგილობრივი თვითმმართველობა'
    assert isinstance(achievement['name'], str) and achievement['description']
    assert achievement['criteria']['narrative'].startswith('Attended 3 of 4 sessions')
    assert credential['credentialStatus'] == {
        'id': f'{BASE}/status/1#7',
        'type': 'BitstringStatusListEntry',
        'statusPurpose': 'revocation',
        'statusListIndex': '7',
        'statusListCredential': f'{BASE}/status/1',
    }
    assert credential['academyClaims'] == make_claims().as_dict()


def test_without_an_end_date_there_is_no_valid_until_and_no_exp(store, serial):
    credential = build_credential(make_claims(valid_until=None), serial, base_url=BASE)
    assert 'validUntil' not in credential and 'credentialStatus' not in credential
    payload = json.loads(_segment(sign_credential(credential, store.current(), base_url=BASE), 1))
    assert 'exp' not in payload and payload['nbf'] == _epoch(2026, 3, 6)


def test_validity_starts_and_ends_with_the_academys_day_not_utcs(store, serial):
    """Issued at 00:30 in Tbilisi (20:30 UTC the day before): a JWT library checking nbf
    right away must find the credential already valid."""
    issued_at = datetime(2026, 3, 5, 20, 30, tzinfo=UTC)
    claims = make_claims(issued_on=date(2026, 3, 6), valid_until=date(2028, 3, 6))

    credential = build_credential(claims, serial, base_url=BASE, zone='Asia/Tbilisi')
    payload = json.loads(_segment(sign_credential(credential, store.current(), base_url=BASE), 1))

    assert credential['validFrom'] == '2026-03-05T20:00:00Z'  # midnight in Tbilisi (UTC+4)
    assert credential['validUntil'] == '2028-03-06T19:59:59Z'
    assert payload['nbf'] <= issued_at.timestamp()
    assert payload['exp'] == datetime(2028, 3, 6, 19, 59, 59, tzinfo=UTC).timestamp()


def test_building_is_pure(serial):
    claims = make_claims()
    assert build_credential(claims, serial, base_url=BASE) == build_credential(
        claims, format_serial(serial), base_url=BASE + '/'
    )


def test_a_signed_credential_verifies_and_gives_back_the_claims(token, store):
    payload = verify_credential(token, store.public_keys())
    assert claims_from_payload(payload) == make_claims()


def test_georgian_text_travels_as_utf8_and_round_trips(token, store):
    raw = _segment(token, 1)
    assert 'ნინო ბერიძე'.encode() in raw and b'\\u10' not in raw
    claims = claims_from_payload(verify_credential(token, store.public_keys()))
    assert claims.holder_name_ka == 'ნინო ბერიძე'
    assert claims.signatories[0].name_ka == 'ქეთევან წიკლაური'
    assert claims.place_ka == 'ქუთაისი, საკრებულოს დარბაზი'


def test_an_edited_payload_fails(token, store):
    header, payload, signature = token.split('.')
    data = json.loads(_segment(token, 1))
    data['academyClaims']['holder_name_en'] = 'Someone Else'
    edited = f'{header}.{_encode(json.dumps(data).encode())}.{signature}'
    with pytest.raises(CredentialError, match='bad signature'):
        verify_credential(edited, store.public_keys())


def test_a_changed_byte_anywhere_in_the_payload_fails(token, store):
    header, payload, signature = token.split('.')
    raw = bytearray(_segment(token, 1))
    keys = store.public_keys()
    for position in range(0, len(raw), 97):
        changed = bytearray(raw)
        changed[position] ^= 0x01
        with pytest.raises(CredentialError):
            verify_credential(f'{header}.{_encode(bytes(changed))}.{signature}', keys)


def test_a_credential_signed_by_another_key_fails(credential, store, stranger):
    forged_kid = sign_credential(credential, stranger, base_url=BASE)
    with pytest.raises(CredentialError, match='unknown key'):
        verify_credential(forged_kid, store.public_keys())
    # ... also when the forger claims the academy's kid.
    header = {'alg': 'RS256', 'typ': 'JWT', 'kid': f'{BASE}/.well-known/jwks/{store.current().kid}'}
    forged = jws.serialize_compact(
        header, json.dumps(credential).encode(), RSAKey.import_key(stranger.private_key)
    )
    with pytest.raises(CredentialError, match='bad signature'):
        verify_credential(forged, store.public_keys())


def test_a_credential_signed_with_a_retired_key_still_verifies(tmp_path, credential):
    store = KeyStore(tmp_path / 'keys', academy_name='Academy')
    old = sign_credential(credential, store.current(), base_url=BASE)
    store.rotate()
    new = sign_credential(credential, store.current(), base_url=BASE)
    keys = store.public_keys()
    assert key_id_of(old) != key_id_of(new)
    assert keys[key_id_of(old)].retired_at is not None
    assert verify_credential(old, keys)['id'] == verify_credential(new, keys)['id']


def test_keys_may_be_given_as_jwks_or_as_public_keys(token, store):
    by_jwk = {jwk['kid']: jwk for jwk in store.jwks(BASE)['keys']}
    assert verify_credential(token, by_jwk)['jti']
    by_key = {store.current().kid: store.current().private_key.public_key()}
    assert verify_credential(token, by_key)['jti']


@pytest.mark.parametrize(
    'token', ['', 'abc', 'a.b.c', 'a.b', None, 42, '....', 'eyJhbGciOiJSUzI1NiJ9.e30.'], ids=repr
)
def test_malformed_input_is_a_credential_error(token, store):
    with pytest.raises(CredentialError):
        verify_credential(token, store.public_keys())


def test_unsigned_and_other_algorithms_are_refused(credential, store):
    kid = f'{BASE}/.well-known/jwks/{store.current().kid}'
    body = _encode(json.dumps(credential).encode())
    unsigned = _encode(json.dumps({'alg': 'none', 'kid': kid}).encode()) + f'.{body}.'
    with pytest.raises(CredentialError, match='unsupported algorithm'):
        verify_credential(unsigned, store.public_keys())
    hmac = _encode(json.dumps({'alg': 'HS256', 'kid': kid}).encode()) + f'.{body}.AAAA'
    with pytest.raises(CredentialError, match='unsupported algorithm'):
        verify_credential(hmac, store.public_keys())


def test_a_header_without_kid_is_refused(credential, store):
    token = jws.serialize_compact(
        {'alg': 'RS256'}, json.dumps(credential).encode(), store.current().jose_key
    )
    with pytest.raises(CredentialError, match='no key id'):
        verify_credential(token, store.public_keys())


def test_jwt_claims_that_disagree_with_the_credential_are_refused(credential, store):
    payload = {**credential, 'iss': 'https://elsewhere.test/issuer', 'jti': credential['id']}
    payload.update(sub=credential['credentialSubject']['id'], nbf=_epoch(2026, 3, 6))
    token = jws.serialize_compact(
        {'alg': 'RS256', 'kid': f'{BASE}/.well-known/jwks/{store.current().kid}'},
        json.dumps(payload).encode(),
        store.current().jose_key,
    )
    with pytest.raises(CredentialError, match='iss disagrees'):
        verify_credential(token, store.public_keys())


def test_a_vc_wrapped_jwt_is_refused(credential, store):
    token = jws.serialize_compact(
        {'alg': 'RS256', 'kid': f'{BASE}/.well-known/jwks/{store.current().kid}'},
        json.dumps({'vc': credential, 'iss': f'{BASE}/issuer'}).encode(),
        store.current().jose_key,
    )
    with pytest.raises(CredentialError, match='vc wrapper'):
        verify_credential(token, store.public_keys())


def test_a_payload_without_claims_gives_a_credential_error():
    with pytest.raises(CredentialError, match='no readable claims'):
        claims_from_payload({'id': 'x'})
    with pytest.raises(CredentialError, match='no readable claims'):
        claims_from_payload({'academyClaims': {'holder_name_en': 'only this'}})


def test_participation_certificates_say_so(serial):
    credential = build_credential(make_claims(course_kind='forum'), serial, base_url=BASE)
    assert credential['name'] == 'Certificate of participation: Local self-government'
    assert credential['academyClaims']['certificate_type'] == 'participation'
