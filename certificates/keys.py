"""The academy's signing keys: RSA keys by key id, each with a self-issued X.509 certificate.

Everything lives in one directory (CERTIFICATE_KEY_DIR), readable without a database:

    <kid>.key.pem   the private key, PKCS#8, mode 0600 (the directory is 0700)
    <kid>.crt.pem   its self-issued certificate: signs PDFs (PAdES), and publishes the key
    <kid>.retired   the ISO time the key was retired; retired keys still verify
    current         the kid of the key that signs now

The kid is the RFC 7638 thumbprint of the public key, so it never depends on where or
when the key was made. Files are written under temporary names and linked into place, so
a reader never sees half a file, and two processes creating the first key at once agree
on one: the `current` pointer is claimed with os.link, which never overwrites.

Private keys are parsed once per process and cached: signing must not re-read PEM.
"""

import base64
import binascii
import fcntl
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import current_app, has_app_context
from joserfc.jwk import RSAKey
from sqlalchemy import select

from certificates.credential import key_url
from certificates.models import SigningKey

#: RS256 needs RSA; DESIGN.md asks for at least 2048 bits.
MIN_KEY_SIZE = 2048
CERTIFICATE_YEARS = 10
#: Certificates start a little in the past, so a worker whose clock lags still signs
#: inside the validity period.
CLOCK_SKEW = timedelta(minutes=5)

_KID = re.compile(r'^[A-Za-z0-9_-]{43}$')  # base64url SHA-256, unpadded
_POINTER = 'current'


class KeyStoreError(Exception):
    """The key directory is unusable (a pointer to a missing key, a damaged file)."""


@dataclass(frozen=True, eq=False)
class VerificationKey:
    """The public half of an academy key: what verifies credentials and PDFs."""

    kid: str
    certificate: x509.Certificate = field(repr=False)
    certificate_pem: str = field(repr=False)
    retired_at: datetime | None = None

    @property
    def public_key(self):
        return self.certificate.public_key()

    @property
    def public_key_pem(self):
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode('ascii')

    @property
    def created_at(self):
        return self.certificate.not_valid_before_utc + CLOCK_SKEW

    def jwk(self, base_url):
        """The JWK (RFC 7517) published for this key: kty, n, e, kid, alg, use, x5c.

        Its `kid` is the URL credential headers carry (credential.key_url), so a standard
        JOSE library finds the key by the header's kid, and the URL answers this JWK.
        `x5c` is the key's self-issued certificate: with it the JWKS alone checks a
        PDF's signature offline (keys_from_jwks).
        """
        return {
            **_public_numbers_jwk(self.public_key),
            'kid': key_url(base_url, self.kid),
            'alg': 'RS256',
            'use': 'sig',
            'x5c': [
                base64.b64encode(self.certificate.public_bytes(serialization.Encoding.DER)).decode(
                    'ascii'
                )
            ],
        }


@dataclass(frozen=True, eq=False)
class SigningKeyPair(VerificationKey):
    """An academy key with its private half, as current() and rotate() return it."""

    private_key: rsa.RSAPrivateKey | None = field(default=None, repr=False)

    @cached_property
    def jose_key(self):
        """The joserfc key wrapping private_key, built once (sign_credential reuses it)."""
        return RSAKey.import_key(self.private_key, {'kid': self.kid, 'alg': 'RS256'})


