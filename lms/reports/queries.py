"""What the reports state: an offering's attendance matrix with each person's completion,
and a year's offerings with their figures.

Both are read with a fixed number of queries, whatever the number of people, sessions or
offerings. Eligibility and attendance % come from lms.completion, the one place that
judges them; the counts of the year are SQL aggregates (GROUP BY offering).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from certificates import Certificate, valid_certificates_for
from lms.completion.rules import Completion
from lms.completion.service import completions_by_offering
from lms.extensions import db, utcnow
from lms.models import (
    Attendance,
    Enrollment,
    Offering,
    OfferingSession,
)


@dataclass(frozen=True)
class ReportRow:
    """One accepted participant of an offering."""

    name_ka: str
    name_en: str
    organization: object  # an Organization, the name the applicant typed, or None
    marks: tuple  # an attendance status (or None: not recorded) per session, in order
    completion: Completion
    serial: str | None  # of the valid certificate, formatted as printed


@dataclass(frozen=True)
class OfferingReport:
    offering: Offering
    sessions: list  # OfferingSession, by start
    assessments: list  # Assessment, in the order of each row's outcomes
    over: bool
    ends_on: date | None
    total_hours: Decimal
    rows: list  # ReportRow, by Georgian name
    now: object  # the moment the completion was judged at


def offering_report(offering, *, now=None):
    """The report of `offering`: every accepted participant (by Georgian name) with their
    mark in each session, their completion (scores, final attendance %, eligibility and
    its reasons) and the serial of their valid certificate."""
    now = now or utcnow()
    enrollments = db.session.scalars(
        select(Enrollment)
        .options(selectinload(Enrollment.organization))
        .where(Enrollment.offering_id == offering.id, Enrollment.status == 'accepted')
    ).all()
    enrollments.sort(key=lambda e: (e.user.full_name_ka, e.id))
    judged = completions_by_offering([offering], enrollments, now=now)[offering.id]
    marks = {
        (enrollment_id, session_id): status
        for enrollment_id, session_id, status in db.session.execute(
            select(Attendance.enrollment_id, Attendance.session_id, Attendance.status)
            .join(OfferingSession, OfferingSession.id == Attendance.session_id)
            .where(OfferingSession.offering_id == offering.id)
        )
    }
    certificates = valid_certificates_for([e.id for e in enrollments])
    rows = [
        ReportRow(
            name_ka=e.user.full_name_ka,
            name_en=e.user.full_name_en,
            organization=e.organization or e.organization_other or e.user.organization,
            marks=tuple(marks.get((e.id, s.id)) for s in judged.sessions),
            completion=completion,
            serial=certificates[e.id].formatted_serial if e.id in certificates else None,
        )
        for e, completion in zip(enrollments, judged.completions, strict=True)
    ]
    return OfferingReport(
        offering=offering,
        sessions=judged.sessions,
        assessments=judged.assessments,
        over=judged.over,
        ends_on=judged.ends_on,
        total_hours=judged.total_hours,
        rows=rows,
        now=now,
    )


@dataclass(frozen=True)
class YearRow:
    """One offering of a year and its figures."""

    offering: Offering
    applications: int  # enrollments of any status
    accepted: int
    attended: int  # accepted people present or late at one session at least
    sessions: int
    hours: Decimal  # of all its sessions
    average_attendance: Decimal | None  # mean final attendance % of the accepted; None: nobody
    eligible: int
    certificates: int  # enrollments holding a certificate in force (not revoked)


def year_report(year, *, now=None):
    """Every offering that starts in `year` (by start, then id), with its figures.

    Applications, accepted people and certificates are counted by the database, one
    grouped query each; the people who attended (present or late at a session that has
    started), sessions, hours, the average final attendance % and the eligible come from
    the completion of all the year's offerings at once, whose attended hours are
    themselves summed by the database. Certificates are counted as the statistics count
    them: enrollments holding a certificate that is not revoked.
    """
    now = now or utcnow()
    in_year = and_(Offering.starts_on >= date(year, 1, 1), Offering.starts_on <= date(year, 12, 31))
    offerings = db.session.scalars(
        select(Offering)
        .options(selectinload(Offering.municipality))
        .where(in_year)
        .order_by(Offering.starts_on, Offering.id)
    ).all()
    if not offerings:
        return []
    accepted = Enrollment.status == 'accepted'
    counts = {
        offering_id: (applications, int(taken or 0))
        for offering_id, applications, taken in db.session.execute(
            select(
                Enrollment.offering_id,
                func.count(Enrollment.id),
                func.sum(case((accepted, 1), else_=0)),
            )
            .join(Offering, Offering.id == Enrollment.offering_id)
            .where(in_year)
            .group_by(Enrollment.offering_id)
        )
    }
    certified = dict(
        db.session.execute(
            select(Enrollment.offering_id, func.count(func.distinct(Certificate.enrollment_id)))
            .select_from(Certificate)
            .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
            .join(Offering, Offering.id == Enrollment.offering_id)
            .where(in_year, Certificate.status == 'valid')
            .group_by(Enrollment.offering_id)
        ).all()
    )
    people = db.session.execute(
        select(Enrollment.id, Enrollment.offering_id, Enrollment.user_id, Enrollment.status)
        .join(Offering, Offering.id == Enrollment.offering_id)
        .where(in_year, accepted)
        .order_by(Enrollment.id)
    ).all()
    judged = completions_by_offering(offerings, people, now=now)
    rows = []
    for offering in offerings:
        figures = judged[offering.id]
        completions = figures.completions
        applications, taken = counts.get(offering.id, (0, 0))
        rows.append(
            YearRow(
                offering=offering,
                applications=applications,
                accepted=taken,
                attended=sum(1 for c in completions if c.sessions_attended),
                sessions=len(figures.sessions),
                hours=figures.total_hours,
                average_attendance=_mean([c.attendance_pct for c in completions]),
                eligible=sum(1 for c in completions if c.eligibility.eligible),
                certificates=certified.get(offering.id, 0),
            )
        )
    return rows


def _mean(percentages):
    """The mean of one-decimal percentages, to one decimal (half up); None for none."""
    if not percentages:
        return None
    total = sum((Decimal(str(p)) for p in percentages), Decimal(0))
    return (total / len(percentages)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)
