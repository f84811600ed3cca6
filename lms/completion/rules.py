"""Completion rules from DESIGN.md, as pure functions: no database, no Flask.

Reasons are codes with parameters, so this module needs no app; `describe` turns them
into words in the reader's language at the edge.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Reason:
    code: str  # not_accepted, no_certificate, attendance, assessment_failed, assessment_missing
    params: tuple = ()


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[Reason, ...] = ()


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
class Completion:
    """One enrollment's standing in its offering."""

    enrollment_id: int
    user_id: int
    attendance_pct: float
    attended_hours: float
    started_hours: float
    sessions_attended: int = 0
    sessions_started: int = 0
    assessments: tuple[AssessmentOutcome, ...] = field(default=())
    eligibility: Eligibility = Eligibility(False)

    @property
    def assessments_passed(self):
        return sum(1 for a in self.assessments if a.passed)


def attendance_pct(started_hours, attended_hours):
    """Attended (present or late) hours over the hours of started sessions, in percent.

    Unrecorded sessions count as absent. No started session yet gives 0. Rounded to one
    decimal, half up, so 79.95 shows as 80.0 only when it really is.
    """
    total = sum(Decimal(str(h)) for h in started_hours)
    if total == 0:
        return 0.0
    attended = sum(Decimal(str(h)) for h in attended_hours)
    pct = (100 * attended / total).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)
    return float(pct)


def check_eligibility(*, status, grants_certificate, pct, min_pct, assessments=()):
    """Decide eligibility for a certificate and say why not.

    Eligible = enrollment accepted, the course grants certificates, attendance % at
    least the course minimum, and every required assessment has a score of at least its
    pass score. Optional assessments never block.
    """
    reasons = []
    if status != 'accepted':
        reasons.append(Reason('not_accepted', (status,)))
    if not grants_certificate:
        reasons.append(Reason('no_certificate'))
    if pct < min_pct:
        reasons.append(Reason('attendance', (pct, min_pct)))
    for outcome in assessments:
        if not outcome.required or outcome.passed:
            continue
        code = 'assessment_missing' if outcome.score is None else 'assessment_failed'
        reasons.append(Reason(code, (outcome.title,)))
    return Eligibility(not reasons, tuple(reasons))