class KeyStore:
    """The academy's keys in `directory`; see the module docstring for the layout.

    `academy_name` goes into the certificates of new keys (subject and issuer CN and O);
    without it the Flask app's ACADEMY_NAME_EN is used. Reading and verifying need
    neither a name nor an app.
    """

    def __init__(self, directory, *, academy_name=None, key_size=MIN_KEY_SIZE):
        if key_size < MIN_KEY_SIZE:
            raise ValueError(f'RSA keys need at least {MIN_KEY_SIZE} bits')
        self.directory = Path(directory).resolve()
        self.academy_name = academy_name
        self.key_size = key_size

    # -- reading -------------------------------------------------------------------------

    def current(self):
        """The key that signs now (a SigningKeyPair); made on first use."""
        kid = self._read_pointer()
        if kid is None:
            kid = self._create_first()
        return self._pair(kid)

    def public_keys(self):
        """{kid: VerificationKey} for every key, active and retired, oldest first."""
        if not self.directory.is_dir():
            return {}
        keys = []
        for path in self.directory.glob('*.crt.pem'):
            kid = path.name.removesuffix('.crt.pem')
            if _KID.match(kid):
                try:
                    keys.append(self._verification_key(kid))
                except FileNotFoundError:
                    continue  # the losing half of a race to make the first key, just removed
        keys.sort(key=lambda k: (k.created_at, k.kid))
        return {k.kid: k for k in keys}

    def find(self, kid):
        """The VerificationKey with this kid, or None (also for anything that is not a kid)."""
        if not isinstance(kid, str) or not _KID.match(kid):
            return None
        try:
            return self._verification_key(kid)
        except FileNotFoundError:
            return None

    def jwks(self, base_url):
        """The JWKS (RFC 7517) of every key, retired ones included; see VerificationKey.jwk."""
        return {'keys': [key.jwk(base_url) for key in self.public_keys().values()]}

    # -- changing ------------------------------------------------------------------------

    def rotate(self):
        """Make a new key the signing key and retire the others (they still verify).

        Returns the new SigningKeyPair.
        """
        self._ensure_directory()
        # One rotation at a time, across processes: two racing could otherwise retire
        # each other's new key.
        with open(self.directory / '.rotate.lock', 'a') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            kid = self._generate()
            tmp = self._write_temporary(f'{kid}\n'.encode('ascii'), 0o644)
            os.replace(tmp, self.directory / _POINTER)
            self._retire([other for other in self.public_keys() if other != kid])
        return self._pair(kid)

    # -- internals -----------------------------------------------------------------------

    def _create_first(self):
        self._ensure_directory()
        # Keys without a pointer (it was deleted by hand): the new key replaces them.
        earlier = list(self.public_keys())
        kid = self._generate()
        tmp = self._write_temporary(f'{kid}\n'.encode('ascii'), 0o644)
        try:
            os.link(tmp, self.directory / _POINTER)
        except FileExistsError:
            # Another process made the first key meanwhile: use theirs, drop ours (it
            # never signed anything, so nothing needs it).
            for suffix in ('.crt.pem', '.key.pem', '.retired'):
                (self.directory / f'{kid}{suffix}').unlink(missing_ok=True)
            kid = self._read_pointer()
        else:
            self._retire(earlier)
        finally:
            tmp.unlink(missing_ok=True)
        return kid

    def _read_pointer(self):
        try:
            kid = (self.directory / _POINTER).read_text(encoding='ascii').strip()
        except FileNotFoundError:
            return None
        if not _KID.match(kid) or not (self.directory / f'{kid}.key.pem').is_file():
            raise KeyStoreError(f'{self.directory / _POINTER} names no key: {kid!r}')
        return kid

    def _ensure_directory(self):
        if not self.directory.is_dir():
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.directory, 0o700)

    def _generate(self):
        """A new key and its certificate, written to <kid>.key.pem and <kid>.crt.pem."""
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=self.key_size)
        kid = thumbprint(private_key.public_key())
        certificate = _self_issued_certificate(private_key, self._name())
        key_pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # The private key first: a certificate on disk promises a usable key.
        self._write_once(f'{kid}.key.pem', key_pem, 0o600)
        self._write_once(
            f'{kid}.crt.pem', certificate.public_bytes(serialization.Encoding.PEM), 0o644
        )
        return kid

    def _name(self):
        if self.academy_name:
            return self.academy_name
        if has_app_context() and current_app.config.get('ACADEMY_NAME_EN'):
            return current_app.config['ACADEMY_NAME_EN']
        raise KeyStoreError('a new key needs the academy name (KeyStore(academy_name=...))')

    def _write_temporary(self, data, mode):
        tmp = self.directory / f'.tmp-{secrets.token_hex(8)}'
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        os.fchmod(fd, mode)  # whatever the umask: 0600 for a private key
        with os.fdopen(fd, 'wb') as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        return tmp

    def _write_once(self, name, data, mode):
        """Write `name` atomically; never replace an existing file of that name."""
        tmp = self._write_temporary(data, mode)
        try:
            os.link(tmp, self.directory / name)
        except FileExistsError:
            pass  # same kid, same key: the file already holds these bytes
        finally:
            tmp.unlink(missing_ok=True)

    def _retire(self, kids):
        """Mark these keys retired (a key keeps the first time it was retired)."""
        now = datetime.now(UTC).isoformat().encode('ascii')
        for kid in kids:
            self._write_once(f'{kid}.retired', now, 0o644)

    def _retired_at(self, kid):
        path = self.directory / f'{kid}.retired'
        try:
            text = path.read_text(encoding='ascii').strip()
        except FileNotFoundError:
            return None
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return datetime.fromtimestamp(path.stat().st_mtime, UTC)
        return when if when.tzinfo else when.replace(tzinfo=UTC)

    def _certificate(self, kid):
        path = self.directory / f'{kid}.crt.pem'
        cache_key = ('crt', str(path))
        cached = _loaded.get(cache_key)
        if cached is None:
            pem = path.read_bytes()
            try:
                cached = (x509.load_pem_x509_certificate(pem), pem.decode('ascii'))
            except ValueError as error:
                raise KeyStoreError(f'cannot read the certificate of key {kid}: {error}') from None
            _loaded[cache_key] = cached
        return cached

    def _verification_key(self, kid):
        certificate, pem = self._certificate(kid)
        return VerificationKey(kid, certificate, pem, self._retired_at(kid))

    def _pair(self, kid):
        """The SigningKeyPair for `kid`, parsed once per process."""
        path = self.directory / f'{kid}.key.pem'
        cache_key = ('key', str(path))
        with _lock:
            pair = _loaded.get(cache_key)
            if pair is None:
                certificate, pem = self._certificate(kid)
                try:
                    private_key = serialization.load_pem_private_key(
                        path.read_bytes(), password=None
                    )
                except (OSError, ValueError) as error:
                    raise KeyStoreError(f'cannot read private key {kid}: {error}') from None
                if thumbprint(private_key.public_key()) != kid:
                    raise KeyStoreError(f'{path.name} does not hold the key {kid}')
                pair = SigningKeyPair(kid, certificate, pem, private_key=private_key)
                _loaded[cache_key] = pair
        return pair


