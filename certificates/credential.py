"""The certificate as an Open Badges 3.0 OpenBadgeCredential, signed as a VC-JWT (RS256).

The JWT payload *is* the credential (no `vc` wrapper), with the registered claims Open
Badges 3.0 asks for added: `iss` (issuer.id), `jti` (id), `sub` (credentialSubject.id),
`nbf` (validFrom) and `exp` (validUntil, when the certificate expires). The header carries
`alg: RS256`, `typ: JWT` and a `kid` that is a URL resolving to the key's JWK:
`<base_url>/.well-known/jwks/<kid>`.

Open Badges 3.0 makes `name` and `description` plain strings, so they are English, with
`inLanguage: "en"` on the achievement; the Georgian texts sit beside them as `nameKa`,
`descriptionKa` and `narrativeKa`. The complete Claims travel in `academyClaims`, so a
verifier shows exactly what was certified from the verified payload alone.
"""

import base64
import binascii
import json
from datetime import UTC, date, datetime, time
from functools import partial
from urllib.parse import quote
from zoneinfo import ZoneInfo

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import RSAKey

from certificates.claims import Claims
from certificates.serials import format_serial

CONTEXT = [
    'https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
]
CREDENTIAL_TYPE = ['VerifiableCredential', 'OpenBadgeCredential']
#: The extension field holding the complete Claims (Claims.as_dict()).
CLAIMS_FIELD = 'academyClaims'
ALGORITHM = 'RS256'

_REGISTRY = jws.JWSRegistry(algorithms=[ALGORITHM])

_TYPE_EN = {
    'completion': 'Certificate of completion',
    'participation': 'Certificate of participation',
}
_TYPE_KA = {'completion': 'დასრულების სერტიფიკატი', 'participation': 'მონაწილეობის სერტიფიკატი'}
_KIND_KA = {
    'training': 'ტრენინგი',
    'seminar': 'სემინარი',
    'conference': 'კონფერენცია',
    'forum': 'ფორუმი',
}


#: Why a credential does not verify, as CredentialError.code: words are chosen where the
#: reason is shown (pages translate it, the command line prints the message).
CREDENTIAL_PROBLEMS = ('malformed', 'unknown_key', 'bad_signature')


class CredentialError(Exception):
    """A credential that does not verify; the message is a one-line reason in English,
    `code` one of CREDENTIAL_PROBLEMS."""

    def __init__(self, message, code='malformed'):
        super().__init__(message)
        self.code = code


def credential_url(base_url, serial):
    """The credential's id: its public verification page, `<base_url>/verify/<serial>`."""
    return f'{base_url.rstrip("/")}/verify/{format_serial(serial)}'


def issuer_url(base_url):
    """The issuer profile's id, `<base_url>/issuer`."""
    return f'{base_url.rstrip("/")}/issuer'


def key_url(base_url, kid):
    """The `kid` of a credential's header: `<base_url>/.well-known/jwks/<kid>`, its JWK."""
    return f'{base_url.rstrip("/")}/.well-known/jwks/{kid}'


def achievement_url(base_url, course_code):
    return f'{base_url.rstrip("/")}/courses/{quote(course_code, safe="")}'


