"""The audit log is append-only in the database too (PostgreSQL): a trigger refuses any
change or deletion of an entry, but the erasure of the person it names (ON DELETE SET
NULL). SQLite has no such guard; the application has no path that changes an entry.

Revision ID: f3fbc2a0b661
Revises: 46e18fb6bc9f
Create Date: 2026-12-02 04:21:00

"""
from alembic import op

# As lms/models/audit.py has them today (a migration keeps its own copy).
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND NEW.id = OLD.id AND NEW.action = OLD.action
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
       AND NEW.data::text = OLD.data::text AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of an entry refused', TG_OP;
END
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGER = (
    'CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()'
)

# revision identifiers, used by Alembic.
revision = 'f3fbc2a0b661'
down_revision = '46e18fb6bc9f'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(APPEND_ONLY_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries')
    op.execute('DROP FUNCTION IF EXISTS audit_entries_append_only()')
