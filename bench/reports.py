"""Benchmark: the reports on a large offering and a busy year.

- an offering of 250 accepted people × 20 sessions × 2 assessments (every attendance
  recorded, half the people holding a certificate): its report as XLSX and as CSV,
  through the app, with the SQL statements each takes (they must not grow with people);
- a year of 500 offerings (40 applications, 30 accepted and 8 sessions each: 120,000
  attendance rows): the year's XLSX.

Each is timed over a few requests: the first and the median of the rest, in wall-clock
time and in CPU time of this process (which a busy machine disturbs less; the work of a
PostgreSQL server is outside it). On SQLite in a temporary file, or on TEST_DATABASE_URL
(a database whose name contains `test`; its tables are dropped), like the tests.

Run: .venv/bin/python bench/reports.py
"""

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bench._database import bench_app, bulk
from certificates import Certificate
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
from tests.clients import log_in
from tests.statements import count_statements

BIG_PEOPLE, BIG_SESSIONS = 250, 20
YEAR, YEAR_OFFERINGS, APPLICATIONS, ACCEPTED, YEAR_SESSIONS = 2025, 500, 40, 30, 8
NOW = datetime.now(UTC)


def ids(column, *where):
    return list(db.session.scalars(select(column).where(*where).order_by(column)))


def people(n, start):
    bulk(
        User,
        [
            {
                'email': f'p{i}@bench.test',
                'full_name_ka': f'მონაწილე {i}',
                'full_name_en': f'Monatsile {i}',
                'role': 'participant',
                'sector': 'citizen',
                'is_active': True,
                'created_at': NOW,
            }
            for i in range(start, start + n)
        ],
    )
    return ids(User.id, User.email.like('p%@bench.test'))[start : start + n]


def offerings(course_id, starts, sessions):
    """Offerings starting on each day of `starts`, with `sessions` 4-hour sessions each;
    [(offering_id, [session ids])]."""
    first = len(ids(Offering.id))
    bulk(
        Offering,
        [
            {
                'course_id': course_id,
                'starts_on': d,
                'ends_on': d + timedelta(days=sessions - 1),
                'location': 'თბილისი, საკრებულოს დარბაზი',
                'location_en': '',
                'format': 'in_person',
                'status': 'completed',
                'capacity': 40,
                'created_at': NOW,
            }
            for d in starts
        ],
    )
    made = db.session.execute(
        select(Offering.id, Offering.starts_on).order_by(Offering.id).offset(first)
    ).all()
    bulk(
        OfferingSession,
        [
            {
                'offering_id': o,
                'topic': f'თემა {s + 1}',
                'starts_at': datetime(d.year, d.month, d.day, 6, tzinfo=UTC) + timedelta(days=s),
                'ends_at': datetime(d.year, d.month, d.day, 10, tzinfo=UTC) + timedelta(days=s),
            }
            for o, d in made
            for s in range(sessions)
        ],
    )
    by_offering = {o: [] for o, _ in made}
    for s, o in db.session.execute(
        select(OfferingSession.id, OfferingSession.offering_id)
        .where(OfferingSession.offering_id.in_(list(by_offering)))
        .order_by(OfferingSession.id)
    ):
        by_offering[o].append(s)
    return list(by_offering.items())


def enroll(rnd, made, users, applications, accepted, serial_start):
    """Enroll `applications` of `users` in each offering, `accepted` of them accepted;
    record every accepted person's attendance, give half of them a certificate."""
    statuses = ['accepted'] * accepted + ['applied', 'rejected'] * applications
    bulk(
        Enrollment,
        [
            {
                'offering_id': o,
                'user_id': u,
                'status': statuses[i],
                'motivation': '',
                'applied_at': NOW,
            }
            for o, _ in made
            for i, u in enumerate(rnd.sample(users, applications))
        ],
    )
    offering_ids = [o for o, _ in made]
    rows = db.session.execute(
        select(Enrollment.id, Enrollment.offering_id).where(
            Enrollment.offering_id.in_(offering_ids), Enrollment.status == 'accepted'
        )
    ).all()
    sessions = dict(made)
    bulk(
        Attendance,
        [
            {
                'session_id': s,
                'enrollment_id': e,
                'status': rnd.choice(('present',) * 6 + ('late', 'excused', 'absent')),
                'note': '',
                'recorded_at': NOW,
            }
            for e, o in rows
            for s in sessions[o]
        ],
    )
    bulk(
        Certificate,
        [
            {
                'serial': f'B{serial_start + i:011d}',
                'enrollment_id': e,
                'claims_json': '{}',
                'credential_jws': 'x',
                'key_id': 'k',
                'issued_on': date(2026, 1, 1),
                'issued_at': NOW,
                'status': 'valid',
                'status_index': serial_start + i,
                'verification_count': 0,
            }
            for i, (e, _) in enumerate(rows[::2])
        ],
    )
    return [e for e, _ in rows]


