from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.attendance.service import Seen, marks_at, record_attendance, seen_at_version, version_of
from lms.completion.service import offering_completion
from lms.errors import Conflict, Invalid
from lms.extensions import db
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


# A version named by an API client (If-Match): what it was shown is read back from the trail.


def _version(session):
    return version_of(
        db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    )


def test_the_marks_a_version_showed_are_read_back_however_often_they_changed_since(db, roster):
    trainer, offering, (a, b) = roster(2)
    session = offering.sessions[0]
    record_attendance(session, [{'enrollment_id': a.id, 'status': 'absent'}], actor=trainer)
    record_attendance(
        session, [{'enrollment_id': b.id, 'status': 'late', 'note': 'გზა'}], actor=trainer
    )
    version = _version(session)
    record_attendance(session, [{'enrollment_id': b.id, 'status': 'present'}], actor=trainer)
    record_attendance(session, [{'enrollment_id': b.id, 'status': 'excused'}], actor=trainer)
    record_attendance(session, [{'enrollment_id': a.id, 'status': 'present'}], actor=trainer)
    seen = seen_at_version(session, version)
    assert seen.marks is None
    assert marks_at(session, seen.at, [a.id, b.id]) == {
        a.id: ('absent', ''),
        b.id: ('late', 'გზა'),
    }
    assert marks_at(session, None, [a.id, b.id]) == {}


def test_a_mark_written_without_a_trail_is_read_from_the_first_change_after_it(db, roster):
    trainer, offering, (a, b) = roster(2)
    session = offering.sessions[0]
    stamp = datetime.now(UTC) - timedelta(hours=1)
    db.session.add(
        Attendance(
            session_id=session.id, enrollment_id=a.id, status='late', note='', recorded_at=stamp
        )
    )  # as the demo academy writes its marks: no audit entry
    db.session.flush()
    record_attendance(session, [{'enrollment_id': b.id, 'status': 'present'}], actor=trainer)
    version = _version(session)
    record_attendance(session, [{'enrollment_id': a.id, 'status': 'absent'}], actor=trainer)
    seen = seen_at_version(session, version)
    assert marks_at(session, seen.at, [a.id]) == {a.id: ('late', '')}
    # Sent back as it was read, the row keeps the newer mark; changed, it clashes.
    kept = [{'enrollment_id': a.id, 'status': 'late'}, {'enrollment_id': b.id, 'status': 'late'}]
    assert record_attendance(session, kept, actor=trainer, seen=seen) == 1
    assert {r.enrollment_id: r.status for r in db.session.scalars(select(Attendance))} == {
        a.id: 'absent',
        b.id: 'late',
    }
    with pytest.raises(Conflict) as clash:
        record_attendance(
            session, [{'enrollment_id': a.id, 'status': 'present'}], actor=trainer, seen=seen
        )
    assert clash.value.rows[0]['enrollment_id'] == a.id
    assert clash.value.rows[0]['recorded_by_id'] == trainer.id


@pytest.mark.parametrize(
    'version', ['yesterday', '2026-03-02T10:00:00Z', '2999-01-01T00:00:00+00:00']
)
def test_a_version_the_roster_never_had_names_nothing(db, roster, version):
    trainer, offering, (a,) = roster(1)
    session = offering.sessions[0]
    record_attendance(session, [{'enrollment_id': a.id, 'status': 'absent'}], actor=trainer)
    assert seen_at_version(session, version) is None
    assert seen_at_version(session, _version(session)).at is not None
    assert seen_at_version(session, '') == Seen(None, marks=None)
