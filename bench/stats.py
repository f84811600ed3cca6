"""Benchmark: the academy in numbers on a large academy.

Generates 100,000 people, 5,000 offerings (4 sessions each), 250,000 enrollments,
1,000,000 attendance rows, certificates and consultations with bulk inserts, then times
`GET /api/v1/stats` and `GET /stats` (the page; its charts are separate requests, timed
too) for the default range (every year) and for one year, the way visitors meet them
(lms/statistics/snapshots.py):

- first: the first request ever for the range, with nothing kept: it counts afresh, and
  the job that keeps the count runs in-process after it (JOBS_IMMEDIATE);
- kept: a process that has not seen the range yet reads the figures the worker kept
  (median of 5);
- cached: the same process again, from its memory (STATS_CACHE_SECONDS; median of 5);
- the worker's count: counting the range again (`snapshots.recount`), off any request.

Target: under 300 ms for what a visitor waits for (kept, cached); the first request is
paid once per range. Then the page of the municipality
with the most people (`/organizations/<id>`, counted afresh on every request) for a
visitor and for an admin (who also sees its certified people), and its staff page.
Target: under 300 ms.

BENCH_SCALE=0.2 makes everything five times smaller (for a busy machine; say so with
the figures).

On SQLite in a temporary file, or on TEST_DATABASE_URL (a database whose name contains
`test`; its tables are dropped), like the tests.

Run: .venv/bin/python bench/stats.py
"""

import os
import random
import re
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, select

from bench._database import bench_app, bulk
from certificates import Certificate
from lms.caching import forget_all
from lms.extensions import db
from lms.models import (
    COURSE_KINDS,
    GENDERS,
    SECTORS,
    Attendance,
    Consultation,
    Course,
    Enrollment,
    FigureSnapshot,
    Offering,
    OfferingSession,
    Organization,
    User,
)
from lms.organizations.service import load_municipalities
from lms.statistics import snapshots
from lms.statistics.figures import default_range
from tests.clients import fresh_request_state, log_in

SCALE = float(os.environ.get('BENCH_SCALE', '1'))
PEOPLE, OFFERINGS = int(100_000 * SCALE), int(5_000 * SCALE)
PER_OFFERING, SESSIONS = 50, 4


def placeholder_certificates(enrollments):
    """A certificate for each of `enrollments` (ids) with a made-up serial and credential
    (bench/scale.py signs real ones)."""
    now = datetime.now(UTC)
    bulk(
        Certificate,
        [
            {
                'serial': f'B{i:09d}',
                'enrollment_id': e,
                'claims_json': '{}',
                'credential_jws': 'x',
                'key_id': 'k',
                'issued_on': date(2026, 1, 1),
                'issued_at': now,
                'status': 'valid',
                'status_index': i,
                'verification_count': 0,
            }
            for i, e in enumerate(enrollments)
        ],
    )


