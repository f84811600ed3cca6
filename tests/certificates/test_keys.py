import base64
import json
import os
import stat
import threading
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtensionOID, NameOID
from sqlalchemy import select

from certificates import keys as keys_module
from certificates.keys import (
    KeyStore,
    KeyStoreError,
    keys_from_jwks,
    sync_signing_keys,
    thumbprint,
)
from certificates.models import SigningKey

ACADEMY = 'Participation Academy'
BASE = 'https://academy.example.test'


@pytest.fixture(scope='module')
def store(tmp_path_factory):
    """One key for the read-only tests of this module (RSA generation is the slow part)."""
    store = KeyStore(tmp_path_factory.mktemp('store') / 'keys', academy_name=ACADEMY)
    store.current()
    return store


@pytest.fixture
def fresh(tmp_path):
    return KeyStore(tmp_path / 'keys', academy_name=ACADEMY)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_first_use_makes_a_key_readable_only_by_its_owner(store):
    key = store.current()
    assert _mode(store.directory) == 0o700
    key_file = store.directory / f'{key.kid}.key.pem'
    assert _mode(key_file) == 0o600
    assert key_file.read_bytes().startswith(b'-----BEGIN PRIVATE KEY-----')  # PKCS#8
    assert (store.directory / f'{key.kid}.crt.pem').is_file()
    assert isinstance(key.private_key, rsa.RSAPrivateKey)
    assert key.private_key.key_size >= 2048


def test_the_kid_is_the_rfc7638_thumbprint_of_the_public_key(store):
    key = store.current()
    assert key.kid == thumbprint(key.private_key.public_key())
    assert key.kid == thumbprint(key.certificate.public_key())
    assert len(key.kid) == 43 and '=' not in key.kid


def test_the_certificate_is_self_issued_by_the_academy_for_ten_years_of_signing(store):
    certificate = store.current().certificate
    assert certificate.subject == certificate.issuer
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == ACADEMY
    assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ACADEMY
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=3650) <= lifetime <= timedelta(days=3660)
    assert certificate.not_valid_before_utc <= datetime.now(UTC)
    usage = certificate.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    certificate.verify_directly_issued_by(certificate)


def test_the_key_is_parsed_once_per_process(store):
    assert store.current() is store.current()
    assert KeyStore(store.directory).current() is store.current()


def test_the_certificate_pem_is_the_file_on_disk(store):
    key = store.current()
    assert key.certificate_pem == (store.directory / f'{key.kid}.crt.pem').read_text()
    assert x509.load_pem_x509_certificate(key.certificate_pem.encode()) == key.certificate


def test_the_public_jwk_has_exactly_the_published_members(store):
    key = store.current()
    jwk = key.jwk(BASE)
    assert set(jwk) == {'kty', 'n', 'e', 'kid', 'alg', 'use', 'x5c'}
    assert jwk['kty'] == 'RSA' and jwk['alg'] == 'RS256' and jwk['use'] == 'sig'
    assert jwk['e'] == 'AQAB'
    assert jwk['kid'] == f'{BASE}/.well-known/jwks/{key.kid}'  # what credential headers carry
    assert jwk['x5c'] == [base64.b64encode(key.certificate.public_bytes(Encoding.DER)).decode()]
    assert store.jwks(BASE + '/') == {'keys': [jwk]}


def test_the_published_jwks_gives_back_every_key_with_its_certificate(fresh):
    old = fresh.current()
    new = fresh.rotate()

    keys = keys_from_jwks(json.loads(json.dumps(fresh.jwks(BASE))))

    assert set(keys) == {old.kid, new.kid}
    assert (keys[old.kid].certificate, keys[new.kid].certificate) == (
        old.certificate,
        new.certificate,
    )
    assert keys[old.kid].certificate_pem == old.certificate_pem


@pytest.mark.parametrize(
    ('jwks', 'words'),
    [
        ([], 'not a JWKS'),
        ({'keys': 'none'}, 'not a JWKS'),
        ({'keys': [{'kty': 'RSA', 'n': 'AQAB', 'e': 'AQAB'}]}, 'no certificate'),
        ({'keys': [{'x5c': ['not base64!']}]}, 'unreadable'),
        ({'keys': [{'x5c': [base64.b64encode(b'not DER').decode()]}]}, 'unreadable'),
    ],
)
def test_a_jwks_without_usable_certificates_is_refused(jwks, words):
    with pytest.raises(KeyStoreError, match=words):
        keys_from_jwks(jwks)


def test_a_certificate_that_holds_another_key_than_its_jwk_is_refused(store, fresh):
    jwk = {**fresh.current().jwk(BASE), 'x5c': store.current().jwk(BASE)['x5c']}
    with pytest.raises(KeyStoreError, match='another key'):
        keys_from_jwks({'keys': [jwk]})


def test_reading_needs_neither_an_academy_name_nor_an_app(store):
    reader = KeyStore(store.directory)
    kid = store.current().kid
    assert list(reader.public_keys()) == [kid]
    assert reader.find(kid).public_key.public_numbers() == (
        store.current().private_key.public_key().public_numbers()
    )


@pytest.mark.parametrize('kid', ['../keys', 'current', 'a' * 43, '', None, 'x' * 44])
def test_find_answers_none_for_anything_but_a_known_kid(store, kid):
    assert store.find(kid) is None


def test_a_missing_directory_has_no_keys(tmp_path):
    reader = KeyStore(tmp_path / 'nowhere')
    assert reader.public_keys() == {}
    assert reader.jwks(BASE) == {'keys': []}