def build_credential(claims, serial, *, base_url, status=None, zone='UTC'):
    """The OpenBadgeCredential for a certificate: a dict, ready for sign_credential.

    `status`, when given as {'list_url', 'index'}, adds a BitstringStatusListEntry for
    revocation pointing at bit `index` of the status list credential at `list_url`.
    `zone` is the academy's time zone (the service passes BABEL_DEFAULT_TIMEZONE): its
    days bound validFrom and validUntil, and so the JWT's nbf and exp. Dated by UTC days,
    a certificate issued in the first hours of a Tbilisi day would carry an nbf hours
    ahead, and JWT libraries would refuse it as not yet valid.
    Pure: the same claims, serial, status and zone give the same dict.
    """
    day = partial(_timestamp, zone=ZoneInfo(zone))
    base = base_url.rstrip('/')
    credential_id = credential_url(base, serial)
    kind_en, kind_ka = claims.course_kind, _KIND_KA[claims.course_kind]
    type_en = _TYPE_EN[claims.certificate_type]
    type_ka = _TYPE_KA[claims.certificate_type]
    hours = claims.as_dict()['hours']
    credential = {
        '@context': list(CONTEXT),
        'id': credential_id,
        'type': list(CREDENTIAL_TYPE),
        'issuer': {
            'id': issuer_url(base),
            'type': ['Profile'],
            'name': claims.issuer_name_en,
            'nameKa': claims.issuer_name_ka,
            'url': claims.issuer_url,
        },
        'validFrom': day(claims.issued_on),
        'name': f'{type_en}: {claims.course_title_en}',
        'nameKa': f'{type_ka}: {claims.course_title_ka}',
        'credentialSubject': {
            # The holder has no DID or e-mail in the credential (DESIGN: no personal data
            # beyond the name); the id names "the holder of this certificate".
            'id': f'{credential_id}#holder',
            'type': ['AchievementSubject'],
            'name': claims.holder_name_en,
            'nameKa': claims.holder_name_ka,
            'activityStartDate': day(claims.starts_on),
            'activityEndDate': day(claims.ends_on),
            'achievement': {
                'id': achievement_url(base, claims.course_code),
                'type': ['Achievement'],
                'achievementType': 'Certificate',
                'humanCode': claims.course_code,
                'inLanguage': 'en',
                'name': claims.course_title_en,
                'nameKa': claims.course_title_ka,
                'description': (
                    f'{type_en} of the {kind_en} "{claims.course_title_en}" '
                    f'({hours} hours), {claims.place_en}, '
                    f'{_period(claims.starts_on, claims.ends_on)}.'
                ),
                'descriptionKa': (
                    f'{type_ka} — {kind_ka} „{claims.course_title_ka}“ '
                    f'({hours} სთ), {claims.place_ka}, '
                    f'{_period(claims.starts_on, claims.ends_on)}.'
                ),
                'criteria': {
                    'narrative': (
                        f'Attended {claims.sessions_attended} of {claims.sessions_total} '
                        f'sessions and met the requirements of the {kind_en}.'
                    ),
                    'narrativeKa': (
                        f'დაესწრო {claims.sessions_total}-დან {claims.sessions_attended} '
                        f'სესიას და შეასრულა მოთხოვნები.'
                    ),
                },
            },
        },
        CLAIMS_FIELD: claims.as_dict(),
    }
    if claims.valid_until:
        credential['validUntil'] = day(claims.valid_until, end_of_day=True)
    if status is not None:
        credential['credentialStatus'] = {
            'id': f'{status["list_url"]}#{status["index"]}',
            'type': 'BitstringStatusListEntry',
            'statusPurpose': 'revocation',
            'statusListIndex': str(status['index']),
            'statusListCredential': status['list_url'],
        }
    return credential


def sign_credential(credential, key, *, base_url, typ='JWT'):
    """The credential as a compact JWS (VC-JWT): header alg RS256, typ JWT, kid URL.

    `key` is a SigningKeyPair (KeyStore.current()); its parsed key is reused, so signing
    costs one RSA signature. Adds iss, jti, sub, nbf (and exp) to the payload. `typ`
    'vc+jwt' marks a credential served as application/vc+jwt (the status list).
    """
    payload = {**credential, **_registered_claims(credential)}
    header = {'alg': ALGORITHM, 'typ': typ, 'kid': key_url(base_url, key.kid)}
    jose_key = getattr(key, 'jose_key', None) or RSAKey.import_key(key.private_key)
    return jws.serialize_compact(header, _json_bytes(payload), jose_key, registry=_REGISTRY)