def generate(certify=placeholder_certificates):
    """The academy; `certify(enrollment ids)` inserts the certificates of every other
    accepted applicant."""
    rnd = random.Random(11)
    load_municipalities()
    bulk(
        Organization,
        [
            {
                'name_ka': f'ორგანიზაცია {i}',
                'name_en': f'Organisation {i}',
                'kind': 'cso',
                'region': 'tbilisi',
            }
            for i in range(300)
        ],
    )
    municipalities = list(
        db.session.scalars(select(Organization.id).where(Organization.kind == 'municipality'))
    )
    csos = list(db.session.scalars(select(Organization.id).where(Organization.kind == 'cso')))
    now = datetime.now(UTC)
    bulk(
        User,
        [
            {
                'email': f'p{i}@bench.test',
                'full_name_ka': f'მონაწილე {i}',
                'full_name_en': f'Monatsile {i}',
                'role': 'participant',
                'sector': rnd.choice(SECTORS),
                'gender': rnd.choice((*GENDERS, None)),
                'organization_id': rnd.choice(municipalities + csos + [None] * 50),
                'is_active': True,
                'created_at': now,
            }
            for i in range(PEOPLE)
        ],
    )
    people = list(db.session.scalars(select(User.id)))
    works_for = dict(db.session.execute(select(User.id, User.organization_id)).all())
    bulk(
        Course,
        [
            {
                'code': f'B-{i}',
                'title_ka': f'კურსი {i}',
                'title_en': f'Course {i}',
                'kind': COURSE_KINDS[i % 4],
                'hours': 16,
                'min_attendance_pct': 80,
                'grants_certificate': True,
                'description_ka': '',
                'description_en': '',
                'created_at': now,
            }
            for i in range(40)
        ],
    )
    courses = list(db.session.scalars(select(Course.id)))
    starts = [date(2016, 1, 1) + timedelta(days=rnd.randrange(11 * 365)) for _ in range(OFFERINGS)]
    bulk(
        Offering,
        [
            {
                'course_id': rnd.choice(courses),
                'starts_on': d,
                'ends_on': d + timedelta(days=3),
                'location': 'დარბაზი',
                'location_en': '',
                'format': 'in_person',
                'municipality_id': rnd.choice(municipalities + [None] * 10),
                'status': 'cancelled' if rnd.random() < 0.05 else 'completed',
                'created_at': now,
            }
            for d in starts
        ],
    )
    offerings = db.session.execute(select(Offering.id, Offering.starts_on)).all()
    bulk(
        OfferingSession,
        [
            {
                'offering_id': o,
                'topic': '',
                'starts_at': datetime(d.year, d.month, d.day, 6, tzinfo=UTC) + timedelta(days=s),
                'ends_at': datetime(d.year, d.month, d.day, 10, tzinfo=UTC) + timedelta(days=s),
            }
            for o, d in offerings
            for s in range(SESSIONS)
        ],
    )
    statuses = ('accepted',) * 6 + ('applied', 'rejected', 'withdrawn', 'waitlisted')

    def named(person):
        """The organisation an applicant names, as the apply form asks: mostly the one on
        their profile, sometimes one that is not listed, sometimes none."""
        draw = rnd.random()
        if draw < 0.8:
            return {'organization_id': works_for[person], 'organization_other': None}
        if draw < 0.85:
            return {'organization_id': None, 'organization_other': 'ფონდი'}
        return {'organization_id': None, 'organization_other': None}

    bulk(
        Enrollment,
        [
            {
                'offering_id': o,
                'user_id': u,
                'status': rnd.choice(statuses),
                'sector': rnd.choice((*SECTORS, None)),
                'motivation': '',
                'applied_at': now,
                'residence_municipality_id': rnd.choice(municipalities + [None] * 64),
                **named(u),
            }
            for o, _ in offerings
            for u in rnd.sample(people, PER_OFFERING)
        ],
    )
    sessions = {}
    for s, o in db.session.execute(select(OfferingSession.id, OfferingSession.offering_id)):
        sessions.setdefault(o, []).append(s)
    enrollments = db.session.execute(
        select(Enrollment.id, Enrollment.offering_id, Enrollment.status)
    ).all()
    bulk(
        Attendance,
        [
            {
                'session_id': s,
                'enrollment_id': e,
                'status': rnd.choice(('present', 'late', 'absent')),
                'note': '',
                'recorded_at': now,
            }
            for e, o, _ in enrollments
            for s in sessions[o]
        ],
    )
    accepted = [e for e, _, status in enrollments if status == 'accepted']
    certify(accepted[::2])
    bulk(
        Consultation,
        [
            {
                'organization_id': rnd.choice(municipalities + csos),
                'expert_name': 'ექსპერტი',
                'consulted_on': date(2016, 1, 1) + timedelta(days=rnd.randrange(11 * 365)),
                'topic': 'სამოქალაქო ბიუჯეტი',
                'hours': 3,
                'notes': '',
                'created_at': now,
            }
            for _ in range(2_000)
        ],
    )
    db.session.commit()


