"""The app on a fresh database, and snapshots of a database to copy into another test's.

Shared by the fixtures in conftest.py and by modules that load a large fixture once (the
demo academy) and copy it into each test's database.
"""

import sqlite3
from contextlib import contextmanager

from jinja2 import BytecodeCache
from sqlalchemy import text

from config import TestConfig
from lms import create_app
from lms.extensions import db as _db
from tests.clients import fresh_request_state


@contextmanager
def app_on_fresh_database(**settings):
    """An app of TestConfig with `settings`, inside its app context, on empty tables;
    the tables are emptied again when the block ends."""
    app = create_app(TestConfig, **settings)
    app.jinja_env.bytecode_cache = _compiled_templates
    fresh_request_state(app)
    with app.app_context():
        _fresh_schema()
        try:
            yield app
        finally:
            _db.session.remove()
            _empty_schema()
            _db.engine.dispose()  # each app has its own pool; close it, or psycopg warns


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, shared by every app of the run.

    Each app has a Jinja environment of its own, which would compile every template it
    renders, and each test builds an app. The apps differ in nothing that changes the
    compiled code, so the code is kept by template and the checksum of its source, the
    way Jinja's bytecode caches keep it between processes.
    """

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        checksum, code = self.code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = (bucket.checksum, bucket.code)


_compiled_templates = _CompiledTemplates()

#: Databases whose tables this run has already built (PostgreSQL keeps them between tests).
_built = set()
#: SQLite in memory: a database holding the empty tables, copied into each test's.
_empty_tables = None


def _fresh_schema():
    """Empty tables for the test. SQLite in memory is new for every app: the tables are
    copied in from a database built once per run. On PostgreSQL the tables are built once
    per run and emptied after each test. Both are many times faster than creating them
    for every test."""
    global _empty_tables
    if _in_memory_sqlite():
        if _empty_tables is None:
            _db.create_all()
            _empty_tables = take_snapshot()
        else:
            restore_snapshot(_empty_tables)
        return
    url = str(_db.engine.url)
    if _db.engine.dialect.name != 'postgresql' or url not in _built:
        _db.drop_all()
        _db.create_all()
        _built.add(url)


def _empty_schema():
    if _db.engine.dialect.name == 'postgresql':
        # DELETE, not TRUNCATE: on tables this small it skips TRUNCATE's file work.
        with _db.engine.begin() as connection:
            # The audit log refuses DELETE (its trigger); emptying between tests is not a
            # deletion the application makes, so triggers are off for this transaction.
            connection.execute(text('SET LOCAL session_replication_role = replica'))
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
    elif not _in_memory_sqlite():  # in memory, the database goes with its connection
        _db.drop_all()


def _in_memory_sqlite():
    return _db.engine.dialect.name == 'sqlite' and _db.engine.url.database in (None, '', ':memory:')


def take_snapshot():
    """What the app's database holds now, to put back with `restore_snapshot` into the
    empty tables of another test's app, on the same kind of database."""
    if _in_memory_sqlite():
        copy = sqlite3.connect(':memory:', check_same_thread=False)
        with _raw_sqlite() as connection:
            connection.backup(copy)
        return copy
    with _db.engine.connect() as connection:
        return {
            table: [row._asdict() for row in connection.execute(table.select())]
            for table in _db.metadata.sorted_tables
        }


def restore_snapshot(snapshot):
    """Fill the app's empty tables with what `take_snapshot` saw; nothing is committed
    in the app's session, and nothing of it is loaded."""
    if _in_memory_sqlite():
        with _raw_sqlite() as connection:
            snapshot.backup(connection)
        return
    with _db.engine.begin() as connection:
        for table, rows in snapshot.items():
            if rows:
                connection.execute(table.insert(), rows)
        if connection.dialect.name == 'postgresql':
            _move_sequences_past(connection, snapshot)


def _move_sequences_past(connection, snapshot):
    """The rows came with their ids: move each table's id sequence past them."""
    for table in snapshot:
        ids = list(table.primary_key.columns)
        if len(ids) == 1 and ids[0].type.python_type is int:
            connection.execute(
                text(
                    'SELECT setval(pg_get_serial_sequence(:table, :column), '
                    f'(SELECT coalesce(max({ids[0].name}), 0) + 1 FROM {table.name}), false)'
                ),
                {'table': table.name, 'column': ids[0].name},
            )


@contextmanager
def _raw_sqlite():
    """The sqlite3 connection under the app's engine (one per app: a StaticPool)."""
    connection = _db.engine.raw_connection()
    try:
        yield connection.driver_connection
    finally:
        connection.close()
