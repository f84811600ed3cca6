"""The published keys, checked with other people's JOSE libraries, not with our own code.

API.md: each key's `kid` in the JWKS is exactly the `kid` that credential headers carry,
so a standard JOSE library finds the key by `kid`. The app is served for real on a free
localhost port, so PyJWT's client fetches the JWKS over HTTP as any verifier would.
"""

import base64
import json
import threading
import urllib.request
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding
from joserfc import jws
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import select
from werkzeug.serving import make_server

from certificates import Certificate, key_store
from lms.attendance.service import record_attendance


@pytest.fixture
def served(app):
    """The app on a free localhost port; PUBLIC_BASE_URL is that address."""
    server = make_server('127.0.0.1', 0, app)
    base = f'http://127.0.0.1:{server.server_port}'
    app.config['PUBLIC_BASE_URL'] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join()
    server.server_close()


def _get(url):
    with urllib.request.urlopen(url) as response:  # noqa: S310 (a localhost test server)
        return response.read()


@pytest.fixture
def issue(served, api, db, create_user, create_offering, create_enrollment):
    """Issue a certificate the way a trainer does (the API), and fetch its credential from
    the public address; answers the compact JWS."""

    def _issue():
        trainer = create_user(role='trainer')
        offering = create_offering(trainers=[trainer])
        enrollment = create_enrollment(offering=offering)
        for offering_session in offering.sessions:
            record_attendance(
                offering_session,
                [{'enrollment_id': enrollment.id, 'status': 'present'}],
                actor=trainer,
            )
        response = api('POST', f'/api/v1/offerings/{offering.id}/certificates', trainer, json={})
        assert response.status_code == 200, response.json
        (serial,) = response.json['issued']
        return _get(f'{served}/verify/{serial}/credential.jwt').decode('ascii')

    return _issue


def _kid(token):
    return jws.extract_compact(token.encode('ascii')).headers()['kid']


def _jwks(base):
    return json.loads(_get(f'{base}/.well-known/jwks.json'))


def _tokens(served, issue):
    """A certificate's credential and the status list credential, both as served."""
    return {'certificate': issue(), 'status list': _get(f'{served}/status/1').decode('ascii')}


def test_the_jwks_lists_each_key_under_the_kid_credential_headers_carry(served, issue):
    tokens = _tokens(served, issue)

    jwks = _jwks(served)

    kid = f'{served}/.well-known/jwks/{key_store().current().kid}'
    assert {_kid(token) for token in tokens.values()} == {kid}
    assert [key['kid'] for key in jwks['keys']] == [kid]
    # ... and the kid is an address that answers that very JWK.
    assert json.loads(_get(kid)) == jwks['keys'][0]


@pytest.mark.parametrize('which', ['certificate', 'status list'])
def test_joserfc_finds_the_key_by_kid_in_the_published_jwks(served, issue, which):
    token = _tokens(served, issue)[which]
    keys = KeySet.import_key_set(_jwks(served))

    verified = jws.deserialize_compact(token, keys, algorithms=['RS256'])
    decoded = jose_jwt.decode(token, keys, algorithms=['RS256'])

    assert json.loads(verified.payload)['id'] == decoded.claims['jti']


@pytest.mark.parametrize('which', ['certificate', 'status list'])
def test_pyjwt_finds_the_key_by_kid_in_the_published_jwks(served, issue, which):
    token = _tokens(served, issue)[which]
    keys = jwt.PyJWKSet.from_dict(_jwks(served))

    key = keys[jwt.get_unverified_header(token)['kid']]

    assert jwt.decode(token, key, algorithms=['RS256'])['iss'] == f'{served}/issuer'


@pytest.mark.parametrize('which', ['certificate', 'status list'])
def test_pyjwts_client_fetches_the_signing_key_by_kid_over_http(served, issue, which):
    token = _tokens(served, issue)[which]
    client = jwt.PyJWKClient(f'{served}/.well-known/jwks.json', cache_keys=False)

    key = client.get_signing_key_from_jwt(token)

    assert key.key_id == jwt.get_unverified_header(token)['kid']
    assert jwt.decode(token, key, algorithms=['RS256'])['iss'] == f'{served}/issuer'


def test_a_credential_signed_with_a_retired_key_is_still_found_by_kid(served, issue, db):
    old = issue()
    key_store().rotate()
    new = issue()

    jwks = _jwks(served)

    assert _kid(old) != _kid(new)
    assert {key['kid'] for key in jwks['keys']} == {_kid(old), _kid(new)}
    for token in (old, new):
        key = jwt.PyJWKSet.from_dict(jwks)[_kid(token)]
        assert jwt.decode(token, key, algorithms=['RS256'])['jti'].startswith(served)
        jws.deserialize_compact(token, KeySet.import_key_set(jwks), algorithms=['RS256'])
    # Our own records keep the bare thumbprint.
    assert {c.key_id for c in db.session.scalars(select(Certificate))} == {
        _kid(old).rsplit('/', 1)[-1],
        _kid(new).rsplit('/', 1)[-1],
    }


def test_each_jwk_carries_its_certificate_holding_the_same_key(served, issue):
    issue()
    key_store().rotate()

    for jwk in _jwks(served)['keys']:
        (der,) = jwk['x5c']  # RFC 7517, 4.7: base64 (not base64url) DER
        certificate = x509.load_der_x509_certificate(base64.b64decode(der, validate=True))
        numbers = certificate.public_key().public_numbers()
        assert RSAKey.import_key(jwk).as_dict()['n'] == jwk['n']
        assert (numbers.n, numbers.e) == (
            int.from_bytes(_b64url(jwk['n']), 'big'),
            int.from_bytes(_b64url(jwk['e']), 'big'),
        )
        # A self-issued certificate: its own key signed it.
        certificate.public_key().verify(
            certificate.signature,
            certificate.tbs_certificate_bytes,
            padding.PKCS1v15(),
            certificate.signature_hash_algorithm,
        )
        assert jwk['kid'].endswith('/' + RSAKey.import_key(jwk).thumbprint())


def _b64url(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def test_an_issued_credential_is_valid_from_the_start_of_its_day_in_tbilisi(served, issue):
    payload = jwt.decode(issue(), options={'verify_signature': False})

    issued_on = date.fromisoformat(payload['academyClaims']['issued_on'])
    midnight = datetime.combine(issued_on, time(0), ZoneInfo('Asia/Tbilisi'))
    assert payload['nbf'] == midnight.timestamp()
    assert payload['validFrom'] == midnight.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')
