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

Rows nobody else touched are saved as sent. The API follows the same rule when a save
names the version it read (`If-Match` with the roster's `ETag`): what that client was
shown is the marks as they stood at that version, read back from the audit trail
(marks_at). An API save naming no version is not checked (API.md: an upsert): of two such
saves the later one's rows stand.
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
from lms.models import ATTENDANCE_STATUSES, Attendance, AuditEntry, Enrollment, User
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


def version_of(records):
    """The version of a roster whose records are `records` (roster_version): read from
    the records themselves, so that it names exactly what the reader is given."""
    return roster_version(max((a.recorded_at for a in records), default=None))


def seen_at_version(offering_session, version):
    """What a reader who names the roster's `version` (roster_version's words; '' for a
    roster with nothing recorded) and shows no marks of its own was shown: the marks as
    they stood then (Seen with marks None, so marks_at reads them back). None when
    `version` names no version this roster has had: not exactly as roster_version writes
    one, or the time of no change to it."""
    if version == '':
        return Seen(None, marks=None)
    at = read_version(version)
    if at is None or roster_version(at) != version or not _changed_at(offering_session, at):
        return None
    return Seen(at, marks=None)


def _changed_at(offering_session, at):
    """Whether a change to the roster was stamped `at`: a mark as it stands, or one changed
    since (its audit entry carries the same stamp: lms.batch.upsert_by_enrollment). A
    mark written without a trail (the demo's) and changed since is no longer known: the
    reader is asked to read the roster again rather than be merged on a guess."""
    standing = select(Attendance.id).where(
        Attendance.session_id == offering_session.id, Attendance.recorded_at == at
    )
    if db.session.scalar(standing.limit(1)) is not None:
        return True
    trail = db.session.scalars(
        select(AuditEntry.data).where(
            AuditEntry.created_at == at, AuditEntry.action.in_(ROSTER_ACTIONS)
        )
    )
    return any((data or {}).get('session_id') == offering_session.id for data in trail)


def lock_roster(offering_session):
    """Hold the session's row until the transaction ends, so that saves of its roster go
    one at a time (before reading what a save is checked against)."""
    lock_parent(Attendance.session_id, offering_session.id)


def _recorder(attendance):
    who = db.session.get(User, attendance.recorded_by_id) if attendance.recorded_by_id else None
    return localized(who, 'full_name') if who else _l('the system')


@dataclass(frozen=True)
class Seen:
    """What a roster's reader saw: the version, the time of the last change they saw (None:
    nothing was recorded), and {enrollment_id: (status, note)} of the marks they were
    shown. `marks` None: the marks as they stood at that version (marks_at), for a
    caller that names a version but shows no marks of its own (the API's If-Match)."""

    at: datetime | None
    marks: dict | None = field(default_factory=dict)


#: The audit actions of every write to a roster (save_roster's and check_in's).
ROSTER_ACTIONS = ('attendance.recorded', 'attendance.imported', 'attendance.checked_in')


def marks_at(offering_session, at, enrollment_ids):
    """{enrollment_id: (status, note)} of the people in `enrollment_ids` who had a mark in
    the session when the roster's version was `at`, read from the audit trail: the mark
    of the last change stamped at or before `at`, or else what the first change after it
    found (a mark written without a trail, such as the demo's). Nothing for `at` None."""
    if at is None or not enrollment_ids:
        return {}
    entries = db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.object_type == 'enrollments',
            AuditEntry.object_id.in_(enrollment_ids),
            AuditEntry.action.in_(ROSTER_ACTIONS),
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    history = {}  # enrollment id: (the last mark at or before `at`, or the first after)
    for entry in entries:
        data = entry.data or {}
        if data.get('session_id') != offering_session.id:
            continue
        if entry.created_at <= at:
            history[entry.object_id] = ('at', data.get('after'))
        elif entry.object_id not in history:
            history[entry.object_id] = ('after', data.get('before'))
    return {
        enrollment_id: (mark['status'], mark.get('note') or '')
        for enrollment_id, (_, mark) in history.items()
        if isinstance(mark, dict) and mark.get('status')
    }


def _merge(offering_session, rows, seen):
    """The rows of a save from a reader who saw `seen` that are to be written (see the
    module docstring); Conflict `roster_changed` on a real clash."""
    current = session_attendance(offering_session)
    newer = {
        enrollment_id: mark
        for enrollment_id, mark in current.items()
        if seen.at is None or mark.recorded_at > seen.at
    }
    shown = seen.marks
    if shown is None:
        shown = marks_at(
            offering_session,
            seen.at,
            [r['enrollment_id'] for r in rows if r['enrollment_id'] in newer],
        )
    keep, clashes = [], []  # clashes: (index of the row, the newer mark)
    for index, row in enumerate(rows):
        mark, sent = newer.get(row['enrollment_id']), (row['status'], row['note'])
        if mark is None or (mark.status, mark.note) == sent:
            keep.append(row)
        elif shown.get(row['enrollment_id']) != sent:
            clashes.append((index, mark))
        # else: left as the reader was shown it; the newer mark stands
    if not clashes:
        return keep
    latest = max((mark for _, mark in clashes), key=lambda a: a.recorded_at)
    raise Conflict(
        _l(
            '%(who)s changed this roster at %(when)s, after you opened it. Nothing was '
            'saved. Check their marks and save again.',
            who=_recorder(latest),
            when=format_datetime(latest.recorded_at),
        ),
        code='roster_changed',
        rows=[
            {
                'index': index,
                'enrollment_id': mark.enrollment_id,
                'recorded_by_id': mark.recorded_by_id,
                'recorded_at': mark.recorded_at.isoformat(),
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
