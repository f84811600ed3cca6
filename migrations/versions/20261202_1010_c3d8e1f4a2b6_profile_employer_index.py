"""An organisation's staff by their profiles without reading every enrollment: a partial
index on the enrollments that named no organisation (statistics.employer_enrollments).

Revision ID: c3d8e1f4a2b6
Revises: c3a9e5f1b2d4
Create Date: 2026-12-02 10:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d8e1f4a2b6'
down_revision = 'c3a9e5f1b2d4'
branch_labels = None
depends_on = None

WHERE = 'organization_id IS NULL AND organization_other IS NULL'


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index(
            'ix_enrollments_profile_employer',
            ['user_id', 'status'],
            unique=False,
            sqlite_where=sa.text(WHERE),
            postgresql_where=sa.text(WHERE),
        )


def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollments_profile_employer')
