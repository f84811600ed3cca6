"""People found by one index, and those waiting for erasure without a scan: a trigram
index over both names and the address together (PostgreSQL; lms.models.people.
SEARCHED_TEXT), which replaces the address's own trigram index, and a partial index on
the people waiting for their data to be erased.

Revision ID: c3a9e5f1b2d4
Revises: c3a9e1f47b25
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
from sqlalchemy import text


# revision identifiers, used by Alembic.
revision = 'c3a9e5f1b2d4'
down_revision = 'c3a9e1f47b25'
branch_labels = None
depends_on = None

WAITING = 'erasure_requested_at IS NOT NULL AND erased_at IS NULL'
#: lms.models.people.SEARCHED_TEXT as it is at this revision.
SEARCHED = "full_name_ka || '\n' || full_name_en || '\n' || email"


def _trigram_ops():
    """gin_trgm_ops, named with the schema pg_trgm lives in (see a15137134eb6)."""
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    schema = op.get_bind().exec_driver_sql(
        'SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace '
        "WHERE e.extname = 'pg_trgm'"
    ).scalar_one()
    return f'"{schema}".gin_trgm_ops'


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        ops = _trigram_ops()
        op.execute(f'CREATE INDEX ix_users_search_trgm ON users USING gin (({SEARCHED}) {ops})')
        op.execute('DROP INDEX ix_users_email_trgm')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(
            'ix_users_erasure_waiting',
            ['erasure_requested_at', 'id'],
            unique=False,
            postgresql_where=text(WAITING),
            sqlite_where=text(WAITING),
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_erasure_waiting')
    if op.get_bind().dialect.name == 'postgresql':
        ops = _trigram_ops()
        op.execute(f'CREATE INDEX ix_users_email_trgm ON users USING gin (email {ops})')
        op.execute('DROP INDEX ix_users_search_trgm')
