"""Read side of the landing pages."""

from collections import defaultdict
from datetime import date

from sqlalchemy import func, or_, select

from lms.completion.rules import attendance_pct
from lms.extensions import db, utcnow
from lms.models import (
    ATTENDED_STATUSES,
    Assessment,
    Attendance,
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    Organization,
    Result,
    User,
    offering_trainers,
)


def home_figures():
    """A few public figures for the front page; no personal data."""
    participants = db.session.scalar(
        select(func.count(func.distinct(Enrollment.user_id))).where(Enrollment.status == 'accepted')
    )
    return {
        'courses_count': db.session.scalar(select(func.count()).select_from(Course)),
        'offerings_count': db.session.scalar(
            select(func.count()).select_from(Offering).where(Offering.status != 'draft')
        ),
        'participants_count': participants,
        'upcoming': db.session.scalars(
            select(Offering)
            .where(Offering.status == 'published', Offering.ends_on >= date.today())
            .order_by(Offering.starts_on)
            .limit(6)
        ).all(),
    }


def admin_overview():
    return {
        'pending_applications': db.session.scalar(
            select(func.count()).select_from(Enrollment).where(Enrollment.status == 'applied')
        ),
        'people_count': db.session.scalar(select(func.count()).select_from(User)),
        'organizations_count': db.session.scalar(select(func.count()).select_from(Organization)),
        'upcoming': db.session.scalars(
            select(Offering)
            .where(Offering.ends_on >= date.today())
            .order_by(Offering.starts_on)
            .limit(10)
        ).all(),
    }


def offerings_taught(user):
    """The offerings a trainer teaches: current and upcoming first, then the past."""
    today = date.today()
    offerings = (
        db.session.scalars(
            select(Offering)
            .join(offering_trainers)
            .where(offering_trainers.c.user_id == user.id)
            .order_by(Offering.starts_on.desc())
        )
        .unique()
        .all()
    )
    current = sorted((o for o in offerings if o.ends_on >= today), key=lambda o: o.starts_on)
    past = [o for o in offerings if o.ends_on < today]
    return current + past


def enrollments_of(user):
    return db.session.scalars(
        select(Enrollment)
        .join(Enrollment.offering)
        .where(Enrollment.user_id == user.id)
        .order_by(Offering.starts_on.desc())
    ).all()


def open_offerings(user, today=None):
    """Published offerings still to come that take applications on `today` (as
    permissions.applications_state decides) and that the person has not applied to.
    """
    today = today or date.today()
    applied = select(Enrollment.offering_id).where(Enrollment.user_id == user.id)
    return db.session.scalars(
        select(Offering)
        .where(
            Offering.status == 'published',
            Offering.starts_on >= today,
            or_(Offering.applications_open_on.is_(None), Offering.applications_open_on <= today),
            or_(Offering.applications_close_on.is_(None), Offering.applications_close_on >= today),
            Offering.id.not_in(applied),
        )
        .order_by(Offering.starts_on)
        .limit(10)
    ).all()


def progress_of(enrollments, now=None):
    """{enrollment_id: (attendance %, [(assessment title, score, max score, passed)])}.

    For the accepted enrollments among `enrollments` whose offering has started: the
    attendance rule of DESIGN.md (attended hours over the hours of started sessions), in
    three queries whatever the number of enrollments.
    """
    accepted = {e.id: e for e in enrollments if e.status == 'accepted'}
    if not accepted:
        return {}
    now = now or utcnow()
    offering_ids = {e.offering_id for e in accepted.values()}
    started = db.session.scalars(
        select(OfferingSession).where(
            OfferingSession.offering_id.in_(offering_ids), OfferingSession.starts_at <= now
        )
    ).all()
    hours = {s.id: (s.offering_id, s.hours) for s in started}
    attended = defaultdict(list)
    for enrollment_id, session_id in db.session.execute(
        select(Attendance.enrollment_id, Attendance.session_id).where(
            Attendance.enrollment_id.in_(list(accepted)),
            Attendance.status.in_(ATTENDED_STATUSES),
        )
    ):
        if session_id in hours:
            attended[enrollment_id].append(hours[session_id][1])
    scores = defaultdict(list)
    for enrollment_id, assessment, score in db.session.execute(
        select(Result.enrollment_id, Assessment, Result.score)
        .join(Assessment, Assessment.id == Result.assessment_id)
        .where(Result.enrollment_id.in_(list(accepted)))
        .order_by(Assessment.id)
    ):
        scores[enrollment_id].append(
            (assessment.title, score, assessment.max_score, score >= assessment.pass_score)
        )
    progress = {}
    for enrollment_id, enrollment in accepted.items():
        offering_hours = [h for o, h in hours.values() if o == enrollment.offering_id]
        if offering_hours:
            pct = attendance_pct(offering_hours, attended[enrollment_id])
            progress[enrollment_id] = (pct, scores[enrollment_id])
    return progress
