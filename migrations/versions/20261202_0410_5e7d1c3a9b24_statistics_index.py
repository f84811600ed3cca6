"""The statistics count accepted people per offering from one index.

Revision ID: 5e7d1c3a9b24
Revises: f3fbc2a0b661
Create Date: 2026-12-02 04:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e7d1c3a9b24'
down_revision = 'f3fbc2a0b661'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index(
            'ix_enrollments_offering_id_status_user_id',
            ['offering_id', 'status', 'user_id'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollments_offering_id_status_user_id')
