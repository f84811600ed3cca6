"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL.

Every other test builds its tables with ``create_all``; these run the real Alembic scripts
on an empty database instead. On PostgreSQL they work in a schema of their own, created
for the test and dropped after it, so they never touch the tables of the other tests.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from config import TestConfig
from lms import create_app
from lms.extensions import db, for_dialect

VERSIONS = Path(__file__).resolve().parents[1] / 'migrations' / 'versions'


def _postgresql_url():
    url = TestConfig.from_env().get('SQLALCHEMY_DATABASE_URI', '')
    return url if url.startswith('postgresql') else None


#: SQLite always; PostgreSQL too when the suite runs there.
DATABASES = ['sqlite', 'postgresql'] if _postgresql_url() else ['sqlite']


@pytest.fixture(params=DATABASES)
def fresh_schema(request, tmp_path):
    """SQLite: a new file. PostgreSQL: a new, empty schema alone on the search path."""
    if request.param == 'sqlite':
        yield {'SQLALCHEMY_DATABASE_URI': f'sqlite:///{tmp_path / "fresh.sqlite"}'}
        return
    url = _postgresql_url()
    schema = f'migrations_{uuid.uuid4().hex[:12]}'
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA {schema}'))
    try:
        yield {
            'SQLALCHEMY_DATABASE_URI': url,
            'SQLALCHEMY_ENGINE_OPTIONS': {
                'pool_pre_ping': True,
                'connect_args': {'options': f'-c search_path={schema}'},
            },
        }
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA {schema} CASCADE'))
        admin.dispose()


@pytest.fixture
def empty_app(tmp_path, fresh_schema):
    """An app on an empty database: no tables until the migrations run."""
    app = create_app(
        TestConfig,
        instance_path=str(tmp_path / 'instance'),
        CERTIFICATE_KEY_DIR=str(tmp_path / 'keys'),
        **fresh_schema,
    )
    with app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
        yield app
        db.session.remove()
        db.engine.dispose()


def _differences():
    with db.engine.connect() as connection:
        opts = {'compare_type': True, 'include_object': for_dialect(connection.dialect.name)}
        context = MigrationContext.configure(connection, opts=opts)
        return compare_metadata(context, db.metadata)


def _check_constraints(inspector):
    return {
        (table, check['name'])
        for table in inspector.get_table_names()
        for check in inspector.get_check_constraints(table)
    }


def test_migrations_on_an_empty_database_match_the_models(empty_app):
    flask_migrate.upgrade()
    assert _differences() == []


def test_migrations_create_every_check_constraint_of_the_models(empty_app):
    """Alembic's comparison skips CHECK constraints, so compare their names here."""
    flask_migrate.upgrade()
    expected = {
        (table.name, constraint.name)
        for table in db.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, sa.CheckConstraint)
    }
    assert _check_constraints(sa.inspect(db.engine)) >= expected


def test_db_check_finds_nothing_to_migrate_after_upgrade(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=['db', 'upgrade']).exit_code == 0
    result = runner.invoke(args=['db', 'check'])
    assert result.exit_code == 0, result.output


def test_downgrade_to_base_removes_every_table_and_upgrade_runs_again(empty_app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision='base')
    assert set(sa.inspect(db.engine).get_table_names()) <= {'alembic_version'}
    assert _differences() != []  # the comparison does see a schema that is missing
    flask_migrate.upgrade()
    assert _differences() == []


def test_migration_history_has_a_single_head():
    script = ScriptDirectory(str(VERSIONS.parent))
    assert len(script.get_heads()) == 1


@pytest.mark.parametrize('path', sorted(VERSIONS.glob('*.py')), ids=lambda p: p.name)
def test_migration_file_names_start_with_the_date(path):
    assert re.fullmatch(r'\d{8}_\d{4}_[0-9a-f]+_\w+\.py', path.name)


