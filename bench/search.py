"""Benchmark: search and paging of the long admin lists on a large academy.

Generates 100,000 people (Georgian and Latin names that repeat, as real ones do),
100,000 certificates with real serials (one per enrollment, over 2,000 offerings),
100,000 e-mails in the outbox and 100,000 audit entries with bulk inserts, then times,
as an admin, the people and certificates lists: the first page, a search by part of a
name (Georgian, Latin; a rare one; a first name whose people all sort last), by a whole
e-mail address and by a serial typed in lower case with spaces, and a page deep in the
list (keyset, `?after=`); the applications, e-mail and audit lists deep down too. Each
line: the median of 5 requests in ms and the number of SQL statements one request makes.
For comparison, the last page of people and of certificates read with OFFSET (how the
lists paged before). Target: under 100 ms each.

BENCH_SCALE=0.2 makes everything five times smaller (for a busy machine; say so with
the figures).

On PostgreSQL it also prints whether the plan of each search uses its trigram index.

On SQLite in a temporary file, or on TEST_DATABASE_URL (a database whose name contains
`test`; its tables are dropped), like the tests.

Run: .venv/bin/python bench/search.py
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench._database import bench_app, bulk
from certificates import Certificate, Claims, format_serial, new_serial
from lms.awarding.queries import search_certificates
from lms.extensions import db
from lms.models import (
    AuditEntry,
    Course,
    Enrollment,
    Offering,
    OutboxMessage,
    User,
)
from lms.pagination import paginate
from lms.people.service import search_users
from tests.clients import log_in
from tests.statements import count_statements

SCALE = float(os.environ.get('BENCH_SCALE', '1'))
PEOPLE, OFFERINGS, ROWS = int(100_000 * SCALE), int(2_000 * SCALE), int(100_000 * SCALE)
RUNS = 5
FIRST = [
    ('ნინო', 'Nino'), ('გიორგი', 'Giorgi'), ('თამარ', 'Tamar'), ('დავით', 'Davit'),
    ('ეკატერინე', 'Ekaterine'), ('ლევან', 'Levan'), ('მარიამ', 'Mariam'), ('ირაკლი', 'Irakli'),
    ('ანა', 'Ana'), ('ლაშა', 'Lasha'), ('ნატო', 'Nato'), ('ზურაბ', 'Zurab'),
]  # fmt: skip
LAST = [
    ('ბერიძე', 'Beridze'), ('კაპანაძე', 'Kapanadze'), ('მაისურაძე', 'Maisuradze'),
    ('გელაშვილი', 'Gelashvili'), ('ლომიძე', 'Lomidze'), ('წიკლაური', 'Tsiklauri'),
    ('ხუციშვილი', 'Khutsishvili'), ('ჯაფარიძე', 'Japaridze'), ('ნიკოლაძე', 'Nikoladze'),
    ('ქავთარაძე', 'Kavtaradze'), ('შენგელია', 'Shengelia'), ('ღლონტი', 'Ghlonti'),
]  # fmt: skip


def generate():
    rnd = random.Random(12)
    now = datetime.now(UTC)
    people = []
    for i in range(PEOPLE):
        (first_ka, first_en), (last_ka, last_en) = rnd.choice(FIRST), rnd.choice(LAST)
        # One in twenty has a surname of their own, the rest share a dozen.
        suffix = f'{i}' if i % 20 == 0 else ''
        people.append(
            {
                'email': f'{first_en}.{last_en}{i}@bench.example.ge'.lower(),
                'full_name_ka': f'{first_ka} {last_ka}{suffix}',
                'full_name_en': f'{first_en} {last_en}{suffix}',
                'role': 'admin' if i == 0 else 'participant',
                'sector': 'other',
                'is_active': True,
                'created_at': now - timedelta(minutes=i),
            }
        )
    bulk(User, people)
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    bulk(
        Course,
        [
            {
                'code': 'S-1',
                'title_ka': 'კურსი',
                'title_en': 'Course',
                'kind': 'training',
                'hours': 16,
                'min_attendance_pct': 80,
                'grants_certificate': True,
                'description_ka': '',
                'description_en': '',
                'created_at': now,
            }
        ],
    )
    course_id = db.session.scalar(select(Course.id))
    bulk(
        Offering,
        [
            {
                'course_id': course_id,
                'starts_on': date(2016, 1, 1) + timedelta(days=i * 2),
                'ends_on': date(2016, 1, 3) + timedelta(days=i * 2),
                'location': 'დარბაზი',
                'location_en': '',
                'format': 'in_person',
                'status': 'completed',
                'created_at': now,
            }
            for i in range(OFFERINGS)
        ],
    )
    offering_ids = list(db.session.scalars(select(Offering.id)))
    per_offering = ROWS // OFFERINGS
    bulk(
        Enrollment,
        [
            {
                'offering_id': offering_ids[i // per_offering],
                'user_id': user_ids[i],
                'status': 'accepted',
                'motivation': '',
                # Fifty people apply at the same second: ties on the list's order.
                'applied_at': now - timedelta(seconds=i // 50),
            }
            for i in range(ROWS)
        ],
    )
    enrollment_ids = list(db.session.scalars(select(Enrollment.id).order_by(Enrollment.id)))
    claims = (
        Claims(
            holder_name_ka='ნინო ბერიძე',
            holder_name_en='Nino Beridze',
            course_code='S-1',
            course_title_ka='კურსი',
            course_title_en='Course',
            course_kind='training',
            hours=Decimal(16),
            sessions_attended=4,
            sessions_total=4,
            starts_on=date(2025, 12, 1),
            ends_on=date(2025, 12, 3),
            place_ka='თბილისი',
            place_en='Tbilisi',
            issuer_name_ka='აკადემია',
            issuer_name_en='Academy',
            issuer_url='http://127.0.0.1:5000',
            issued_on=date(2026, 1, 1),
        )
        .canonical_json()
        .decode('utf-8')
    )
    bulk(
        Certificate,
        [
            {
                'serial': new_serial(),
                'enrollment_id': e,
                'claims_json': claims,
                'credential_jws': 'x',
                'key_id': 'k',
                'issued_on': date(2026, 1, 1),
                'issued_at': now - timedelta(seconds=i // 20),
                'status': 'valid',
                'status_index': i,
                'verification_count': 0,
            }
            for i, e in enumerate(enrollment_ids)
        ],
    )
    bulk(
        OutboxMessage,
        [
            {
                'template': 'certificate_issued',
                'to_address': people[i % PEOPLE]['email'],
                'user_id': user_ids[i % PEOPLE],
                'locale': 'ka',
                'subject': 'თქვენი სერტიფიკატი',
                'text_body': 'ტექსტი',
                'html_body': '<p>ტექსტი</p>',
                'status': 'sent',
                'attempts': 1,
                'next_attempt_at': now,
                'created_at': now,
            }
            for i in range(ROWS)
        ],
    )
    bulk(
        AuditEntry,
        [
            {
                'actor_id': user_ids[0],
                'action': 'certificate.issued',
                'object_type': 'certificates',
                'object_id': i + 1,
                'data': {'before': {}, 'after': {'status': 'valid'}},
                'created_at': now,
            }
            for i in range(ROWS)
        ],
    )
    db.session.commit()
    return people


def timed(client, url):
    client.get(url)  # warm: templates compiled, caches filled
    times, counts = [], []
    for _ in range(RUNS):
        with count_statements() as statements:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(statements))
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(counts)


def timed_call(call):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def explain(stmt, index):
    """Whether PostgreSQL's plan for `stmt` reads `index`."""
    compiled = stmt.compile(dialect=db.engine.dialect, compile_kwargs={'literal_binds': True})
    plan = db.session.execute(db.text(f'EXPLAIN {compiled}')).scalars().all()
    return index in '\n'.join(plan)


