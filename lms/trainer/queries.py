"""Read side of the trainer's pages: rosters, recorded counts, completion summaries."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from lms.completion.service import is_over, offering_completion
from lms.extensions import db
from lms.models import Attendance, Enrollment, OfferingSession, Result, User


def accepted_enrollments(offering):
    """The offering's accepted enrollments with their people, by Georgian name (one query)."""
    return (
        db.session.scalars(
            select(Enrollment)
            .join(Enrollment.user)
            .where(Enrollment.offering_id == offering.id, Enrollment.status == 'accepted')
            .order_by(User.full_name_ka, Enrollment.id)
        )
        .unique()
        .all()
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


def assessment_scores(assessment):
    """{enrollment_id: score} of an assessment (one query)."""
    rows = db.session.execute(
        select(Result.enrollment_id, Result.score).where(Result.assessment_id == assessment.id)
    )
    return dict(rows.all())


@dataclass(frozen=True)
class Glance:
    """An offering at a glance for the trainer's home page."""

    sessions: int
    recorded: int
    accepted: int
    eligible: int
    on_track: int  # before the end: on their way to a certificate
    over: bool


def at_a_glance(offerings):
    """{offering_id: Glance}: sessions, sessions recorded, accepted and eligible people.

    Meant for the few current and upcoming offerings of a trainer: the completion is
    computed per offering, a handful of queries each.
    """
    if not offerings:
        return {}
    recorded = dict(
        db.session.execute(
            select(OfferingSession.offering_id, func.count(func.distinct(Attendance.session_id)))
            .join(Attendance, Attendance.session_id == OfferingSession.id)
            .where(OfferingSession.offering_id.in_([o.id for o in offerings]))
            .group_by(OfferingSession.offering_id)
        ).all()
    )
    glance = {}
    for offering in offerings:
        completions = offering_completion(offering)
        standings = Counter(c.eligibility.standing for c in completions)
        glance[offering.id] = Glance(
            sessions=len(offering.sessions),
            recorded=recorded.get(offering.id, 0),
            accepted=len(completions),
            eligible=standings['eligible'],
            on_track=standings['on_track'],
            over=is_over(offering),
        )
    return glance
