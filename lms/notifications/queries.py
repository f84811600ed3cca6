"""What the outbox holds, for the admins' mail page."""

from sqlalchemy import func, select

from lms import search
from lms.extensions import db
from lms.models import MESSAGE_STATUSES, OutboxMessage


def search_messages(query=None, status=None):
    """Messages, newest first; `query` matches the address or the subject."""
    statement = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in MESSAGE_STATUSES:
        statement = statement.where(OutboxMessage.status == status)
    if query:
        statement = statement.where(search.messages(query))
    return statement


def message_counts():
    """{status: how many} over the whole outbox (statuses with none included)."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(MESSAGE_STATUSES, 0)
    counts.update(dict(rows))
    return counts