#: Parsed keys and certificates by file path: key files never change (the name is the
#: key's thumbprint), so nothing here goes stale.
_loaded = {}
_lock = threading.Lock()


def thumbprint(public_key):
    """The RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA public key: its kid."""
    return RSAKey.import_key(public_key).thumbprint()


def keys_from_jwks(jwks):
    """{kid: VerificationKey} from a published JWKS (a saved /.well-known/jwks.json).

    Each key comes from its `x5c` certificate, so the PDF's signature can be checked as
    well as the credential; the kid is the certificate's thumbprint, whatever the entry's
    kid says. Raises KeyStoreError when the JWKS is not one, when an entry has no
    certificate, or when its certificate holds another key than its n and e.
    """
    entries = jwks.get('keys') if isinstance(jwks, dict) else None
    if not isinstance(entries, list):
        raise KeyStoreError('not a JWKS: no "keys" list')
    keys = {}
    for entry in entries:
        chain = entry.get('x5c') if isinstance(entry, dict) else None
        if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
            raise KeyStoreError('a key in the JWKS has no certificate (x5c)')
        try:
            der = base64.b64decode(chain[0], validate=True)
            certificate = x509.load_der_x509_certificate(der)
        except (binascii.Error, ValueError) as error:
            raise KeyStoreError(f'a certificate in the JWKS is unreadable: {error}') from None
        if not isinstance(certificate.public_key(), rsa.RSAPublicKey):
            raise KeyStoreError('a certificate in the JWKS holds no RSA key')
        kid = thumbprint(certificate.public_key())
        if entry.get('n') is not None and _public_numbers_jwk(certificate.public_key()) != {
            'kty': entry.get('kty'),
            'n': entry.get('n'),
            'e': entry.get('e'),
        }:
            raise KeyStoreError(f'the certificate of key {kid} holds another key than the JWK')
        pem = certificate.public_bytes(serialization.Encoding.PEM).decode('ascii')
        keys[kid] = VerificationKey(kid, certificate, pem)
    return keys


def sync_signing_keys(store, session):
    """Make the signing_keys table list every key in `store`, with its retirement time.

    Inserts keys the table lacks and updates public key, certificate and retired_at of
    the others; rows for keys no longer on disk are left alone. Flushes, never commits.
    Returns the SigningKey rows of the store's keys.
    """
    rows = {row.kid: row for row in session.scalars(select(SigningKey))}
    synced = []
    for key in store.public_keys().values():
        row = rows.get(key.kid)
        if row is None:
            row = SigningKey(kid=key.kid, created_at=key.created_at)
            session.add(row)
        if row.public_key_pem != key.public_key_pem:
            row.public_key_pem = key.public_key_pem
        if row.certificate_pem != key.certificate_pem:
            row.certificate_pem = key.certificate_pem
        if row.retired_at != key.retired_at:
            row.retired_at = key.retired_at
        synced.append(row)
    session.flush()
    return synced


def _public_numbers_jwk(public_key):
    jwk = RSAKey.import_key(public_key).as_dict(private=False)
    return {'kty': 'RSA', 'n': jwk['n'], 'e': jwk['e']}


def _self_issued_certificate(private_key, academy_name):
    """A ten-year certificate for document signing, issued by the academy to itself."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, academy_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, academy_name),
        ]
    )
    public_key = private_key.public_key()
    not_before = datetime.now(UTC).replace(microsecond=0) - CLOCK_SKEW
    key_id = x509.SubjectKeyIdentifier.from_public_key(public_key)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=365 * CERTIFICATE_YEARS + 3))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: the academy stands by the PDF
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(key_id, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(key_id),
            critical=False,
        )
        .sign(private_key, hashes.SHA256())
    )


__all__ = [
    'KeyStore',
    'KeyStoreError',
    'SigningKeyPair',
    'VerificationKey',
    'keys_from_jwks',
    'sync_signing_keys',
    'thumbprint',
]