def test_a_new_key_needs_the_academy_name(tmp_path):
    with pytest.raises(KeyStoreError, match='academy name'):
        KeyStore(tmp_path / 'keys').current()


def test_without_a_name_the_apps_academy_name_is_used(app):
    key = KeyStore(app.config['CERTIFICATE_KEY_DIR']).current()
    name = key.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert name == app.config['ACADEMY_NAME_EN']


def test_keys_under_2048_bits_are_refused(tmp_path):
    with pytest.raises(ValueError, match='2048'):
        KeyStore(tmp_path, academy_name=ACADEMY, key_size=1024)


def test_a_pointer_to_a_missing_key_is_an_error_not_a_new_key(fresh):
    fresh.current()
    (fresh.directory / 'current').write_text('A' * 43 + '\n')
    with pytest.raises(KeyStoreError, match='names no key'):
        fresh.current()


def test_rotation_retires_the_old_key_and_publishes_both(fresh):
    old = fresh.current()
    new = fresh.rotate()
    assert new.kid != old.kid
    assert fresh.current().kid == new.kid
    assert KeyStore(fresh.directory).current().kid == new.kid
    keys = fresh.public_keys()
    assert set(keys) == {old.kid, new.kid}
    assert keys[old.kid].retired_at is not None and keys[new.kid].retired_at is None
    retired_at = datetime.fromisoformat((fresh.directory / f'{old.kid}.retired').read_text())
    assert keys[old.kid].retired_at == retired_at
    assert abs(datetime.now(UTC) - retired_at) < timedelta(minutes=1)
    assert {jwk['kid'].rsplit('/', 1)[-1] for jwk in fresh.jwks(BASE)['keys']} == {
        old.kid,
        new.kid,
    }
    assert _mode(fresh.directory / f'{new.kid}.key.pem') == 0o600


def test_a_second_rotation_keeps_the_first_retirement_time(fresh):
    first = fresh.current()
    fresh.rotate()
    retired_at = fresh.find(first.kid).retired_at
    fresh.rotate()
    keys = fresh.public_keys()
    assert len(keys) == 3
    assert keys[first.kid].retired_at == retired_at
    assert [k.retired_at is None for k in keys.values()].count(True) == 1


def test_a_rotation_in_another_process_is_seen_by_the_next_signature(fresh):
    before = fresh.current()
    elsewhere = KeyStore(fresh.directory, academy_name=ACADEMY)
    after = elsewhere.rotate()
    assert fresh.current().kid == after.kid != before.kid


def test_losing_the_race_for_the_first_key_adopts_the_winners(tmp_path, monkeypatch):
    winner = KeyStore(tmp_path / 'keys', academy_name=ACADEMY)
    loser = KeyStore(tmp_path / 'keys', academy_name=ACADEMY)
    real_generate = KeyStore._generate

    def generate_after_the_winner(self):
        kid = real_generate(self)
        if self is loser:
            winner.current()  # the other process claims the pointer first
        return kid

    monkeypatch.setattr(KeyStore, '_generate', generate_after_the_winner)
    kid = loser.current().kid
    assert kid == winner.current().kid
    files = sorted(p.name for p in loser.directory.iterdir())
    assert files == sorted(['current', f'{kid}.key.pem', f'{kid}.crt.pem'])


def test_threads_racing_for_the_first_key_all_get_the_same_one(tmp_path):
    directory = tmp_path / 'keys'
    kids, errors = [], []
    start = threading.Barrier(4)

    def first_use():
        try:
            start.wait()
            kids.append(KeyStore(directory, academy_name=ACADEMY).current().kid)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(kids)) == 1
    assert len(list(directory.glob('*.key.pem'))) == 1
    assert not list(directory.glob('.tmp-*'))


def test_signing_does_not_parse_the_pem_again(store, monkeypatch):
    monkeypatch.setattr(keys_module, '_loaded', {})  # as in a fresh process
    parsed = []
    real_load = keys_module.serialization.load_pem_private_key

    def counting_load(*args, **kwargs):
        parsed.append(1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(keys_module.serialization, 'load_pem_private_key', counting_load)
    first = KeyStore(store.directory).current()
    for _ in range(5):
        assert KeyStore(store.directory).current() is first
    assert first.jose_key is first.jose_key
    assert len(parsed) == 1


def test_sync_writes_every_key_with_its_retirement(fresh, db):
    old = fresh.current()
    new = fresh.rotate()
    rows = sync_signing_keys(fresh, db.session)
    assert {row.kid for row in rows} == {old.kid, new.kid}
    by_kid = {row.kid: row for row in db.session.scalars(select(SigningKey))}
    assert by_kid[old.kid].retired_at == fresh.find(old.kid).retired_at
    assert by_kid[new.kid].retired_at is None
    assert by_kid[new.kid].certificate_pem == new.certificate_pem
    assert by_kid[new.kid].public_key_pem.startswith('-----BEGIN PUBLIC KEY-----')
    assert by_kid[new.kid].created_at == fresh.find(new.kid).created_at


def test_sync_updates_rows_and_adds_no_duplicates(fresh, db):
    first = fresh.current()
    sync_signing_keys(fresh, db.session)
    assert db.session.scalar(select(SigningKey).filter_by(kid=first.kid)).retired_at is None
    fresh.rotate()
    sync_signing_keys(fresh, db.session)
    sync_signing_keys(fresh, db.session)
    rows = db.session.scalars(select(SigningKey)).all()
    assert len(rows) == 2
    assert db.session.scalar(select(SigningKey).filter_by(kid=first.kid)).retired_at is not None
    assert not db.session.dirty and not db.session.new  # flushed; committing is the caller's
