"""All-or-nothing batch writes: check every row first, then upsert them in a fixed number of
statements, each change audited. Shared by attendance rosters, score sheets and imports.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from lms import audit
from lms.errors import Invalid
from lms.extensions import db, utcnow
from lms.validation import clean


def check_rows(records, spec, row_check):
    """Clean every row against `spec`, then `row_check(values, seen)` for the domain rules.

    `row_check` returns {field: message} for a row at fault. Raises Invalid with a `rows`
    report naming each bad row by index when any row is bad; returns the cleaned rows.
    """
    if not isinstance(records, list):
        raise Invalid(fields={'records': _l('Must be a list of rows.')})
    cleaned, bad, seen = [], [], set()
    for index, record in enumerate(records):
        try:
            values = clean(record, spec)
        except Invalid as exc:
            bad.append({'index': index, 'errors': exc.fields or {'row': exc.message}})
            continue
        errors = row_check(values, seen)
        if errors:
            bad.append({'index': index, 'errors': errors})
        else:
            cleaned.append(values)
    if bad:
        raise Invalid(
            _l(
                '%(n)d of %(total)d rows could not be saved; nothing was saved.',
                n=len(bad),
                total=len(records),
            ),
            rows=bad,
        )
    return cleaned


def once_per_accepted_enrollment(accepted, then=None):
    """The row check of a roster or a score sheet (for check_rows): each enrollment once,
    each an accepted participant of the offering (`accepted`: their ids), then `then`."""

    def check(values, seen):
        enrollment_id = values['enrollment_id']
        if enrollment_id in seen:
            return {'enrollment_id': _l('This person appears twice in the list.')}
        seen.add(enrollment_id)
        if enrollment_id not in accepted:
            return {'enrollment_id': _l('Not an accepted participant of this offering.')}
        return then(values) if then else None

    return check


def lock_parent(parent_column, parent_id):
    """Hold the row `parent_column` points at (a session, an assessment) until the
    transaction ends: FOR NO KEY UPDATE, so rows may still be inserted under it. SQLite
    has no row locks; it lets one writer at a time."""
    (foreign_key,) = parent_column.foreign_keys
    target = foreign_key.column
    db.session.execute(select(target).where(target == parent_id).with_for_update(key_share=True))


def upsert_by_enrollment(model, parent, rows, fields, *, actor, action):
    """Insert or update one `model` row per enrollment under `parent`; returns rows changed.

    `parent` is (column, id): the session or assessment the rows belong to. `rows` are
    cleaned dicts with `enrollment_id` and `fields`. Unchanged rows are left alone and
    not audited; each change is audited on its enrollment, with before and after. Uses
    one SELECT, one INSERT, one UPDATE and one audit INSERT whatever the batch size.
    Flushes, never commits.
    """
    parent_column, parent_id = parent
    db.session.flush()
    # Two saves under one parent go one after the other: the second finds the first one's
    # rows and updates them, instead of inserting them again into the unique constraint.
    lock_parent(parent_column, parent_id)
    existing = {
        row.enrollment_id: row
        for row in db.session.scalars(
            select(model).where(
                parent_column == parent_id,
                model.enrollment_id.in_([r['enrollment_id'] for r in rows]),
            )
        )
    }
    now = utcnow()
    stamp = {'recorded_by_id': getattr(actor, 'id', None), 'recorded_at': now}
    inserts, updates, changes = [], [], []
    for values in rows:
        after = {name: values[name] for name in fields}
        row = existing.get(values['enrollment_id'])
        before = None if row is None else {name: getattr(row, name) for name in fields}
        if before == after:
            continue
        if row is None:
            inserts.append(
                {
                    parent_column.key: parent_id,
                    'enrollment_id': values['enrollment_id'],
                    **after,
                    **stamp,
                }
            )
        else:
            updates.append({'id': row.id, **after, **stamp})
            db.session.expire(row)
        changes.append((values['enrollment_id'], before, after, {parent_column.key: parent_id}))
    if inserts:
        db.session.execute(insert(model), inserts)
    if updates:
        db.session.execute(update(model), updates)
    audit.record_many(actor, action, 'enrollments', changes, at=now)
    return len(changes)
