"""Attendance: a session's roster saved in one transaction, every change audited.

Saves of one session's roster (the roster page, the API, a CSV import, a self check-in)
go one after the other: each locks the session's row first (lock_roster), so none meets
another's half-written rows. A roster page says what it showed (Seen): the time of the
last change it saw, and each person's mark as it showed it. When someone else has changed
a mark since, a save from that page is merged row by row:

- a row the page's user left as it was shown keeps the newer mark (it is not written);
- a row they set to what the newer mark already says is fine;
- a row they changed to something else is a real clash: the whole save is refused
  (Conflict `roster_changed`), naming who changed it and when, and the page then shows
  their marks.

Rows nobody else touched are saved as sent. The API states whole rows (API.md: an
upsert) and, showing nothing, is not checked: of two saves at once the later one's stand.
"""

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Seen:
    """What a roster page showed: the time of the last change it saw (None: nothing was
    recorded), and {enrollment_id: (status, note)} of the marks it showed."""

    at: datetime | None
    marks: dict = field(default_factory=dict)


def _merge(offering_session, rows, seen):
    """The rows of a save from a page that showed `seen` that are to be written (see the
    module docstring); Conflict `roster_changed` on a real clash."""
    current = session_attendance(offering_session)
    keep, clashes = [], []  # clashes: (index of the row, the newer mark)
    for index, row in enumerate(rows):
        mark, sent = current.get(row['enrollment_id']), (row['status'], row['note'])
        newer = mark is not None and (seen.at is None or mark.recorded_at > seen.at)
        if not newer or (mark.status, mark.note) == sent:
            keep.append(row)
        elif seen.marks.get(row['enrollment_id']) != sent:
            clashes.append((index, mark))
        # else: left as the page showed it; the newer mark stands
    if not clashes:
        return keep
    latest = max((mark for _, mark in clashes), key=lambda a: a.recorded_at)
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
            for index, mark in clashes
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
        rows = _merge(offering_session, rows, seen)
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
