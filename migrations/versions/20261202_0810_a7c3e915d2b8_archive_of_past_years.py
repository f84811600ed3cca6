"""The import of past years: enrollments keep the outcome the academy's archive records,
and certificates issued on paper before the system are recorded, verifiable by number.

Revision ID: a7c3e915d2b8
Revises: b7e4c1d2a9f0
Create Date: 2026-12-02 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e915d2b8'
down_revision = 'b7e4c1d2a9f0'
branch_labels = None
depends_on = None

OUTCOMES = "archive_outcome IN ('applied', 'accepted', 'rejected', 'withdrawn', 'completed')"


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archive_outcome', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(op.f('ck_enrollments_archive_outcome'), OUTCOMES)

    op.create_table(
        'archive_certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('number_key', sa.String(length=60), nullable=False),
        sa.Column('enrollment_id', sa.Integer(), nullable=False),
        sa.Column('holder_name_ka', sa.String(length=200), nullable=False),
        sa.Column('holder_name_en', sa.String(length=200), nullable=False),
        sa.Column('course_title_ka', sa.String(length=300), nullable=False),
        sa.Column('course_title_en', sa.String(length=300), nullable=False),
        sa.Column('course_kind', sa.String(length=20), nullable=False),
        sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            'hours IS NULL OR hours >= 0', name=op.f('ck_archive_certificates_hours_not_negative')
        ),
        sa.ForeignKeyConstraint(
            ['enrollment_id'],
            ['enrollments.id'],
            name=op.f('fk_archive_certificates_enrollment_id_enrollments'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_certificates')),
        sa.UniqueConstraint('number_key', name=op.f('uq_archive_certificates_number_key')),
    )
    with op.batch_alter_table('archive_certificates', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_archive_certificates_enrollment_id'), ['enrollment_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('archive_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_certificates_enrollment_id'))
    op.drop_table('archive_certificates')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_enrollments_archive_outcome'), type_='check')
        batch_op.drop_column('archive_outcome')
