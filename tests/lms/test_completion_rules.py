from datetime import date
from decimal import Decimal

from lms.completion.rules import (
    AssessmentOutcome,
    AttendanceFigures,
    Eligibility,
    Reason,
    attendance_pct,
    check_eligibility,
)

ENDS = date(2026, 3, 3)


def outcome(score, *, required=True, pass_score=60, title='Final project'):
    return AssessmentOutcome(
        title=title,
        required=required,
        pass_score=Decimal(pass_score),
        max_score=Decimal(100),
        score=None if score is None else Decimal(score),
    )


def figures(attended, started, total):
    """Hours attended, of the sessions started, of all sessions; sessions last 4 hours."""
    return AttendanceFigures(
        attended_hours=Decimal(attended),
        started_hours=Decimal(started),
        total_hours=Decimal(total),
        sessions_attended=attended // 4,
        sessions_started=started // 4,
        sessions_total=total // 4,
    )


def check(attendance, *, over=True, status='accepted', assessments=(), min_pct=80, grants=True):
    return check_eligibility(
        status=status,
        grants_certificate=grants,
        attendance=attendance,
        min_pct=min_pct,
        assessments=assessments,
        over=over,
        ends_on=ENDS,
    )


def test_attendance_counts_attended_hours_over_the_hours_given():
    assert attendance_pct([4, 4, 2], [4, 2]) == 60.0


def test_no_hours_means_zero_attendance():
    assert attendance_pct([], []) == 0.0


def test_attendance_rounds_half_up_to_one_decimal():
    assert attendance_pct([3, 3, 3], [2]) == 22.2
    assert attendance_pct([8], [6.4]) == 80.0


def test_attendance_so_far_and_final_attendance_are_two_figures():
    halfway = figures(8, 8, 16)  # both sessions so far attended, two still to come
    assert halfway.so_far_pct == 100.0
    assert halfway.final_pct == 50.0
    assert halfway.best_final_pct == 100.0


def test_eligible_when_every_rule_holds_after_the_end():
    result = check(figures(16, 16, 16), assessments=[outcome(60), outcome(None, required=False)])
    assert result == Eligibility(True, (), 'eligible')


def test_nobody_is_eligible_before_the_last_session_has_ended():
    """Half-way through, 100% so far is no certificate: the final figure is 50%."""
    result = check(figures(8, 8, 16), over=False)
    assert result.eligible is False
    assert result.reasons == (Reason('not_over', (ENDS,)),)
    assert result.standing == 'on_track'


def test_before_the_end_low_attendance_so_far_puts_a_person_at_risk():
    result = check(figures(4, 8, 32), over=False)
    assert result.standing == 'at_risk'
    assert result.reasons == (Reason('not_over', (ENDS,)), Reason('attendance_so_far', (50.0, 80)))


def test_before_the_end_a_minimum_out_of_reach_is_said_so():
    """Two of four sessions missed: even attending the rest gives 50% < 80%."""
    result = check(figures(0, 8, 16), over=False)
    assert result.standing == 'at_risk'
    assert Reason('attendance_out_of_reach', (50.0, 80)) in result.reasons


def test_before_the_end_a_missing_score_is_no_risk_but_a_failed_one_is():
    assert check(figures(4, 4, 16), over=False, assessments=[outcome(None)]).standing == 'on_track'
    failed = check(figures(4, 4, 16), over=False, assessments=[outcome(10)])
    assert failed.standing == 'at_risk'
    assert Reason('assessment_failed', ('Final project',)) in failed.reasons


def test_after_the_end_the_final_figure_decides():
    """Everything attended that was recorded, but a quarter of the hours missed."""
    result = check(figures(12, 16, 16))
    assert result.reasons == (Reason('attendance', (75.0, 80)),)
    assert result.standing == 'not_eligible'


def test_reasons_name_each_rule_that_fails():
    result = check(
        figures(10, 16, 16),
        status='waitlisted',
        grants=False,
        assessments=[outcome(59), outcome(None, title='Quiz')],
    )
    assert result.eligible is False
    assert result.reasons == (
        Reason('not_accepted', ('waitlisted',)),
        Reason('no_certificate'),
        Reason('attendance', (62.5, 80)),
        Reason('assessment_failed', ('Final project',)),
        Reason('assessment_missing', ('Quiz',)),
    )


def test_a_course_without_certificates_is_never_on_track_for_one():
    assert check(figures(4, 4, 16), over=False, grants=False).standing == 'not_eligible'


def test_optional_assessments_never_block():
    assert check(figures(16, 16, 16), assessments=[outcome(0, required=False)]).eligible
