"""An organisation's contact people: accounts that see its staff's progress and
certificates.

Revision ID: b7e4c1d2a9f0
Revises: b4d2f8a6c1e3
Create Date: 2026-12-02 07:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = 'b7e4c1d2a9f0'
down_revision = 'b4d2f8a6c1e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organization_contacts',
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['organization_id'],
            ['organizations.id'],
            name=op.f('fk_organization_contacts_organization_id_organizations'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['users.id'],
            name=op.f('fk_organization_contacts_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('organization_id', 'user_id', name=op.f('pk_organization_contacts')),
    )
    with op.batch_alter_table('organization_contacts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_organization_contacts_user_id'), ['user_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('organization_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_contacts_user_id'))
    op.drop_table('organization_contacts')
