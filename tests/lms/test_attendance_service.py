from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.attendance.service import record_attendance
from lms.completion.service import offering_completion
from lms.errors import Invalid
from lms.models import Attendance, AuditEntry
from tests.statements import count_statements


@pytest.fixture
def roster(create_offering, create_enrollment, create_user):
    def _roster(size):
        trainer = create_user(role='trainer')
        offering = create_offering(trainers=[trainer])
        enrollments = [create_enrollment(offering=offering) for _ in range(size)]
        return trainer, offering, enrollments

    return _roster


def test_a_roster_is_saved_with_every_change_audited(db, roster):
    trainer, offering, enrollments = roster(3)
    session = offering.sessions[0]
    saved = record_attendance(
        session,
        [
            {'enrollment_id': enrollments[0].id, 'status': 'present'},
            {'enrollment_id': enrollments[1].id, 'status': 'late', 'note': 'ტრანსპორტი'},
            {'enrollment_id': enrollments[2].id, 'status': 'absent'},
        ],
        actor=trainer,
    )
    db.session.commit()
    assert saved == 3
    rows = {a.enrollment_id: a for a in db.session.scalars(select(Attendance))}
    assert rows[enrollments[1].id].status == 'late'
    assert rows[enrollments[1].id].note == 'ტრანსპორტი'
    assert rows[enrollments[0].id].recorded_by_id == trainer.id
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == 'attendance.recorded')
    ).all()
    assert len(entries) == 3


def test_saving_again_updates_and_audits_only_changes(db, roster):
    trainer, offering, enrollments = roster(2)
    session = offering.sessions[0]
    record_attendance(
        session, [{'enrollment_id': e.id, 'status': 'present'} for e in enrollments], actor=trainer
    )
    record_attendance(
        session,
        [
            {'enrollment_id': enrollments[0].id, 'status': 'present'},
            {'enrollment_id': enrollments[1].id, 'status': 'excused'},
        ],
        actor=trainer,
    )
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == 'attendance.recorded').order_by(AuditEntry.id)
    ).all()
    assert len(entries) == 3
    assert entries[-1].data['before'] == {'status': 'present', 'note': ''}
    assert entries[-1].data['after'] == {'status': 'excused', 'note': ''}
    assert (
        db.session.scalar(
            select(Attendance.status).where(Attendance.enrollment_id == enrollments[1].id)
        )
        == 'excused'
    )


def test_one_bad_row_saves_nothing_and_names_each_bad_row(db, roster, create_enrollment):
    trainer, offering, enrollments = roster(2)
    stranger = create_enrollment()  # accepted, but in another offering
    with pytest.raises(Invalid) as caught:
        record_attendance(
            offering.sessions[0],
            [
                {'enrollment_id': enrollments[0].id, 'status': 'present'},
                {'enrollment_id': enrollments[1].id, 'status': 'sleeping'},
                {'enrollment_id': stranger.id, 'status': 'present'},
                {'enrollment_id': enrollments[0].id, 'status': 'late'},
            ],
            actor=trainer,
        )
    assert [row['index'] for row in caught.value.rows] == [1, 2, 3]
    assert 'status' in caught.value.rows[0]['errors']
    assert db.session.scalar(select(Attendance.id)) is None


def test_saving_a_roster_takes_the_same_number_of_queries_for_30_and_300(db, roster):
    counts = []
    for size in (30, 300):
        trainer, offering, enrollments = roster(size)
        records = [{'enrollment_id': e.id, 'status': 'present'} for e in enrollments]
        db.session.commit()
        with count_statements() as statements:
            record_attendance(offering.sessions[0], records, actor=trainer)
            db.session.commit()
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_completion_follows_the_rules_for_each_status(db, roster):
    trainer, offering, (present, late, excused, absent, unrecorded) = roster(5)
    s1, s2 = offering.sessions
    for session in (s1, s2):
        record_attendance(
            session,
            [
                {'enrollment_id': present.id, 'status': 'present'},
                {'enrollment_id': late.id, 'status': 'late'},
                {'enrollment_id': excused.id, 'status': 'excused'},
                {'enrollment_id': absent.id, 'status': 'absent'},
            ],
            actor=trainer,
        )
    after_both = s2.ends_at + timedelta(hours=1)
    by_id = {c.enrollment_id: c for c in offering_completion(offering, now=after_both)}
    assert by_id[present.id].attendance_pct == 100.0
    assert by_id[late.id].attendance_pct == 100.0
    assert by_id[excused.id].attendance_pct == 0.0
    assert by_id[absent.id].attendance_pct == 0.0
    assert by_id[unrecorded.id].attendance_pct == 0.0
    assert by_id[present.id].eligibility.eligible
    assert not by_id[excused.id].eligibility.eligible
    # Before the second session starts, only the first one counts so far, and nobody is
    # eligible yet: the final figure waits for the last session.
    between = s1.ends_at + timedelta(minutes=1)
    early = {c.enrollment_id: c for c in offering_completion(offering, now=between)}
    assert early[present.id].attendance.started_hours == s1.hours
    assert early[present.id].progress_pct == 100.0
    assert early[present.id].attendance_pct == 50.0
    assert not early[present.id].eligibility.eligible
    assert early[present.id].eligibility.standing == 'on_track'
