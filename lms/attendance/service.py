"""Attendance: a session's roster saved in one transaction, every change audited.

Saves of one session's roster (the roster page, the API, a CSV import, a self check-in)
go one after the other: each locks the session's row first (lock_roster), so none meets
another's half-written rows. A roster page carries the version it showed (the time of
the last change it saw, `roster_version`); a save from it that would change a mark that
someone else changed after that time is refused whole (Conflict `roster_changed`), naming
who changed it and when, and the page then shows their marks. Rows the other save changed
and this one leaves as they are, and rows nobody else touched, never stand in the way.
The API states whole rows (API.md: an upsert) and, sending no version, is not checked.
"""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.batch import (
    check_rows,
    lock_parent,
    once_per_accepted_enrollment,
    upsert_by_enrollment,
)
from lms.errors import Conflict, Invalid
from lms.extensions import db, utcnow
from lms.formatting import format_datetime
from lms.i18n import localized
from lms.models import ATTENDANCE_STATUSES, Attendance, Enrollment, User
from lms.validation import Field

ROW_FIELDS = {
    'enrollment_id': Field('id'),
    'status': Field(choices=ATTENDANCE_STATUSES),
    'note': Field(required=False, max_length=500, default=''),
}


def accepted_enrollment_ids(offering):
    return set(
        db.session.scalars(
            select(Enrollment.id).where(
                Enrollment.offering_id == offering.id, Enrollment.status == 'accepted'
            )
        )
    )


def check_started(offering_session, *, before_start, now=None):
    """Attendance is recorded once a session has started; before that only on purpose.

    Raises Invalid (field `before_start`) when the session has not started and the
    person recording did not say they mean to record it ahead of time: a tap on the
    wrong day's roster must not mark a whole room absent.
    """
    now = now or utcnow()
    if offering_session.starts_at > now and not before_start:
        raise Invalid(
            _l(
                'This session has not started yet (it starts %(when)s). Confirm that you '
                'are recording its attendance ahead of time.',
                when=format_datetime(offering_session.starts_at),
            ),
            fields={'before_start': _l('Confirm to record a session that has not started.')},
        )


def roster_version(recorded_at):
    """The version a roster page carries: the time of the last change it showed ('' for
    none), exact to the microsecond, as read_version reads it back."""
    return recorded_at.astimezone(UTC).isoformat() if recorded_at else ''


def read_version(text):
    """The time a roster version names; None for '' (nothing recorded yet). Anything
    unreadable counts as having seen nothing, so every later mark is checked."""
    try:
        moment = datetime.fromisoformat(str(text or '').strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def lock_roster(offering_session):
    """Hold the session's row until the transaction ends, so that saves of its roster go
    one at a time (before reading what a save is checked against)."""
    lock_parent(Attendance.session_id, offering_session.id)


def _recorder(attendance):
    who = db.session.get(User, attendance.recorded_by_id) if attendance.recorded_by_id else None
    return localized(who, 'full_name') if who else _l('the system')


def _check_not_stale(offering_session, rows, seen):
    """Refuse (Conflict `roster_changed`) a save from a page that showed the roster as it
    was at `seen` when it would change a mark recorded after that by someone else."""
    current = session_attendance(offering_session)
    stale = []  # (index of the row, the mark it would change)
    for index, row in enumerate(rows):
        mark = current.get(row['enrollment_id'])
        if mark is None or (mark.status, mark.note) == (row['status'], row['note']):
            continue
        if seen is None or mark.recorded_at > seen:
            stale.append((index, mark))
    if not stale:
        return
    latest = max((mark for _, mark in stale), key=lambda a: a.recorded_at)
    raise Conflict(
        _l(
            '%(who)s changed this roster at %(when)s, after you opened it. Nothing was '
            'saved: their marks are shown now. Check them and save again.',
            who=_recorder(latest),
            when=format_datetime(latest.recorded_at),
        ),
        code='roster_changed',
        rows=[
            {
                'index': index,
                'errors': {
                    'status': _l(
                        'Changed by %(who)s at %(when)s.',
                        who=_recorder(mark),
                        when=format_datetime(mark.recorded_at),
                    )
                },
            }
            for index, mark in stale
        ],
    )


#: record_attendance's `seen` when the caller carries no version (the API): not checked.
UNCHECKED = object()


def record_attendance(offering_session, records, *, actor, before_start=False, seen=UNCHECKED):
    """Save a whole roster: every row or none.

    `records` are dicts with `enrollment_id`, `status` and an optional `note`; rows for
    people already recorded replace their record. Raises Invalid naming each bad row
    (unknown or not accepted person, unknown status, duplicate), and when the session has
    not started unless `before_start` (check_started). `seen`: the version the caller
    showed (read_version); Conflict `roster_changed` when the save would change a mark
    recorded after it (see the module's docstring; `rows` name the rows by index). Runs
    the same number of queries for 3 people or 300. Flushes, never commits. Returns the
    number of rows saved.
    """
    rows = check_roster(offering_session, records)
    check_started(offering_session, before_start=before_start)
    lock_roster(offering_session)
    if seen is not UNCHECKED:
        _check_not_stale(offering_session, rows, seen)
    save_roster(offering_session, rows, actor=actor, action='attendance.recorded')
    return len(rows)


def check_roster(offering_session, records):
    """The cleaned rows of a roster, or Invalid naming each bad one (see record_attendance)."""
    accepted = accepted_enrollment_ids(offering_session.offering)
    return check_rows(records, ROW_FIELDS, once_per_accepted_enrollment(accepted))


def save_roster(offering_session, rows, *, actor, action):
    """Write checked roster rows (check_roster), each change audited as `action`; returns
    how many records changed."""
    if not rows:
        return 0
    return upsert_by_enrollment(
        Attendance,
        (Attendance.session_id, offering_session.id),
        rows,
        ('status', 'note'),
        actor=actor,
        action=action,
    )


def session_attendance(offering_session):
    """The session's attendance records, by enrollment id."""
    return {
        a.enrollment_id: a
        for a in db.session.scalars(
            select(Attendance).where(Attendance.session_id == offering_session.id)
        )
    }
