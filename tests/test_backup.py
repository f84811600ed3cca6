"""`flask backup` and `flask restore`: a backup restored into a fresh database, with the
keys, verifies the certificates it holds; a damaged backup or a database in use is refused
and nothing changes."""

import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from certificates import issue_certificate
from config import TestConfig
from lms import create_app
from lms.extensions import db as _db
from tests.certificates.samples import sample_claims
from tests.conftest import make_enrollment, make_user


def _academy(tmp_path, name, url=None):
    folder = tmp_path / name
    folder.mkdir()
    return create_app(
        TestConfig,
        instance_path=str(folder / 'instance'),
        SQLALCHEMY_DATABASE_URI=url or f'sqlite:///{folder / "academy.sqlite"}',
        CERTIFICATE_KEY_DIR=str(folder / 'keys'),
    )


def _with_a_certificate(app):
    """The schema by the real migrations, and one issued certificate; returns it."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=['db', 'upgrade'])
        assert result.exit_code == 0, result.output
        enrollment = make_enrollment(user=make_user(full_name_ka='ნინო ბერიძე'))
        certificate = issue_certificate(sample_claims(), enrollment_id=enrollment.id)
        _db.session.commit()
        found = (certificate.formatted_serial, certificate.pdf)
        _db.session.remove()
        _db.engine.dispose()
        return found


def _run(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        _db.session.remove()
        _db.engine.dispose()
        return result


def _verifies(app, serial, pdf):
    with app.app_context():
        client = app.test_client()
        answer = client.get(f'/api/v1/verify/{serial}').json
        assert (answer['status'], answer['signature_valid']) == ('valid', True)
        assert answer['holder']['name_ka'] == 'ნინო გელაშვილი'
        upload = client.post(
            '/api/v1/verify/pdf', data={'file': (io.BytesIO(pdf), 'certificate.pdf')}
        ).json
        assert upload['authentic'] is True
        _db.session.remove()
        _db.engine.dispose()


def test_a_sqlite_backup_restores_into_a_fresh_academy_and_verifies(tmp_path):
    source = _academy(tmp_path, 'source')
    serial, pdf = _with_a_certificate(source)
    made = _run(source, 'backup', '--to', str(tmp_path / 'backups'))
    assert made.exit_code == 0, made.output
    archive = Path(made.output.strip().splitlines()[-1].removeprefix('backup: '))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as members:
        names = members.getnames()
        manifest = json.load(members.extractfile('manifest.json'))
    assert 'database.sqlite' in names and any(n.endswith('.key.pem') for n in names)
    assert manifest['database'] == 'sqlite' and manifest['schema_revision']

    target = _academy(tmp_path, 'target')
    restored = _run(target, 'restore', str(archive))
    assert restored.exit_code == 0, restored.output
    assert 'restored: the sqlite database' in restored.output
    keys = Path(target.config['CERTIFICATE_KEY_DIR'])
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in keys.glob('*.pem'))
    _verifies(target, serial, pdf)

    again = _run(target, 'restore', str(archive))
    assert again.exit_code == 1 and 'already holds data' in again.output


def test_a_damaged_backup_is_refused_and_changes_nothing(tmp_path):
    source = _academy(tmp_path, 'source')
    _with_a_certificate(source)
    archive = Path(
        _run(source, 'backup', '--to', str(tmp_path / 'b')).output.split('backup: ')[-1].strip()
    )
    damaged = tmp_path / 'damaged.tar.gz'
    with tarfile.open(archive) as old, tarfile.open(damaged, 'w:gz') as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name == 'database.sqlite':
                data = data[:-1] + bytes([data[-1] ^ 1])
            new.addfile(info, io.BytesIO(data))
    target = _academy(tmp_path, 'target')
    refused = _run(target, 'restore', str(damaged))
    assert refused.exit_code == 1 and 'database.sqlite' in refused.output
    assert 'damaged' in refused.output
    assert not Path(target.config['CERTIFICATE_KEY_DIR']).exists()
    target_file = tmp_path / 'target' / 'academy.sqlite'
    assert not target_file.exists() or not target_file.stat().st_size  # still empty


def test_a_postgresql_backup_restores_into_a_fresh_database(tmp_path, app):
    url = make_url(app.config['SQLALCHEMY_DATABASE_URI'])
    if url.get_backend_name() != 'postgresql':
        pytest.skip('runs when the suite runs on PostgreSQL (TEST_DATABASE_URL)')
    server = create_engine(
        url.set(database='postgres'), isolation_level='AUTOCOMMIT', poolclass=NullPool
    )
    names = {'source': f'{url.database}_bk_source', 'target': f'{url.database}_bk_target'}
    with server.connect() as connection:
        for name in names.values():
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        urls = {
            k: url.set(database=v).render_as_string(hide_password=False) for k, v in names.items()
        }
        source = _academy(tmp_path, 'source', urls['source'])
        serial, pdf = _with_a_certificate(source)
        made = _run(source, 'backup', '--to', str(tmp_path / 'backups'))
        assert made.exit_code == 0, made.output
        archive = made.output.strip().split('backup: ')[-1]
        target = _academy(tmp_path, 'target', urls['target'])
        restored = _run(target, 'restore', archive)
        assert restored.exit_code == 0, restored.output
        _verifies(target, serial, pdf)
    finally:
        with server.connect() as connection:
            for name in names.values():
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_a_sqlite_file_runs_in_wal_mode(tmp_path):
    app = _academy(tmp_path, 'wal')
    with app.app_context():
        assert _db.session.execute(text('PRAGMA journal_mode')).scalar() == 'wal'
        _db.session.remove()
        _db.engine.dispose()
