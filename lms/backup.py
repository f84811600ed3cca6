"""Backups of everything the academy cannot rebuild: the database and the signing keys.

A backup is one `.tar.gz` file (created readable by its owner only) holding

    manifest.json      when, from which database kind and schema revision, and the
                       SHA-256 of every other member
    database.sqlite    SQLite: a consistent copy made with SQLite's online backup API,
                       while the academy keeps running
    database.pgdump    PostgreSQL: `pg_dump --format=custom` of the database
    keys/...           the CERTIFICATE_KEY_DIR: without its private keys no new
                       certificate could be signed, without its public keys none verified

`restore` checks every member against the manifest before it changes anything, and
refuses to overwrite a database that holds data or keys that differ, unless forced.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, make_url, text

from certificates import reload_keys
from lms.extensions import db

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in words."""


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _url():
    return make_url(current_app.config['SQLALCHEMY_DATABASE_URI'])


def _libpq_url(url):
    """The SQLAlchemy URL as pg_dump and pg_restore take it (no '+psycopg')."""
    return url.set(drivername='postgresql').render_as_string(hide_password=False)


def _sqlite_path(url):
    database = url.database or ''
    if database in ('', ':memory:'):
        raise BackupError('An in-memory SQLite database cannot be backed up or restored.')
    return Path(database)


def _schema_revision():
    try:
        return db.session.execute(text('SELECT version_num FROM alembic_version')).scalar()
    except Exception:
        db.session.rollback()
        return None


def _dump_database(url, workdir):
    """(member name, path of the dump) for the app's database."""
    if url.get_backend_name() == 'sqlite':
        target = workdir / 'database.sqlite'
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # consistent even while others write
        finally:
            copy.close()
            source.close()
        return 'database.sqlite', target
    if url.get_backend_name() == 'postgresql':
        target = workdir / 'database.pgdump'
        _run(['pg_dump', '--format=custom', '--no-owner', f'--file={target}', _libpq_url(url)])
        return 'database.pgdump', target
    raise BackupError(f'Backups of {url.get_backend_name()} databases are not supported.')


def _run(command):
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 - our own arguments
    except FileNotFoundError:
        raise BackupError(f'{command[0]} is not installed (PostgreSQL client tools).') from None
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or '').strip().splitlines()[-1:] or ['failed']
        raise BackupError(f'{command[0]}: {last[0]}') from None


def backup(destination=None):
    """Write a backup; returns its path. `destination`: a file or a folder (default:
    instance/backups/)."""
    url = _url()
    stamp = datetime.now(UTC).strftime('%Y%m%d-%H%M%S')
    name = f'academy-{stamp}.tar.gz'
    if destination is None:
        destination = Path(current_app.instance_path) / 'backups'
    destination = Path(destination)
    if destination.is_dir() or str(destination).endswith(os.sep) or not destination.suffix:
        destination.mkdir(parents=True, exist_ok=True, mode=0o700)
        destination = destination / name
    keys = Path(current_app.config['CERTIFICATE_KEY_DIR'])
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        member, dump = _dump_database(url, workdir)
        members = {member: dump}
        if keys.is_dir():
            for path in sorted(keys.rglob('*')):
                if path.is_file():
                    members[f'keys/{path.relative_to(keys).as_posix()}'] = path
        manifest = {
            'format': FORMAT,
            'created_at': datetime.now(UTC).isoformat(timespec='seconds'),
            'database': url.get_backend_name(),
            'schema_revision': _schema_revision(),
            'files': {m: _sha256(p.read_bytes()) for m, p in members.items()},
        }
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'wb') as fh, tarfile.open(fileobj=fh, mode='w:gz') as archive:
            data = json.dumps(manifest, indent=2).encode('utf-8')
            info = tarfile.TarInfo('manifest.json')
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
            for member_name, path in members.items():
                archive.add(path, arcname=member_name, recursive=False)
    return destination


def _read(archive_path):
    """(manifest, {member: bytes}) of a backup, every member checked against the manifest."""
    try:
        with tarfile.open(archive_path, mode='r:gz') as archive:
            contents = {}
            for info in archive.getmembers():
                if not info.isfile():
                    continue
                if info.name.startswith('/') or '..' in Path(info.name).parts:
                    raise BackupError(f'{info.name}: not a member a backup has.')
                contents[info.name] = archive.extractfile(info).read()
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f'{archive_path} is not a backup of this academy ({exc}).') from None
    try:
        manifest = json.loads(contents.pop('manifest.json'))
    except (KeyError, ValueError):
        raise BackupError(f'{archive_path} has no readable manifest.json.') from None
    if manifest.get('format') != FORMAT or set(manifest.get('files', {})) != set(contents):
        raise BackupError(f'{archive_path}: its members are not those its manifest lists.')
    for member, digest in manifest['files'].items():
        if _sha256(contents[member]) != digest:
            raise BackupError(f'{member} in {archive_path} is damaged (its SHA-256 differs).')
    return manifest, contents


def _holds_data():
    tables = inspect(db.engine).get_table_names()
    if 'users' not in tables:
        return False
    return bool(db.session.execute(text('SELECT 1 FROM users LIMIT 1')).first())


def restore(archive_path, *, force=False):
    """Put a backup's database and keys in place of the app's; returns the manifest.

    Refused (BackupError, nothing changed) when the archive is damaged, when it comes from
    another kind of database, or, without `force`, when the database already holds people
    or the key folder holds a key file that differs from the backup's.
    """
    url = _url()
    manifest, contents = _read(archive_path)
    if manifest['database'] != url.get_backend_name():
        raise BackupError(
            f'The backup is of a {manifest["database"]} database; this academy runs on '
            f'{url.get_backend_name()}.'
        )
    keys = Path(current_app.config['CERTIFICATE_KEY_DIR'])
    key_files = {m[len('keys/') :]: data for m, data in contents.items() if m.startswith('keys/')}
    if not force:
        if _holds_data():
            raise BackupError(
                'The database already holds data; restore with --force to replace it.'
            )
        for name, data in key_files.items():
            existing = keys / name
            if existing.exists() and existing.read_bytes() != data:
                raise BackupError(f'{existing} differs from the backup; restore with --force.')
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory() as folder:
        if url.get_backend_name() == 'sqlite':
            dump = Path(folder) / 'database.sqlite'
            dump.write_bytes(contents['database.sqlite'])
            source, target = sqlite3.connect(dump), sqlite3.connect(_sqlite_path(url))
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            dump = Path(folder) / 'database.pgdump'
            dump.write_bytes(contents['database.pgdump'])
            _run(
                [
                    'pg_restore',
                    '--clean',
                    '--if-exists',
                    '--no-owner',
                    '--single-transaction',
                    f'--dbname={_libpq_url(url)}',
                    str(dump),
                ]
            )
    keys.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(keys, 0o700)
    for name, data in key_files.items():
        path = keys / name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'wb') as fh:
            fh.write(data)
        os.chmod(path, 0o600)
    reload_keys()  # this process had read the keys that were there before
    return manifest
