"""Benchmark: saving a roster and computing an offering's completion.

Prints, for SQLite in memory (or TEST_DATABASE_URL, a database named for tests):
- the SQL statements and time to save a 30- and a 300-person roster (the count must not
  grow with the roster);
- the completion of 300 participants × 20 sessions × 3 assessments, computed the way the
  app does it (a handful of queries) and, for comparison, one person at a time.

Run: .venv/bin/python bench/roster.py
"""

import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select

from config import TestConfig
from lms import create_app
from lms.assessment.service import record_results
from lms.attendance.service import record_attendance
from lms.completion.rules import AssessmentOutcome, attendance_pct, check_eligibility
from lms.completion.service import offering_completion
from lms.extensions import db
from lms.models import (
    Assessment,
    Attendance,
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    Result,
    User,
)


@contextmanager
def counting():
    statements = []

    def count(*args):
        statements.append(1)

    event.listen(db.engine, 'before_cursor_execute', count)
    started = time.perf_counter()
    try:
        yield statements
    finally:
        statements.append(time.perf_counter() - started)
        event.remove(db.engine, 'before_cursor_execute', count)


def make_offering(size, sessions, assessments, n):
    course = Course(
        code=f'B-{n}',
        title_ka='ბენჩმარკი',
        title_en='Benchmark',
        kind='training',
        hours=Decimal(40),
    )
    offering = Offering(
        course=course, starts_on=date(2025, 1, 6), ends_on=date(2025, 3, 1), location='თბილისი'
    )
    trainer = User(
        email=f'trainer{n}@bench.test', full_name_ka='ტრენერი', full_name_en='T', role='trainer'
    )
    offering.trainers.append(trainer)
    start = datetime(2025, 1, 6, 6, tzinfo=UTC)
    for i in range(sessions):
        offering.sessions.append(
            OfferingSession(
                starts_at=start + timedelta(days=i), ends_at=start + timedelta(days=i, hours=4)
            )
        )
    for i in range(assessments):
        offering.assessments.append(
            Assessment(title=f'ტესტი {i + 1}', max_score=100, pass_score=60, required=i < 2)
        )
    db.session.add(offering)
    users = [
        User(
            email=f'p{n}-{i}@bench.test',
            full_name_ka=f'მონაწილე {i}',
            full_name_en=f'Participant {i}',
        )
        for i in range(size)
    ]
    db.session.add_all(users)
    db.session.flush()
    enrollments = [Enrollment(offering=offering, user=u, status='accepted') for u in users]
    db.session.add_all(enrollments)
    db.session.commit()
    return trainer, offering, enrollments


def bench_roster(size, n):
    trainer, offering, enrollments = make_offering(size, 1, 0, n)
    records = [
        {'enrollment_id': e.id, 'status': 'present' if i % 5 else 'late'}
        for i, e in enumerate(enrollments)
    ]
    with counting() as stats:
        record_attendance(offering.sessions[0], records, actor=trainer)
        db.session.commit()
    seconds = stats.pop()
    print(
        f'save a {size:>3}-person roster: {len(stats):>3} SQL statements, {seconds * 1000:7.1f} ms'
    )


def naive_completion(offering):
    """One person at a time: what the app avoids (queries grow with the roster)."""
    now = datetime.now(UTC)
    sessions = [s for s in offering.sessions if s.starts_at <= now]
    hours = {s.id: s.hours for s in sessions}
    out = {}
    for enrollment in db.session.scalars(
        select(Enrollment).where(
            Enrollment.offering_id == offering.id, Enrollment.status == 'accepted'
        )
    ):
        attended = [
            hours[a.session_id]
            for a in db.session.scalars(
                select(Attendance).where(Attendance.enrollment_id == enrollment.id)
            )
            if a.status in ('present', 'late')
        ]
        outcomes = []
        for assessment in offering.assessments:
            result = db.session.scalar(
                select(Result).where(
                    Result.assessment_id == assessment.id, Result.enrollment_id == enrollment.id
                )
            )
            outcomes.append(
                AssessmentOutcome(
                    assessment.title,
                    assessment.required,
                    assessment.pass_score,
                    assessment.max_score,
                    result.score if result else None,
                )
            )
        pct = attendance_pct(list(hours.values()), attended)
        out[enrollment.id] = check_eligibility(
            status=enrollment.status,
            grants_certificate=True,
            pct=pct,
            min_pct=80,
            assessments=outcomes,
        )
    return out


def bench_completion():
    trainer, offering, enrollments = make_offering(300, 20, 3, 'c')
    for i, s in enumerate(offering.sessions):
        record_attendance(
            s,
            [
                {'enrollment_id': e.id, 'status': 'absent' if (j + i) % 7 == 0 else 'present'}
                for j, e in enumerate(enrollments)
            ],
            actor=trainer,
        )
    for a in offering.assessments:
        record_results(
            a,
            [{'enrollment_id': e.id, 'score': (j * 7) % 101} for j, e in enumerate(enrollments)],
            actor=trainer,
        )
    db.session.commit()
    db.session.expire_all()
    with counting() as stats:
        fast = offering_completion(offering)
    fast_seconds = stats.pop()
    db.session.expire_all()
    with counting() as naive_stats:
        slow = naive_completion(offering)
    slow_seconds = naive_stats.pop()
    if {c.enrollment_id: c.eligibility for c in fast} != slow:
        raise SystemExit('the two ways disagree')
    print(
        f'completion 300 × 20 sessions × 3 assessments: {len(stats):>4} SQL statements, '
        f'{fast_seconds * 1000:7.1f} ms (the app)'
    )
    print(
        f'completion 300 × 20 sessions × 3 assessments: {len(naive_stats):>4} SQL statements, '
        f'{slow_seconds * 1000:7.1f} ms (one person at a time)'
    )
    eligible = sum(c.eligibility.eligible for c in fast)
    print(f'  {eligible} of {len(fast)} eligible')


def main():
    # Like the tests: TEST_DATABASE_URL only, never DATABASE_URL, whose tables this drops.
    app = create_app(TestConfig)
    with app.app_context():
        db.drop_all()
        db.create_all()
        print(f'database: {db.engine.dialect.name}')
        bench_roster(30, 1)
        bench_roster(300, 2)
        bench_completion()
        db.drop_all()


if __name__ == '__main__':
    main()
