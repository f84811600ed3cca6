"""Command line: `certificates verify-pdf FILE` (offline) and `certificates rotate-key`.

verify-pdf needs only the file and the academy's public keys: those in CERTIFICATE_KEY_DIR
(the X.509 certificates; no private key), or with `--keys JWKS` a saved copy of the
published /.well-known/jwks.json, whose keys carry their certificates (x5c). No database,
no network: anyone holding the academy's public keys can check a PDF on a machine with
nothing else.
"""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from certificates.claims import Claims
from certificates.credential import (
    CLAIMS_FIELD,
    credential_url,
)
from certificates.keys import (
    KeyStore,
    KeyStoreError,
    keys_from_jwks,
    sync_signing_keys,
)
from certificates.offline import NotAuthentic, verify_offline
from certificates.serials import format_serial, normalise
from certificates.service import key_store
from lms.extensions import db

certificates_cli = AppGroup('certificates', help='Certificates: offline checks and keys.')


def _one_line(text):
    return ' '.join(str(text).split())


@certificates_cli.command('verify-pdf')
@click.argument('file', type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    '--keys',
    'keys_file',
    type=click.Path(dir_okay=False, path_type=Path),
    help="A saved copy of the academy's /.well-known/jwks.json to check against, "
    'instead of the key folder (CERTIFICATE_KEY_DIR).',
)
def verify_pdf_command(file, keys_file):
    """Check FILE offline: exit 0 and 'authentic' on the last line, else exit 1 and why."""
    try:
        data = file.read_bytes()
    except OSError as error:
        _fail(f'cannot read {file}: {error.strerror or error}')
    public_keys = None if keys_file is None else _saved_keys(keys_file)
    try:
        if public_keys is None:
            public_keys = KeyStore(current_app.config['CERTIFICATE_KEY_DIR']).public_keys()
        payload = verify_offline(data, public_keys)
    except (NotAuthentic, KeyStoreError) as error:
        _fail(f'not authentic: {_one_line(error)}')
    for line in _summary(payload):
        click.echo(line)
    click.echo('authentic')


def _saved_keys(path):
    """The keys of a saved JWKS (kid -> VerificationKey); exits 1 with one line if unusable."""
    try:
        jwks = json.loads(path.read_bytes())
    except OSError as error:
        _fail(f'cannot read {path}: {error.strerror or error}')
    except ValueError:
        _fail(f'cannot use the keys in {path}: not JSON')
    try:
        return keys_from_jwks(jwks)
    except KeyStoreError as error:
        _fail(f'cannot use the keys in {path}: {_one_line(error)}')


def _fail(reason):
    click.echo(_one_line(reason))
    click.get_current_context().exit(1)


def _summary(payload):
    """What the authentic file certifies, from the verified credential only."""
    try:
        claims = Claims.from_dict(payload[CLAIMS_FIELD])
    except (KeyError, TypeError, ValueError, ArithmeticError):
        claims = None
    serial = normalise(payload.get('id', '').rstrip('/').rsplit('/', 1)[-1])
    lines = []
    if serial:
        lines.append(f'serial: {format_serial(serial)}')
    if claims is not None:
        lines += [
            f'holder: {claims.holder_name_ka} / {claims.holder_name_en}',
            f'course: {claims.course_title_ka} / {claims.course_title_en}',
            f'issued on: {claims.issued_on.isoformat()}'
            + (f', valid until {claims.valid_until.isoformat()}' if claims.valid_until else ''),
            f'issuer: {claims.issuer_name_en}',
        ]
        if serial:
            lines.append(
                'revocation is not checked offline; see '
                + credential_url(claims.issuer_url, serial)
            )
    return lines


@certificates_cli.command('rotate-key')
def rotate_key_command():
    """Make a new signing key; earlier keys are retired and still verify what they signed.

    Prints the new key id on the last line.
    """
    store = key_store()
    key = store.rotate()
    sync_signing_keys(store, db.session)
    db.session.commit()
    click.echo(f'New signing key (earlier keys are retired and still verify) in {store.directory}:')
    click.echo(key.kid)
