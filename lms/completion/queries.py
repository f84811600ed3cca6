"""Read side of completion: an offering's standing at a glance."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from lms.completion.service import completions_by_offering
from lms.extensions import db
from lms.models import Attendance, Enrollment, OfferingSession


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

    For a trainer's current and upcoming offerings: one query for the sessions recorded,
    one for the accepted people, and the completion of all of them at once.
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
    accepted = db.session.execute(
        select(Enrollment.id, Enrollment.offering_id, Enrollment.user_id, Enrollment.status)
        .where(
            Enrollment.offering_id.in_([o.id for o in offerings]),
            Enrollment.status == 'accepted',
        )
        .order_by(Enrollment.id)
    ).all()
    glance = {}
    for offering_id, part in completions_by_offering(offerings, accepted).items():
        standings = Counter(c.eligibility.standing for c in part.completions)
        glance[offering_id] = Glance(
            sessions=len(part.sessions),
            recorded=recorded.get(offering_id, 0),
            accepted=len(part.completions),
            eligible=standings['eligible'],
            on_track=standings['on_track'],
            over=part.over,
        )
    return glance
