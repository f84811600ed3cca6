"""Completion rules from DESIGN.md, as pure functions: no database, no Flask.

Two figures, never to be confused:

- *attendance so far* (progress, while an offering runs): attended hours over the hours
  of the sessions that have started;
- *final attendance %*: attended hours over the hours of *all* the offering's sessions.

A certificate stands on the final figure only, and only once the offering is over (its
last session has ended): before that nobody is eligible, and a person is *on track* or
*at risk*, with the reasons.

Reasons are codes with parameters, so this module needs no app; `words.describe` turns
them into words in the reader's language at the edge.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

#: What a Completion says of a person: after the end, eligible or not; before it, whether
#: they are on their way to a certificate.
STANDINGS = ('eligible', 'not_eligible', 'on_track', 'at_risk')
#: Reasons that settle the matter whatever happens in the sessions still to come.
_FINAL_REASONS = ('not_accepted', 'no_certificate')


@dataclass(frozen=True)
class Reason:
    #: not_accepted, no_certificate, not_over, attendance, attendance_so_far,
    #: attendance_out_of_reach, assessment_failed, assessment_missing
    code: str
    params: tuple = ()


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[Reason, ...] = ()
    standing: str = 'not_eligible'  # one of STANDINGS


@dataclass(frozen=True)
class AssessmentOutcome:
    title: str
    required: bool
    pass_score: Decimal
    max_score: Decimal
    score: Decimal | None  # None: no result yet

    @property
    def passed(self):
        return self.score is not None and self.score >= self.pass_score


@dataclass(frozen=True)
class AttendanceFigures:
    """One person's hours and sessions in an offering, counted by the sessions' ends."""

    attended_hours: Decimal  # of the sessions that have started
    started_hours: Decimal
    total_hours: Decimal  # of every session of the offering
    sessions_attended: int
    sessions_started: int
    sessions_total: int

    @property
    def so_far_pct(self):
        """Attendance so far: attended over started hours."""
        return _pct(self.attended_hours, self.started_hours)

    @property
    def final_pct(self):
        """Final attendance %: attended over the hours of every session."""
        return _pct(self.attended_hours, self.total_hours)

    @property
    def best_final_pct(self):
        """The final % if the person attends every session still to come."""
        remaining = self.total_hours - self.started_hours
        return _pct(self.attended_hours + remaining, self.total_hours)


@dataclass(frozen=True)
class Completion:
    """One enrollment's standing in its offering."""

    enrollment_id: int
    user_id: int
    attendance: AttendanceFigures
    over: bool  # the offering's last session has ended
    ends_on: date | None  # the academy's date of that end
    assessments: tuple[AssessmentOutcome, ...] = field(default=())
    eligibility: Eligibility = Eligibility(False)

    @property
    def attendance_pct(self):
        """The final attendance %, the figure a certificate stands on."""
        return self.attendance.final_pct

    @property
    def progress_pct(self):
        """Attendance so far, the figure to follow while the offering runs."""
        return self.attendance.so_far_pct

    @property
    def sessions_attended(self):
        return self.attendance.sessions_attended

    @property
    def sessions_total(self):
        return self.attendance.sessions_total

    @property
    def assessments_passed(self):
        return sum(1 for a in self.assessments if a.passed)


def _pct(part, whole):
    if whole == 0:
        return 0.0
    pct = (100 * Decimal(part) / Decimal(whole)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)
    return float(pct)


def attendance_pct(hours, attended_hours):
    """Attended (present or late) hours over `hours`, in percent.

    With the hours of the started sessions this is the attendance so far, with the hours of
    every session the final attendance %. Unrecorded sessions count as absent. No hours
    give 0. Rounded to one decimal, half up, so 79.95 shows as 80.0 only when it really is.
    """
    total = sum((Decimal(str(h)) for h in hours), Decimal(0))
    attended = sum((Decimal(str(h)) for h in attended_hours), Decimal(0))
    return _pct(attended, total)


def check_eligibility(
    *, status, grants_certificate, attendance, min_pct, assessments=(), over=True, ends_on=None
):
    """Decide eligibility for a certificate and say why not.

    Eligible = the offering is over, the enrollment accepted, the course grants
    certificates, the *final* attendance % at least the course minimum, and every required
    assessment has a score of at least its pass score. Optional assessments never block.

    Before the end nobody is eligible: the first reason says when the offering ends, and
    the standing is *at risk* when the attendance so far is below the minimum, when even
    every remaining session cannot lift the final % to it, or a required assessment has
    failed; *on track* otherwise.
    """
    reasons = []
    if status != 'accepted':
        reasons.append(Reason('not_accepted', (status,)))
    if not grants_certificate:
        reasons.append(Reason('no_certificate'))
    if not over:
        reasons.append(Reason('not_over', (ends_on,)))
        if attendance.best_final_pct < min_pct:
            reasons.append(Reason('attendance_out_of_reach', (attendance.best_final_pct, min_pct)))
        elif attendance.sessions_started and attendance.so_far_pct < min_pct:
            reasons.append(Reason('attendance_so_far', (attendance.so_far_pct, min_pct)))
    elif attendance.final_pct < min_pct:
        reasons.append(Reason('attendance', (attendance.final_pct, min_pct)))
    for outcome in assessments:
        if not outcome.required or outcome.passed:
            continue
        if outcome.score is None:
            if over:
                reasons.append(Reason('assessment_missing', (outcome.title,)))
        else:
            reasons.append(Reason('assessment_failed', (outcome.title,)))
    eligible = not reasons
    return Eligibility(eligible, tuple(reasons), _standing(eligible, over, reasons))


def _standing(eligible, over, reasons):
    if eligible:
        return 'eligible'
    if over or any(r.code in _FINAL_REASONS for r in reasons):
        return 'not_eligible'
    return 'on_track' if all(r.code == 'not_over' for r in reasons) else 'at_risk'
