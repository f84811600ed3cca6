"""API tokens expire: expires_at (API_TOKEN_DAYS after a token is made). Tokens made
before this still work for the default 90 days from the upgrade, so no client stops at
once; revoked ones keep no expiry.

Revision ID: 4b7e2d91c5a3
Revises: a7c3e915d2b8
Create Date: 2026-12-02 07:00:00

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b7e2d91c5a3'
down_revision = 'a7c3e915d2b8'
branch_labels = None
depends_on = None

#: API_TOKEN_DAYS's default: the lifetime given to the tokens that exist at the upgrade.
DAYS = 90


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))

    expires_at = datetime.now(UTC) + timedelta(days=DAYS)
    if op.get_bind().dialect.name == 'sqlite':  # stored naive in UTC (lms.extensions.UTCDateTime)
        expires_at = expires_at.replace(tzinfo=None)
    tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime(timezone=True)),
                      sa.column('revoked_at', sa.DateTime(timezone=True)))
    op.execute(tokens.update().where(tokens.c.revoked_at.is_(None)).values(expires_at=expires_at))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
