"""What the benchmarks that build a large academy share: an app on TEST_DATABASE_URL (a
database whose name contains `test`; its tables are dropped), or else on SQLite in a
temporary folder, like the tests; and bulk inserts."""

import tempfile
from contextlib import contextmanager

from sqlalchemy import insert

from config import TestConfig
from lms import create_app
from lms.extensions import db

CHUNK = 20_000


@contextmanager
def bench_app(**settings):
    """The app (with `settings`) inside its context, on empty tables, which are dropped at
    the end; prints which database it is."""
    with tempfile.TemporaryDirectory() as folder:
        overrides = {'CERTIFICATE_KEY_DIR': f'{folder}/keys', **settings}
        if not TestConfig.from_env():
            overrides['SQLALCHEMY_DATABASE_URI'] = f'sqlite:///{folder}/bench.sqlite'
        app = create_app(TestConfig, instance_path=folder, **overrides)
        with app.app_context():
            db.drop_all()
            db.create_all()
            print(f'database: {db.engine.dialect.name}')
            yield app
            db.session.remove()  # its transaction would hold DROP TABLE back on PostgreSQL
            db.drop_all()


def bulk(model, rows):
    """Insert `rows` (dicts) into the table of `model`, CHUNK at a time."""
    for i in range(0, len(rows), CHUNK):
        db.session.execute(insert(model.__table__), rows[i : i + CHUNK])
