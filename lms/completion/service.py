"""Completion of an offering: each accepted participant's attendance, results and eligibility.

Computed with a fixed handful of queries whatever the number of participants: sessions,
enrollments, attended hours, assessments with results, and valid certificates.
"""

from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from lms.completion.rules import (
    AssessmentOutcome,
    AttendanceFigures,
    Completion,
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


def offering_end(offering, now=None, *, sessions=None):
    """(over, ends_on): whether the offering's last session has ended by `now`, and the
    academy's date (Tbilisi) of that end. An offering without sessions ends with its last
    day. `sessions` spares loading them again when the caller has them."""
    now = now or utcnow()
    zone = ZoneInfo(current_app.config['BABEL_DEFAULT_TIMEZONE'])
    sessions = offering.sessions if sessions is None else sessions
    if not sessions:
        return offering.ends_on < now.astimezone(zone).date(), offering.ends_on
    last = max(s.ends_at for s in sessions)
    return last <= now, last.astimezone(zone).date()


def is_over(offering, now=None):
    """Whether the offering's last session has ended, so that certificates can be issued."""
    return offering_end(offering, now)[0]


def offering_completion(offering, *, now=None, enrollment_ids=None):
    """The completion of every accepted enrollment of `offering` (or of `enrollment_ids`).

    Returns Completion objects ordered by the participant's Georgian name. Attendance so
    far counts the sessions that have started by `now`, the final attendance % every
    session; unrecorded sessions count as absent. Before the offering's last session has
    ended nobody is eligible (rules.check_eligibility).
    """
    now = now or utcnow()
    sessions = db.session.scalars(
        select(OfferingSession)
        .where(OfferingSession.offering_id == offering.id)
        .order_by(OfferingSession.starts_at)
    ).all()
    hours = {s.id: Decimal(str(s.hours)) for s in sessions}
    started = {s.id for s in sessions if s.starts_at <= now}
    over, ends_on = offering_end(offering, now, sessions=sessions)
    course = offering.course

    stmt = select(Enrollment).where(Enrollment.offering_id == offering.id).order_by(Enrollment.id)
    if enrollment_ids is None:
        stmt = stmt.where(Enrollment.status == 'accepted')
    else:
        stmt = stmt.where(Enrollment.id.in_(enrollment_ids))
    enrollments = db.session.scalars(stmt).unique().all()
    enrollments.sort(key=lambda e: (e.user.full_name_ka, e.id))

    attended = defaultdict(list)
    if started:
        rows = db.session.execute(
            select(Attendance.enrollment_id, Attendance.session_id).where(
                Attendance.session_id.in_(list(started)),
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

    started_hours = sum((hours[i] for i in started), Decimal(0))
    total_hours = sum(hours.values(), Decimal(0))
    completions = []
    for enrollment in enrollments:
        attendance = AttendanceFigures(
            attended_hours=sum(attended[enrollment.id], Decimal(0)),
            started_hours=started_hours,
            total_hours=total_hours,
            sessions_attended=len(attended[enrollment.id]),
            sessions_started=len(started),
            sessions_total=len(sessions),
        )
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
            attendance=attendance,
            min_pct=course.min_attendance_pct,
            assessments=outcomes,
            over=over,
            ends_on=ends_on,
        )
        completions.append(
            Completion(
                enrollment_id=enrollment.id,
                user_id=enrollment.user_id,
                attendance=attendance,
                over=over,
                ends_on=ends_on,
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
