"""A person may ask for their personal data to be erased, and an admin erases it; removed
applications stay counted per offering.

Revision ID: b4d2f8a6c1e3
Revises: a7c3e9d1f0b2
Create Date: 2026-12-02 07:50:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'b4d2f8a6c1e3'
down_revision = 'a7c3e9d1f0b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erasure_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'application_tallies',
        sa.Column('offering_id', sa.Integer(), nullable=False),
        sa.Column('removed', sa.Integer(), nullable=False),
        sa.CheckConstraint('removed >= 0', name=op.f('ck_application_tallies_removed_not_negative')),
        sa.ForeignKeyConstraint(
            ['offering_id'],
            ['offerings.id'],
            name=op.f('fk_application_tallies_offering_id_offerings'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('offering_id', name=op.f('pk_application_tallies')),
    )


def downgrade():
    op.drop_table('application_tallies')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('erasure_requested_at')
