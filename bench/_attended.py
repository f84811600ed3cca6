"""The offering the issuing benchmarks (issue.py, jobs.py) work on: two sessions that have
ended, and `n` accepted people present at both, so every one of them is eligible."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from lms.extensions import db
from lms.models import Attendance, Course, Enrollment, Offering, OfferingSession, User


def attended_offering(n, *, code, title_ka, title_en, kind, hours, name_ka, name_en):
    """(offering, admin) in the current session, flushed; the people are named
    `name_ka i` / `name_en i`."""
    course = Course(
        code=code, title_ka=title_ka, title_en=title_en, kind=kind, hours=Decimal(hours)
    )
    offering = Offering(
        course=course,
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 3),
        location='ქუთაისი, საკრებულოს დარბაზი',
    )
    admin = User(
        email='admin@bench.test', full_name_ka='ადმინი', full_name_en='Admin', role='admin'
    )
    start = datetime(2026, 3, 2, 6, tzinfo=UTC)
    offering.sessions = [
        OfferingSession(
            starts_at=start + timedelta(days=i), ends_at=start + timedelta(days=i, hours=4)
        )
        for i in range(2)
    ]
    db.session.add_all([offering, admin])
    people = [
        User(email=f'p{i}@bench.test', full_name_ka=f'{name_ka} {i}', full_name_en=f'{name_en} {i}')
        for i in range(n)
    ]
    db.session.add_all(people)
    db.session.flush()
    enrollments = [Enrollment(offering=offering, user=p, status='accepted') for p in people]
    db.session.add_all(enrollments)
    db.session.flush()
    db.session.add_all(
        Attendance(session_id=s.id, enrollment_id=e.id, status='present')
        for s in offering.sessions
        for e in enrollments
    )
    db.session.flush()
    return offering, admin
