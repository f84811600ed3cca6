"""The academy's figures as the job worker last counted them, one row per range of years:
the public pages read them instead of counting 150,000 enrollments on a visitor's time.

Revision ID: c3f1a8e5d7b9
Revises: a15137134eb6
Create Date: 2026-12-02 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a8e5d7b9'
down_revision = 'a15137134eb6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'figure_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('first_year', sa.Integer(), nullable=False),
        sa.Column('last_year', sa.Integer(), nullable=False),
        sa.Column('figures_json', sa.Text(), nullable=False),
        sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_figure_snapshots')),
        sa.UniqueConstraint('first_year', 'last_year', name='uq_figure_snapshots_range'),
    )


def downgrade():
    op.drop_table('figure_snapshots')
