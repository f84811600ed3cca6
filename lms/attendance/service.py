"""Attendance: a session's roster saved in one transaction, every change audited."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.batch import check_rows, once_per_accepted_enrollment, upsert_by_enrollment
from lms.errors import Invalid
from lms.extensions import db, utcnow
from lms.formatting import format_datetime
from lms.models import ATTENDANCE_STATUSES, Attendance, Enrollment
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


def record_attendance(offering_session, records, *, actor, before_start=False):
    """Save a whole roster: every row or none.

    `records` are dicts with `enrollment_id`, `status` and an optional `note`; rows for
    people already recorded replace their record. Raises Invalid naming each bad row
    (unknown or not accepted person, unknown status, duplicate), and when the session has
    not started unless `before_start` (check_started). Runs the same number of queries for
    3 people or 300. Flushes, never commits. Returns the number of rows saved.
    """
    rows = check_roster(offering_session, records)
    check_started(offering_session, before_start=before_start)
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
