"""Flask extensions, created unbound, and the column types every model uses.

A leaf: imports nothing of ours, so certificates/ may use it without knowing lms.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import DDL, CheckConstraint, DateTime, Index, MetaData, TypeDecorator, event

NAMING_CONVENTION = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_N_name)s',
    'ck': 'ck_%(table_name)s_%(constraint_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


# Column types and helpers shared by lms.models and certificates.models.
def utcnow():
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database.

    PostgreSQL keeps the offset itself; SQLite drops it, so values are normalised to UTC
    on the way in and marked UTC on the way out. Naive values are refused: a naive time
    in this codebase is a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError('naive datetime given to a UTC column')
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == 'sqlite' else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def one_of(column, values, name):
    """A CHECK constraint that keeps a status-like string column within `values`."""
    quoted = ', '.join(f"'{v}'" for v in values)
    return CheckConstraint(f'{column} IN ({quoted})', name=name)


def trigram_index(name, column):
    """A PostgreSQL trigram index (pg_trgm, GIN) over `column`: it serves lms.search's
    `ILIKE '%text%'` and equality without a scan. PostgreSQL only (SQLite searches
    without it, README "Search"), so migrations compare it there only (`for_dialect`)."""
    return Index(
        name, column, postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'}
    ).ddl_if(dialect='postgresql')


#: The indexes made by `trigram_expression_index`: {name: (table, its DDL)}.
EXPRESSION_INDEXES = {}


def trigram_expression_index(table, name, expression):
    """A PostgreSQL trigram index (pg_trgm, GIN) over `expression` (SQL text over the
    columns of `table`), made when the table is (create_all; the migrations make it
    too). Not an Index of the metadata: Alembic can compare an index over an expression
    on neither database, so comparisons leave these out by name (`for_dialect`)."""
    ddl = DDL(
        f'CREATE INDEX {name} ON {table.name} USING gin (({expression}) gin_trgm_ops)'
    ).execute_if(dialect='postgresql')
    EXPRESSION_INDEXES[name] = (table, ddl)
    event.listen(table, 'after_create', ddl)


def for_dialect(dialect_name):
    """An Alembic `include_object` that leaves out what the models make on another
    database only (`ddl_if(dialect=...)`), such as the trigram indexes on SQLite, and the
    indexes over an expression (`trigram_expression_index`)."""

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == 'index' and name in EXPRESSION_INDEXES:
            return False
        condition = getattr(obj, '_ddl_if', None)
        return condition is None or condition.dialect in (None, dialect_name)

    return include_object


# Tables made by create_all (tests, a first start) need the extension the trigram indexes
# use; the migration creates it too.
event.listen(
    db.metadata,
    'before_create',
    DDL('CREATE EXTENSION IF NOT EXISTS pg_trgm').execute_if(dialect='postgresql'),
)


def academy_zone():
    """Where the academy is (BABEL_DEFAULT_TIMEZONE, Asia/Tbilisi): its dates are there."""
    return ZoneInfo(current_app.config['BABEL_DEFAULT_TIMEZONE'])


def academy_today():
    """Today's date where the academy is."""
    return datetime.now(academy_zone()).date()


def academy_date(moment):
    """The academy's date at an aware moment (late evening UTC is the next day in Tbilisi)."""
    return moment.astimezone(academy_zone()).date()