def timed(client, url, runs=7):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def time_organization_page(client):
    """The page of the municipality most people work for, as a visitor and as an admin."""
    largest, people = db.session.execute(
        select(User.organization_id, func.count(User.id))
        .join(Organization, Organization.id == User.organization_id)
        .where(Organization.kind == 'municipality')
        .group_by(User.organization_id)
        .order_by(func.count(User.id).desc())
        .limit(1)
    ).one()
    url = f'/organizations/{largest}'
    body = client.get(url).text
    figures = {
        code: re.search(rf'data-figure="{code}">([^<]+)<', body).group(1)
        for code in ('trained', 'certified', 'hosted', 'consultations')
    }
    print(f'largest municipality {largest}: {people} people on their profiles; {figures}')
    t = timed(client, url)
    print(f'{url:<34} visitor {statistics.median(t):7.1f} ms   (first {t[0]:.1f} ms)')
    admin = User(
        email='admin@bench.test', full_name_ka='ადმინი', full_name_en='Admin', role='admin'
    )
    db.session.add(admin)
    db.session.commit()
    log_in(client, admin)
    t = timed(client, url)
    print(f'{url:<34} admin   {statistics.median(t):7.1f} ms   (first {t[0]:.1f} ms)')
    t = timed(client, f'{url}/people')
    print(f'{url + "/people":<34} admin   {statistics.median(t):7.1f} ms   (first {t[0]:.1f} ms)')
    with client.session_transaction() as session:
        session.clear()


def main():
    with bench_app(STATS_CACHE_SECONDS=600) as app:
        fresh_request_state(app)  # each request its own `g`, as in production
        started = time.perf_counter()
        generate()
        counts = {
            m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
            for m in (User, Offering, Enrollment, Attendance, Certificate, Consultation)
        }
        print(f'generated in {time.perf_counter() - started:.1f} s: {counts}')
        db.session.execute(db.text('ANALYZE'))
        db.session.commit()
        client = app.test_client()
        body = client.get('/api/v1/stats').get_json()
        print(
            f'figures {body["from"]}–{body["to"]}: {body["applications"]} applications, '
            f'{body["participants"]} participants, {body["municipalities"]} municipalities, '
            f'{body["certificates_issued"]} certificates, {body["consultations"]} '
            'consultations'
        )
        print(f"{'':<34} {'first':>13} {'kept':>13} {'cached':>13}   the worker's count")
        for url in (
            '/api/v1/stats',
            '/api/v1/stats?from=2021&to=2021',
            '/stats',
            '/stats?from=2021&to=2021',
            '/',
        ):
            db.session.execute(delete(FigureSnapshot))
            db.session.commit()
            forget_all(app)
            first = timed(client, url, runs=1)[0]  # nothing kept: counted in the request
            kept = []
            for _ in range(5):
                forget_all(app)  # another process: only the kept figures
                kept.append(timed(client, url, runs=1)[0])
            cached = timed(client, url, runs=5)
            years = re.search(r'from=(\d+)&to=(\d+)', url)
            started = time.perf_counter()
            snapshots.recount(*(map(int, years.groups()) if years else default_range()))
            worker = (time.perf_counter() - started) * 1000
            db.session.commit()
            print(
                f'{url:<34} {first:10.1f} ms {statistics.median(kept):10.1f} ms '
                f'{statistics.median(cached):10.1f} ms   {worker:7.1f} ms'
            )
        chart = '/stats/charts/participants_by_year.svg'
        t = timed(client, chart, runs=3)
        print(f'{chart:<34} drawn   {t[0]:7.1f} ms   cached {statistics.median(t[1:]):7.1f} ms')
        time_organization_page(client)


if __name__ == '__main__':
    main()
