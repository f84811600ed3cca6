"""Search and long lists without scans: trigram indexes (PostgreSQL's pg_trgm) for the
text searches, and indexes on what the long lists sort on, where their pages start.

On PostgreSQL the extension is created when missing (a trusted extension since
PostgreSQL 13: the database's owner may create it). SQLite gets the list indexes only.

Revision ID: a15137134eb6
Revises: 8d3f5a0e6c17
Create Date: 2026-12-02 08:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a15137134eb6'
down_revision = '8d3f5a0e6c17'
branch_labels = None
depends_on = None

#: (index, table, column): lms.extensions.trigram_index in the models.
TRIGRAM_INDEXES = [
    ('ix_users_full_name_ka_trgm', 'users', 'full_name_ka'),
    ('ix_users_full_name_en_trgm', 'users', 'full_name_en'),
    ('ix_users_email_trgm', 'users', 'email'),
    ('ix_organizations_name_ka_trgm', 'organizations', 'name_ka'),
    ('ix_organizations_name_en_trgm', 'organizations', 'name_en'),
    ('ix_outbox_to_address_trgm', 'outbox', 'to_address'),
    ('ix_outbox_subject_trgm', 'outbox', 'subject'),
    ('ix_certificates_serial_trgm', 'certificates', 'serial'),
]

#: (table, index, columns)
LIST_INDEXES = [
    ('users', 'ix_users_full_name_ka_id', ['full_name_ka', 'id']),
    ('enrollments', 'ix_enrollments_applied_at_id', ['applied_at', 'id']),
    (
        'enrollments',
        'ix_enrollments_offering_id_applied_at_id',
        ['offering_id', 'applied_at', 'id'],
    ),
    ('outbox', 'ix_outbox_status_id', ['status', 'id']),
    ('outbox', 'ix_outbox_to_address', ['to_address']),
    ('certificates', 'ix_certificates_issued_at_id', ['issued_at', 'id']),
]


def _trigram_ops():
    """gin_trgm_ops, named with the schema pg_trgm lives in (which need not be on the
    search path of the schema being migrated)."""
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    schema = op.get_bind().exec_driver_sql(
        'SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace '
        "WHERE e.extname = 'pg_trgm'"
    ).scalar_one()
    return f'"{schema}".gin_trgm_ops'


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        ops = _trigram_ops()
        for name, table, column in TRIGRAM_INDEXES:
            op.execute(f'CREATE INDEX {name} ON {table} USING gin ({column} {ops})')
    for table, name, columns in LIST_INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)
    # The people list's index starts with the name: the name's own index is one too many.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_full_name_ka')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_full_name_ka', ['full_name_ka'], unique=False)
    for table, name, _columns in reversed(LIST_INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
    if op.get_bind().dialect.name == 'postgresql':
        for name, _table, _column in reversed(TRIGRAM_INDEXES):
            op.execute(f'DROP INDEX {name}')
