"""Audit trail: every change to a person's record leaves an entry in the same transaction."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from lms import search
from lms.extensions import academy_zone, db, utcnow
from lms.models import AuditEntry, User


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


def update(obj, values, *, actor, action, fields):
    """Set `values` on `obj`, flush, and audit `action` with what `fields` held before and
    after. `fields` is a tuple of attribute names, or a function giving the snapshot.

    The one way services change a record's plain fields. Inside the caller's transaction.
    """
    take = fields if callable(fields) else (lambda target: snapshot(target, fields))
    before = take(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    db.session.flush()
    record(actor, action, obj, before=before, after=take(obj))
    return obj


def record_many(actor, action, object_type, changes, *, at=None):
    """Audit many changes in one INSERT: `changes` are (object_id, before, after, extra dict).

    For batch writes (a roster, a score sheet, an import), so that the number of
    statements does not grow with the batch. `at`: the time the changed rows were stamped
    with (default now), so that the trail can say what a row held at any stamp (a
    roster's version: lms.attendance.service). Runs inside the caller's transaction.
    """
    if not changes:
        return
    now = at or utcnow()
    rows = [
        {
            'actor_id': getattr(actor, 'id', None),
            'action': action,
            'object_type': object_type,
            'object_id': object_id,
            'data': {'before': _plain(before), 'after': _plain(after), **_plain(extra)},
            'created_at': now,
        }
        for object_id, before, after, extra in changes
    ]
    db.session.execute(insert(AuditEntry), rows)


# -- reading the log (the admins' audit page) ---------------------------------------------


def search_entries(
    *, action=None, actor=None, object_type=None, object_id=None, since=None, until=None
):
    """A select() of entries, newest first: `action` a prefix ('certificate.' or an exact
    action), `actor` a name or e-mail, `since`/`until` academy dates (both included)."""
    statement = (
        select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    )
    if action:
        statement = statement.where(AuditEntry.action.startswith(action, autoescape=True))
    if object_type:
        statement = statement.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        statement = statement.where(AuditEntry.object_id == object_id)
    if actor:
        statement = statement.join(User, AuditEntry.actor_id == User.id).where(search.people(actor))
    zone = academy_zone()
    if since:
        start = datetime.combine(since, datetime.min.time(), zone)
        statement = statement.where(AuditEntry.created_at >= start)
    if until:
        end = datetime.combine(until, datetime.max.time(), zone)
        statement = statement.where(AuditEntry.created_at <= end)
    return statement


def object_types():
    """The kinds of record an entry can be about: the tables of the model (no query, so the
    filter costs nothing however long the log grows)."""
    return sorted(db.metadata.tables)


def changes(entry):
    """(field, before, after) of each field an entry's change touched, sorted by field."""
    before = (entry.data or {}).get('before') or {}
    after = (entry.data or {}).get('after') or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [('', before, after)]
    names = sorted(set(before) | set(after))
    return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]