def generate():
    rnd = random.Random(7)
    bulk(
        Course,
        [
            {
                'code': f'R-{i}',
                'title_ka': f'მონაწილეობითი ბიუჯეტი {i}',
                'title_en': f'Participatory budgeting {i}',
                'kind': 'training',
                'hours': 80,
                'min_attendance_pct': 80,
                'grants_certificate': True,
                'description_ka': '',
                'description_en': '',
                'created_at': NOW,
            }
            for i in range(2)
        ],
    )
    big_course, year_course = ids(Course.id)
    admin = User(
        email='admin@bench.test', full_name_ka='ადმინი', full_name_en='Admin', role='admin'
    )
    db.session.add(admin)
    db.session.flush()

    users = people(2_000, 0)
    ((big, big_sessions),) = offerings(big_course, [date(2026, 3, 2)], BIG_SESSIONS)
    accepted = enroll(rnd, [(big, big_sessions)], users, BIG_PEOPLE, BIG_PEOPLE, 0)
    bulk(
        Assessment,
        [
            {
                'offering_id': big,
                'title': title,
                'max_score': 10,
                'pass_score': 6,
                'required': True,
            }
            for title in ('საბოლოო პროექტი', 'ტესტი')
        ],
    )
    bulk(
        Result,
        [
            {
                'assessment_id': a,
                'enrollment_id': e,
                'score': rnd.randrange(11),
                'recorded_at': NOW,
            }
            for a in ids(Assessment.id, Assessment.offering_id == big)
            for e in accepted
        ],
    )

    days = [date(YEAR, 1, 1) + timedelta(days=rnd.randrange(358)) for _ in range(YEAR_OFFERINGS)]
    made = offerings(year_course, days, YEAR_SESSIONS)
    enroll(rnd, made, users, APPLICATIONS, ACCEPTED, 1_000)
    db.session.commit()
    return admin.id, big


def timed(client, url, runs=5):
    """Wall and CPU milliseconds of each request (CPU time reads true on a busy machine),
    the SQL statements of the last one, and its size."""
    times, cpu = [], []
    for _ in range(runs):
        with count_statements() as statements:
            started, processed = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - processed) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, cpu, len(statements), len(response.get_data())


def main():
    with bench_app() as app:
        started = time.perf_counter()
        admin_id, big = generate()
        db.session.execute(db.text('ANALYZE'))
        db.session.commit()
        print(f'generated in {time.perf_counter() - started:.1f} s')
        client = app.test_client()
        log_in(client, db.session.get(User, admin_id))
        for label, url in (
            (f'offering, {BIG_PEOPLE} people × {BIG_SESSIONS} sessions, XLSX',
             f'/teach/offerings/{big}/report.xlsx'),
            (f'offering, {BIG_PEOPLE} people × {BIG_SESSIONS} sessions, CSV',
             f'/teach/offerings/{big}/report.csv'),
            (f'year, {YEAR_OFFERINGS} offerings, XLSX',
             f'/admin/offerings/report.xlsx?year={YEAR}'),
        ):  # fmt: skip
            t, cpu, statements, size = timed(client, url)
            print(
                f'{label:<44} first {t[0]:7.1f} ms   median {statistics.median(t[1:]):7.1f} ms'
                f' (CPU {statistics.median(cpu[1:]):7.1f} ms)'
                f'   {statements} SQL statements   {size / 1024:.0f} KiB'
            )


if __name__ == '__main__':
    main()
