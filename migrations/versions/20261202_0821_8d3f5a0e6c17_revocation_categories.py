"""Revocations have a public category (issued in error, name corrected, misconduct,
duplicate, other); the free text becomes the admins' detail. Certificates revoked before
this get the category 'other' and keep their text as the detail. Nothing signed changes:
neither credentials nor the status lists hold the reason.

Revision ID: 8d3f5a0e6c17
Revises: 4b7e2d91c5a3
Create Date: 2026-12-02 07:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d3f5a0e6c17'
down_revision = '4b7e2d91c5a3'
branch_labels = None
depends_on = None

CATEGORIES = "'issued_in_error', 'name_corrected', 'misconduct', 'duplicate', 'other'"


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revocation_category', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_certificates_revocation_category'),
            f'revocation_category IN ({CATEGORIES})',
        )
    op.execute("UPDATE certificates SET revocation_category = 'other' WHERE status = 'revoked'")


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_certificates_revocation_category'), type_='check')
        batch_op.drop_column('revocation_category')