def main():
    with bench_app(RATELIMIT_ENABLED=False) as app:
        dialect = db.engine.dialect.name
        started = time.perf_counter()
        people = generate()
        db.session.execute(db.text('ANALYZE'))
        db.session.commit()
        counts = {
            m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
            for m in (User, Enrollment, Certificate, OutboxMessage, AuditEntry)
        }
        print(f'generated in {time.perf_counter() - started:.1f} s: {counts}')

        admin = db.session.scalar(select(User).where(User.role == 'admin'))
        someone = people[PEOPLE * 7 // 9]
        certificate = db.session.scalar(select(Certificate).order_by(Certificate.id).limit(1))
        typed_serial = format_serial(certificate.serial).lower().replace('-', ' ')
        deep = {  # a row near the end of each list, in the list's own order
            'people': db.session.scalar(
                search_users().order_by(None).order_by(User.full_name_ka.desc()).limit(1)
            ).id,
            'certificates': db.session.scalar(select(func.min(Certificate.id))),
            'enrollments': db.session.scalar(select(func.min(Enrollment.id))),
            'mail': db.session.scalar(select(func.min(OutboxMessage.id))) + 30,
            'audit': db.session.scalar(select(func.min(AuditEntry.id))) + 30,
        }
        offering_id = db.session.scalar(select(func.max(Offering.id)))
        last_in_queue = db.session.scalar(
            select(func.max(Enrollment.id)).where(Enrollment.offering_id == offering_id)
        )

        client = app.test_client()
        log_in(client, admin)
        urls = [
            ('people, first page', '/admin/people'),
            ('people, part of a Georgian name', '/admin/people?q=ბერიძე'),
            ('people, part of a Latin name', '/admin/people?q=kapanadze5'),
            ('people, a rare name', '/admin/people?q=ლომიძე1234'),
            # Every twelfth person, all of them last by Georgian name ("ნ"): the page is
            # not among the list's first rows.
            ('people, a first name sorted late', '/admin/people?q=nino'),
            ('people, whole e-mail', f'/admin/people?q={someone["email"].upper()}'),
            ('people, deep page (keyset)', f'/admin/people?after={deep["people"]}'),
            ('people, page before the deep one', f'/admin/people?before={deep["people"]}'),
            ('certificates, first page', '/admin/certificates'),
            ('certificates, serial typed', f'/admin/certificates?q={typed_serial}'),
            ('certificates, part of a name', '/admin/certificates?q=გელაშვილი'),
            ('certificates, holder e-mail', f'/admin/certificates?q={someone["email"]}'),
            (
                'certificates, deep page (keyset)',
                f'/admin/certificates?after={deep["certificates"]}',
            ),
            ('applications, deep page', f'/admin/enrollments?after={deep["enrollments"]}'),
            (
                'applications queue of an offering',
                f'/admin/offerings/{offering_id}/applications?before={last_in_queue}',
            ),
            ('e-mail, deep page', f'/admin/mail?after={deep["mail"]}'),
            ('e-mail, whole address', f'/admin/mail?q={someone["email"]}'),
            ('audit log, deep page', f'/admin/audit?after={deep["audit"]}'),
        ]
        print(f'{"":<40} {"median ms":>10} {"statements":>11}')
        for label, url in urls:
            ms, n = timed(client, url)
            print(f'{label:<40} {ms:10.1f} {n:11d}')

        with app.test_request_context():
            people_offset = timed_call(
                lambda: paginate(search_users(), '999999', per_page=25).items
            )
            certificates_offset = timed_call(
                lambda: (
                    paginate(search_certificates(today=date.today()), '999999', per_page=25).items
                )
            )
        print(f'{"before: people, last page (OFFSET)":<40} {people_offset:10.1f}')
        print(f'{"before: certificates, last page (OFFSET)":<40} {certificates_offset:10.1f}')

        if dialect == 'postgresql':
            from lms import search

            checks = [
                ('ix_users_search_trgm', select(User).where(search.people('ლომიძე1234'))),
                ('ix_users_search_trgm', select(User).where(search.people('kapanadze5'))),
                ('uq_users_email', select(User).where(search.people(someone['email']))),
                (
                    'uq_certificates_serial',
                    select(Certificate).where(search.certificates(typed_serial)),
                ),
                (
                    'ix_users_full_name_ka_trgm',
                    select(Certificate).where(search.certificates('გელაშვილი')),
                ),
            ]
            for index, stmt in checks:
                print(f'plan uses {index}: {explain(stmt, index)}')


if __name__ == '__main__':
    main()
