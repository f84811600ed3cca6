"""Read side of completion: an offering's standing at a glance."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from lms.completion.service import is_over, offering_completion
from lms.extensions import db
from lms.models import Attendance, OfferingSession


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
