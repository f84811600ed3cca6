"""Completion of an offering: each accepted participant's attendance, results and eligibility.

Computed with a fixed handful of queries whatever the number of participants, or of
offerings: sessions, enrollments, attended hours, assessments with results.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

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
    seconds_between,
    session_hours,
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
    stmt = select(Enrollment).where(Enrollment.offering_id == offering.id).order_by(Enrollment.id)
    if enrollment_ids is None:
        stmt = stmt.where(Enrollment.status == 'accepted')
    else:
        stmt = stmt.where(Enrollment.id.in_(enrollment_ids))
    enrollments = db.session.scalars(stmt).unique().all()
    enrollments.sort(key=lambda e: (e.user.full_name_ka, e.id))
    return completions_by_offering([offering], enrollments, now=now)[offering.id].completions


@dataclass(frozen=True)
class OfferingCompletions:
    """What the completion of one offering stood on, and each enrollment's Completion."""

    sessions: list  # OfferingSession, by start
    assessments: list  # Assessment, in the order of each Completion's outcomes
    over: bool
    ends_on: date | None
    completions: list  # Completion, in the order the enrollments were given

    @property
    def total_hours(self):
        return sum((_hours(s) for s in self.sessions), Decimal(0))


def _hours(offering_session):
    return Decimal(str(offering_session.hours))


def completions_by_offering(offerings, enrollments, *, now=None, narrow=False):
    """{offering_id: OfferingCompletions} for `enrollments` (anything with id, offering_id,
    user_id and status, in the order wanted) in `offerings`.

    `narrow` reads the attendance and results of `enrollments` alone (a few people in
    many offerings: a participant's page) rather than of everyone in the offerings.

    The same rules as offering_completion, for any number of offerings with four queries:
    sessions, attended sessions (counted per person and length of session), assessments
    and results. Reports use it to judge a whole
    year's offerings at once.
    """
    now = now or utcnow()
    ids = [o.id for o in offerings]

    def narrowed(column):
        return [column.in_([e.id for e in enrollments])] if narrow else []

    sessions = defaultdict(list)
    assessments = defaultdict(list)
    attended = defaultdict(list)
    scores = {}
    if ids:
        for s in db.session.scalars(
            select(OfferingSession)
            .where(OfferingSession.offering_id.in_(ids))
            .order_by(OfferingSession.starts_at, OfferingSession.id)
        ):
            sessions[s.offering_id].append(s)
        # Attended sessions per person and length: a person's hours are the sum over the
        # lengths, and far fewer rows come back than one per person and session.
        length = seconds_between(OfferingSession.starts_at, OfferingSession.ends_at)
        rows = db.session.execute(
            select(Attendance.enrollment_id, length, func.count())
            .join(OfferingSession, OfferingSession.id == Attendance.session_id)
            .where(
                OfferingSession.offering_id.in_(ids),
                OfferingSession.starts_at <= now,
                Attendance.status.in_(ATTENDED_STATUSES),
                *narrowed(Attendance.enrollment_id),
            )
            .group_by(Attendance.enrollment_id, length)
        )
        lengths = {}
        for enrollment_id, seconds, count in rows:
            if seconds not in lengths:
                lengths[seconds] = Decimal(str(session_hours(seconds)))
            attended[enrollment_id].append((lengths[seconds], count))
        for a in db.session.scalars(
            select(Assessment).where(Assessment.offering_id.in_(ids)).order_by(Assessment.id)
        ):
            assessments[a.offering_id].append(a)
        if assessments:
            rows = db.session.execute(
                select(Result.enrollment_id, Result.assessment_id, Result.score)
                .join(Assessment, Assessment.id == Result.assessment_id)
                .where(Assessment.offering_id.in_(ids), *narrowed(Result.enrollment_id))
            )
            scores = {(e, a): score for e, a, score in rows}

    people = defaultdict(list)
    for enrollment in enrollments:
        people[enrollment.offering_id].append(enrollment)
    return {
        offering.id: _complete(
            offering,
            sessions[offering.id],
            assessments[offering.id],
            people[offering.id],
            attended,
            scores,
            now,
        )
        for offering in offerings
    }


def _complete(offering, sessions, assessments, enrollments, attended, scores, now):
    started = [s for s in sessions if s.starts_at <= now]
    over, ends_on = offering_end(offering, now, sessions=sessions)
    course = offering.course
    started_hours = sum((_hours(s) for s in started), Decimal(0))
    total_hours = sum((_hours(s) for s in sessions), Decimal(0))
    completions = []
    for enrollment in enrollments:
        lengths = attended[enrollment.id]
        attendance = AttendanceFigures(
            attended_hours=sum((hours * count for hours, count in lengths), Decimal(0)),
            started_hours=started_hours,
            total_hours=total_hours,
            sessions_attended=sum(count for _, count in lengths),
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
    return OfferingCompletions(sessions, assessments, over, ends_on, completions)


def completions_of(enrollments, *, now=None):
    """{enrollment_id: Completion} for a person's accepted enrollments whose offering began.

    For the participant's own page: the same rules as the trainer's view, from the same
    function, with its four queries however many offerings the person is in.
    """
    now = now or utcnow()
    accepted = [e for e in enrollments if e.status == 'accepted']
    offerings = list({e.offering_id: e.offering for e in accepted}.values())
    found = completions_by_offering(offerings, accepted, now=now, narrow=True)
    return {
        c.enrollment_id: c
        for part in found.values()
        if part.sessions and part.sessions[0].starts_at <= now
        for c in part.completions
    }
