"""Read side of attendance: what is recorded, by whom and when."""

from sqlalchemy import func, select

from lms.attendance.checkin import OPEN_AFTER, OPEN_BEFORE
from lms.extensions import db
from lms.models import Attendance, Enrollment, OfferingSession, User


def attendance_count(offering_session):
    return db.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.session_id == offering_session.id)
    )


def recorded_counts(offering):
    """{session_id: number of people recorded} for the offering's sessions (one query)."""
    rows = db.session.execute(
        select(Attendance.session_id, func.count())
        .join(OfferingSession, OfferingSession.id == Attendance.session_id)
        .where(OfferingSession.offering_id == offering.id)
        .group_by(Attendance.session_id)
    )
    return dict(rows.all())


def last_recorded(offering_session):
    """(user, when) of the latest change to the session's roster, or (None, None)."""
    row = db.session.execute(
        select(Attendance.recorded_by_id, Attendance.recorded_at)
        .where(Attendance.session_id == offering_session.id)
        .order_by(Attendance.recorded_at.desc(), Attendance.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None, None
    return (db.session.get(User, row[0]) if row[0] else None), row[1]


def sessions_open_for_check_in(user, now):
    """The sessions open for check-in at `now` in the offerings where `user` is accepted."""
    return db.session.scalars(
        select(OfferingSession)
        .join(Enrollment, Enrollment.offering_id == OfferingSession.offering_id)
        .where(
            Enrollment.user_id == user.id,
            Enrollment.status == 'accepted',
            OfferingSession.starts_at <= now + OPEN_BEFORE,
            OfferingSession.ends_at >= now - OPEN_AFTER,
        )
        .order_by(OfferingSession.starts_at)
    ).all()
