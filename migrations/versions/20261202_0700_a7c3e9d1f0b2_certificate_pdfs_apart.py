"""Certificate PDFs move to a table of their own: a scan of certificates (lists, counts,
the status list) no longer reads every PDF with its row. The bytes are copied as they are.

Revision ID: a7c3e9d1f0b2
Revises: 911d6249c63f
Create Date: 2026-12-02 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d1f0b2'
down_revision = '911d6249c63f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'certificate_pdfs',
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ['certificate_id'],
            ['certificates.id'],
            name=op.f('fk_certificate_pdfs_certificate_id_certificates'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('certificate_id', name=op.f('pk_certificate_pdfs')),
    )
    op.execute(
        'INSERT INTO certificate_pdfs (certificate_id, content) '
        'SELECT id, pdf FROM certificates WHERE pdf IS NOT NULL'
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('pdf')


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))
    op.execute(
        'UPDATE certificates SET pdf = (SELECT content FROM certificate_pdfs '
        'WHERE certificate_pdfs.certificate_id = certificates.id)'
    )
    op.drop_table('certificate_pdfs')
