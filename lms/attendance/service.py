"""Attendance: a session's roster saved in one transaction, every change audited."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.batch import check_rows, upsert_by_enrollment
from lms.extensions import db
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


def roster_row_check(accepted):
    def check(values, seen):
        enrollment_id = values['enrollment_id']
        if enrollment_id in seen:
            return {'enrollment_id': _l('This person appears twice in the roster.')}
        seen.add(enrollment_id)
        if enrollment_id not in accepted:
            return {'enrollment_id': _l('Not an accepted participant of this offering.')}
        return None

    return check


def record_attendance(offering_session, records, *, actor):
    """Save a whole roster: every row or none.

    `records` are dicts with `enrollment_id`, `status` and an optional `note`; rows for
    people already recorded replace their record. Raises Invalid naming each bad row
    (unknown or not accepted person, unknown status, duplicate). Runs the same number of
    queries for 3 people or 300. Flushes, never commits. Returns the number of rows saved.
    """
    rows = check_rows(
        records, ROW_FIELDS, roster_row_check(accepted_enrollment_ids(offering_session.offering))
    )
    if rows:
        upsert_by_enrollment(
            Attendance,
            (Attendance.session_id, offering_session.id),
            rows,
            ('status', 'note'),
            actor=actor,
            action='attendance.recorded',
        )
    return len(rows)


def session_attendance(offering_session):
    """The session's attendance records, by enrollment id."""
    return {
        a.enrollment_id: a
        for a in db.session.scalars(
            select(Attendance).where(Attendance.session_id == offering_session.id)
        )
    }
