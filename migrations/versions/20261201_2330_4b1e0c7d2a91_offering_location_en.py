"""Offerings get their place in English, for English pages and certificates.

Revision ID: 4b1e0c7d2a91
Revises: 90cc7833ba06
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b1e0c7d2a91'
down_revision = '90cc7833ba06'
branch_labels = None
depends_on = None


def upgrade():
    # The empty default stays: rows written before this column existed, and bulk loads
    # that do not name it, mean "no English text yet" (the Georgian is romanised).
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('location_en', sa.String(length=300), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_column('location_en')
