"""Registrations waiting for the link sent to their address: the account is made only when
the person opens it (lms/people/registration.py).

Revision ID: c3a9e1f47b25
Revises: c3f1a8e5d7b9
Create Date: 2026-12-02 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = 'c3a9e1f47b25'
down_revision = 'c3f1a8e5d7b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('full_name_ka', sa.String(length=200), nullable=False),
        sa.Column('full_name_en', sa.String(length=200), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('offering_id', sa.Integer(), nullable=True),
        sa.Column('answers', sa.JSON(), nullable=True),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['offering_id'],
            ['offerings.id'],
            name=op.f('fk_pending_registrations_offering_id_offerings'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_registrations')),
        sa.UniqueConstraint('email', name=op.f('uq_pending_registrations_email')),
    )
    with op.batch_alter_table('pending_registrations', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_pending_registrations_expires_at'), ['expires_at'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_pending_registrations_offering_id'), ['offering_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('pending_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_registrations_offering_id'))
        batch_op.drop_index(batch_op.f('ix_pending_registrations_expires_at'))
    op.drop_table('pending_registrations')
