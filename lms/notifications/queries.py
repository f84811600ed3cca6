"""What the outbox holds, for the admins' mail page."""

from sqlalchemy import select

from lms import search
from lms.models import MESSAGE_STATUSES, OutboxMessage
from lms.pagination import capped_count


def search_messages(query=None, status=None):
    """Messages, newest first; `query` matches the address or the subject."""
    statement = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in MESSAGE_STATUSES:
        statement = statement.where(OutboxMessage.status == status)
    if query:
        statement = statement.where(search.messages(query))
    return statement


def message_counts():
    """{status: (how many, whether more than that)} over the whole outbox, each count
    stopping at lms.pagination.COUNT_CAP: one short read of the (status, id) index per
    status, however many messages the outbox has kept."""
    return {
        status: capped_count(select(OutboxMessage.id).where(OutboxMessage.status == status))
        for status in MESSAGE_STATUSES
    }