def _without_foreign_keys(connection):
    """Rows of one table alone, without the rows they point at (this test needs no more)."""
    if connection.dialect.name == 'postgresql':
        connection.execute(sa.text('SET LOCAL session_replication_role = replica'))
    else:
        connection.execute(sa.text('PRAGMA foreign_keys = OFF'))


def test_certificate_pdfs_move_to_their_own_table_byte_for_byte_and_back(empty_app):
    """The PDFs issued before the move are the same bytes after it, and after a downgrade."""
    pdf = b'%PDF-1.7\n' + bytes(range(256)) * 40
    flask_migrate.upgrade(revision='911d6249c63f')
    with db.engine.begin() as connection:
        _without_foreign_keys(connection)
        connection.execute(
            sa.text(
                'INSERT INTO certificates (id, serial, enrollment_id, claims_json, '
                'credential_jws, key_id, pdf, pdf_sha256, issued_on, issued_at, status, '
                'status_list, status_index, verification_count) VALUES (7, :serial, 1, '
                "'{}', 'jws', 'kid', :pdf, 'sha', '2026-01-05', '2026-01-05 10:00:00', "
                "'valid', 1, 3, 0)"
            ),
            {'serial': 'K7QM3XWD9P2F', 'pdf': pdf},
        )
    flask_migrate.upgrade(revision='a7c3e9d1f0b2')
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.text('SELECT certificate_id, content FROM certificate_pdfs')
        ).all()
        columns = {c['name'] for c in sa.inspect(connection).get_columns('certificates')}
    assert [(7, pdf)] == [(row[0], bytes(row[1])) for row in rows]
    assert 'pdf' not in columns
    flask_migrate.downgrade(revision='911d6249c63f')
    with db.engine.connect() as connection:
        back = connection.execute(sa.text('SELECT pdf FROM certificates WHERE id = 7')).scalar()
    assert bytes(back) == pdf


def test_revoked_certificates_and_tokens_of_before_get_a_category_and_an_expiry(empty_app, request):
    """Rows from before the revocation categories and token expiry: a revoked certificate
    gets the public category 'other' and keeps its text as the admins' detail; a token in
    force gets 90 days from the upgrade, a revoked one none."""
    if db.engine.dialect.name != 'sqlite':
        pytest.skip('rows are written without their parents, which SQLite does not check')
    flask_migrate.upgrade(revision='911d6249c63f')
    with db.engine.begin() as connection:
        for serial, status, reason in (('A', 'valid', None), ('B', 'revoked', 'Wrong person')):
            connection.execute(
                sa.text(
                    'INSERT INTO certificates (serial, enrollment_id, claims_json, '
                    'credential_jws, key_id, issued_on, issued_at, status, revocation_reason, '
                    'status_list, status_index, verification_count) VALUES (:serial, 1, '
                    "'{}', 'jws', 'k1', '2026-01-01', '2026-01-01 00:00:00', :status, "
                    ':reason, 1, :index, 0)'
                ),
                {'serial': serial, 'status': status, 'reason': reason, 'index': ord(serial)},
            )
        for hint, revoked in (('lms_live', None), ('lms_gone', '2026-01-01 00:00:00')):
            connection.execute(
                sa.text(
                    'INSERT INTO api_tokens (user_id, token_hash, hint, name, created_at, '
                    "revoked_at) VALUES (1, :hint, :hint, '', '2025-01-01 00:00:00', :revoked)"
                ),
                {'hint': hint, 'revoked': revoked},
            )
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        certificates = connection.execute(
            sa.text(
                'SELECT serial, revocation_category, revocation_reason FROM certificates '
                'ORDER BY serial'
            )
        ).all()
        tokens = dict(connection.execute(sa.text('SELECT hint, expires_at FROM api_tokens')).all())
    assert certificates == [('A', None, None), ('B', 'other', 'Wrong person')]
    assert tokens['lms_gone'] is None
    expires_at = datetime.fromisoformat(str(tokens['lms_live']))
    now = datetime.now(UTC).replace(tzinfo=None)  # SQLite keeps UTC without the offset
    assert now + timedelta(days=89) < expires_at <= now + timedelta(days=90)