def verify_credential(token, public_keys, *, credential_type=CREDENTIAL_TYPE):
    """The verified payload of a VC-JWT; raises CredentialError with a one-line reason.

    `public_keys` maps kid to a key: a VerificationKey (KeyStore.public_keys()), a
    cryptography RSA public key, or a JWK dict. The header's kid is a URL; a key is found
    under that URL (as a published JWKS lists it) or under its last path segment, the
    thumbprint (as the key store does). Checks the signature and that iss, jti, sub, nbf
    and exp agree with the credential they came with; does not judge dates: an expired
    certificate's credential still verifies, and the caller says it has expired.
    `credential_type` is the list of types the payload must carry (an OpenBadgeCredential
    unless told).
    """
    header = _header(token)
    if header.get('alg') != ALGORITHM:
        raise CredentialError(f'unsupported algorithm {header.get("alg")!r}')
    kid = key_id_of(token)
    if kid is None:
        raise CredentialError('no key id in the header', 'unknown_key')
    key = public_keys.get(header['kid'], public_keys.get(kid))
    if key is None:
        raise CredentialError(f'unknown key {kid}', 'unknown_key')
    try:
        verified = jws.deserialize_compact(token, _public_jose_key(key), registry=_REGISTRY)
    except BadSignatureError:
        raise CredentialError(f'bad signature (key {kid})', 'bad_signature') from None
    except (JoseError, ValueError, TypeError) as error:
        raise CredentialError(f'malformed credential: {error}') from None
    try:
        payload = json.loads(verified.payload)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CredentialError('malformed credential: the payload is not JSON') from None
    if not isinstance(payload, dict):
        raise CredentialError('malformed credential: the payload is not a JSON object')
    _check_shape(payload, credential_type)
    return payload


def key_id_of(token):
    """The kid a VC-JWT's header names (last segment of its URL), unverified; or None."""
    try:
        kid = _header(token).get('kid')
    except CredentialError:
        return None
    if not isinstance(kid, str) or not kid:
        return None
    return kid.rstrip('/').rsplit('/', 1)[-1]


def claims_from_payload(payload):
    """The Claims a verified credential certifies (from its academyClaims field)."""
    try:
        return Claims.from_dict(payload[CLAIMS_FIELD])
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise CredentialError(f'the credential carries no readable claims: {error}') from None


# -- helpers -------------------------------------------------------------------------------


def _registered_claims(credential):
    issuer = credential['issuer']
    claims = {
        'iss': issuer['id'] if isinstance(issuer, dict) else issuer,
        'jti': credential['id'],
        'sub': credential['credentialSubject']['id'],
        'nbf': _epoch(credential['validFrom']),
    }
    if 'validUntil' in credential:
        claims['exp'] = _epoch(credential['validUntil'])
    return claims


def _check_shape(payload, credential_type=CREDENTIAL_TYPE):
    """A credential of `credential_type` whose JWT claims repeat its own properties
    (OB 3.0, 8.2)."""
    if 'vc' in payload:
        raise CredentialError('malformed credential: a vc wrapper, not an Open Badges 3.0 JWT')
    types = payload.get('type')
    if not isinstance(types, list) or not set(credential_type) <= set(types):
        raise CredentialError(f'malformed credential: its type is not {credential_type[-1]}')
    try:
        expected = _registered_claims(payload)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CredentialError(
            'malformed credential: missing issuer, id, subject or dates'
        ) from None
    for name in ('iss', 'jti', 'sub', 'nbf', 'exp'):
        if payload.get(name) != expected.get(name):
            raise CredentialError(f'malformed credential: {name} disagrees with the credential')


def _header(token):
    if isinstance(token, bytes):
        try:
            token = token.decode('ascii')
        except UnicodeDecodeError:
            raise CredentialError('malformed credential: not a compact JWS') from None
    if not isinstance(token, str) or token.count('.') != 2:
        raise CredentialError('malformed credential: not a compact JWS')
    segment = token.split('.', 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + '=' * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        raise CredentialError('malformed credential: unreadable header') from None
    if not isinstance(header, dict):
        raise CredentialError('malformed credential: unreadable header')
    return header


def _public_jose_key(key):
    if isinstance(key, dict):
        return RSAKey.import_key({k: v for k, v in key.items() if k in ('kty', 'n', 'e')})
    return RSAKey.import_key(getattr(key, 'public_key', key))


def _json_bytes(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(',', ':')).encode('utf-8')


def _timestamp(day, *, zone, end_of_day=False):
    """A date in `zone` as an XML Schema dateTime in UTC: its first second, or its last."""
    moment = datetime.combine(day, time(23, 59, 59) if end_of_day else time(0), zone)
    return moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def _epoch(timestamp):
    return int(datetime.fromisoformat(timestamp).timestamp())


def _period(starts_on: date, ends_on: date):
    if starts_on == ends_on:
        return starts_on.isoformat()
    return f'{starts_on.isoformat()} – {ends_on.isoformat()}'
