"""Audit trail: every change to a person's record leaves an entry in the same transaction."""

from datetime import date, datetime
from decimal import Decimal

from lms.extensions import db
from lms.models import AuditEntry


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def record(actor, action, obj, *, before=None, after=None, **data):
    """Add an audit entry for `action` on `obj` by `actor` (None: the system).

    Adds to the session and does not commit: it lands or rolls back with the change.
    """
    payload = {'before': _plain(before), 'after': _plain(after)}
    payload.update(_plain(data))
    entry = AuditEntry(
        actor_id=getattr(actor, 'id', None),
        action=action,
        object_type=getattr(obj, '__tablename__', type(obj).__name__.lower()),
        object_id=getattr(obj, 'id', None),
        data=payload,
    )
    db.session.add(entry)
    return entry


def snapshot(obj, fields):
    """The values of `fields` on `obj`, for the before/after of an entry."""
    return {name: _plain(getattr(obj, name)) for name in fields}
