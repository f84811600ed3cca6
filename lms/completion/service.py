"""Completion of an offering: each accepted participant's attendance, results and eligibility.

Computed with a fixed handful of queries whatever the number of participants: sessions,
enrollments, attended hours, assessments with results, and valid certificates.
"""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from certificates import Certificate
from lms.completion.rules import (
    AssessmentOutcome,
    Completion,
    attendance_pct,
    check_eligibility,
)
from lms.extensions import db, utcnow
from lms.models import (
    ATTENDED_STATUSES,
    Assessment,
    Attendance,
    Enrollment,
    OfferingSession,
    Result,
)


def started_sessions(offering, now=None):
    """The offering's sessions that have started by `now` (they count towards attendance)."""
    now = now or utcnow()
    return db.session.scalars(
        select(OfferingSession)
        .where(OfferingSession.offering_id == offering.id, OfferingSession.starts_at <= now)
        .order_by(OfferingSession.starts_at)
    ).all()


def offering_completion(offering, *, now=None, enrollment_ids=None):
    """The completion of every accepted enrollment of `offering` (or of `enrollment_ids`).

    Returns Completion objects ordered by the participant's Georgian name. Sessions that
    have not started yet count neither way; unrecorded started sessions count as absent.
    """
    sessions = started_sessions(offering, now)
    hours = {s.id: Decimal(str(s.hours)) for s in sessions}
    course = offering.course

    stmt = select(Enrollment).where(Enrollment.offering_id == offering.id).order_by(Enrollment.id)
    if enrollment_ids is None:
        stmt = stmt.where(Enrollment.status == 'accepted')
    else:
        stmt = stmt.where(Enrollment.id.in_(enrollment_ids))
    enrollments = db.session.scalars(stmt).unique().all()
    enrollments.sort(key=lambda e: (e.user.full_name_ka, e.id))

    attended = defaultdict(list)
    if hours:
        rows = db.session.execute(
            select(Attendance.enrollment_id, Attendance.session_id).where(
                Attendance.session_id.in_(list(hours)),
                Attendance.status.in_(ATTENDED_STATUSES),
            )
        )
        for enrollment_id, session_id in rows:
            attended[enrollment_id].append(hours[session_id])

    assessments = db.session.scalars(
        select(Assessment).where(Assessment.offering_id == offering.id).order_by(Assessment.id)
    ).all()
    scores = {}
    if assessments:
        rows = db.session.execute(
            select(Result.enrollment_id, Result.assessment_id, Result.score).where(
                Result.assessment_id.in_([a.id for a in assessments])
            )
        )
        scores = {(e, a): score for e, a, score in rows}

    completions = []
    started_hours = list(hours.values())
    for enrollment in enrollments:
        pct = attendance_pct(started_hours, attended[enrollment.id])
        outcomes = tuple(
            AssessmentOutcome(
                title=a.title,
                required=a.required,
                pass_score=a.pass_score,
                max_score=a.max_score,
                score=scores.get((enrollment.id, a.id)),
            )
            for a in assessments
        )
        eligibility = check_eligibility(
            status=enrollment.status,
            grants_certificate=course.grants_certificate,
            pct=pct,
            min_pct=course.min_attendance_pct,
            assessments=outcomes,
        )
        completions.append(
            Completion(
                enrollment_id=enrollment.id,
                user_id=enrollment.user_id,
                attendance_pct=pct,
                attended_hours=float(sum(attended[enrollment.id], Decimal(0))),
                started_hours=float(sum(started_hours, Decimal(0))),
                sessions_attended=len(attended[enrollment.id]),
                sessions_started=len(started_hours),
                assessments=outcomes,
                eligibility=eligibility,
            )
        )
    return completions


def completions_of(enrollments, *, now=None):
    """{enrollment_id: Completion} for a person's accepted enrollments whose offering began.

    For the participant's own page: a handful of queries per offering, and a person is in
    few offerings at a time. Same rules as the trainer's view, from the same function.
    """
    now = now or utcnow()
    by_offering = {}
    for e in enrollments:
        if (
            e.status == 'accepted'
            and e.offering.sessions
            and e.offering.sessions[0].starts_at <= now
        ):
            by_offering.setdefault(e.offering, []).append(e.id)
    return {
        c.enrollment_id: c
        for offering, ids in by_offering.items()
        for c in offering_completion(offering, now=now, enrollment_ids=ids)
    }


def valid_certificate_serials(enrollment_ids):
    """{enrollment_id: formatted serial} of the valid certificates of these enrollments."""
    if not enrollment_ids:
        return {}
    certificates = db.session.scalars(
        select(Certificate).where(
            Certificate.status == 'valid', Certificate.enrollment_id.in_(list(enrollment_ids))
        )
    )
    return {c.enrollment_id: c.formatted_serial for c in certificates}
