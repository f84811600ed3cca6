from decimal import Decimal

from lms.completion.rules import (
    AssessmentOutcome,
    Eligibility,
    Reason,
    attendance_pct,
    check_eligibility,
)


def outcome(score, *, required=True, pass_score=60, title='Final project'):
    return AssessmentOutcome(
        title=title,
        required=required,
        pass_score=Decimal(pass_score),
        max_score=Decimal(100),
        score=None if score is None else Decimal(score),
    )


def test_attendance_counts_attended_hours_over_started_hours():
    assert attendance_pct([4, 4, 2], [4, 2]) == 60.0


def test_no_started_session_means_zero_attendance():
    assert attendance_pct([], []) == 0.0


def test_attendance_rounds_half_up_to_one_decimal():
    assert attendance_pct([3, 3, 3], [2]) == 22.2
    assert attendance_pct([8], [6.4]) == 80.0


def test_eligible_when_every_rule_holds():
    result = check_eligibility(
        status='accepted',
        grants_certificate=True,
        pct=80,
        min_pct=80,
        assessments=[outcome(60), outcome(None, required=False)],
    )
    assert result == Eligibility(True, ())


def test_reasons_name_each_rule_that_fails():
    result = check_eligibility(
        status='waitlisted',
        grants_certificate=False,
        pct=62,
        min_pct=80,
        assessments=[outcome(59), outcome(None, title='Quiz')],
    )
    assert result.eligible is False
    assert result.reasons == (
        Reason('not_accepted', ('waitlisted',)),
        Reason('no_certificate'),
        Reason('attendance', (62, 80)),
        Reason('assessment_failed', ('Final project',)),
        Reason('assessment_missing', ('Quiz',)),
    )


def test_optional_assessments_never_block():
    result = check_eligibility(
        status='accepted',
        grants_certificate=True,
        pct=100,
        min_pct=80,
        assessments=[outcome(0, required=False)],
    )
    assert result.eligible
