"""Benchmark: every page and API list at the size of ten years of an academy.

Builds the academy of bench/stats.py (100,000 people, 5,000 offerings of 4 sessions,
250,000 applications, 1,000,000 attendance marks, a certificate for every other accepted
person, 2,000 consultations) with bulk inserts, then signs every certificate's credential
for real (Open Badges 3.0, RS256, its own serial and status-list bit), and adds an admin,
a trainer of every tenth offering and a participant with many places. Then it asks every
GET page and API endpoint of the url map, as each role (anonymous, participant, trainer,
admin), with the ids of the largest things (the biggest offering, the busiest person, the
largest municipality), and prints the median of 5 requests and the number of SQL
statements of one request, next to the same on the demo academy (`demo seed`).

Target (issue "Ten years of data"): every page under 100 ms median on PostgreSQL at full
size, statement counts that do not grow with the data, `/status/N` under 10 ms.

    .venv/bin/python bench/scale.py                 # SQLite, a tenth of the size
    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/lms_test_bench \\
        .venv/bin/python bench/scale.py --size 1     # PostgreSQL, full size

On TEST_DATABASE_URL (a database whose name contains `test`): its tables are dropped.
`--keep` leaves the large academy in that database, and a later run with `--keep` times it
again without building it (indexes added to the models since are created first).
`--only PATTERN` times only the paths that contain PATTERN.
"""

import argparse
import json
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, inspect, select

from bench import stats as academy
from bench._database import CHUNK
from certificates import (
    STATUS_LIST_CAPACITY,
    STATUS_LIST_SIZE,
    Certificate,
    Claims,
    build_credential,
    key_store,
    new_serial,
    sign_credential,
    sync_signing_keys,
)
from certificates.service import base_url, status_list_url
from config import TestConfig
from lms import create_app
from lms.extensions import EXPRESSION_INDEXES, db
from lms.models import (
    Course,
    Enrollment,
    Offering,
    OfferingSession,
    Organization,
    User,
    offering_trainers,
)
from tests.clients import fresh_request_state, log_in
from tests.statements import count_statements

ROLES = ('anonymous', 'participant', 'trainer', 'admin')
#: Endpoints not timed: they change state on GET by design (language switch), stream
#: files that are timed by their own benchmarks, or need a token in the address.
SKIP = re.compile(
    r'set_language|static|logout|\.pdf$|download|credential|reset_password_token|'
    r'invitation|confirm_address|checkin_code|kiosk|jwks_key'
)
REPEATS = 5


def build(scale):
    """The large academy at `scale` (1: ten years), with real signed credentials."""
    academy.PEOPLE = int(100_000 * scale)
    academy.OFFERINGS = int(5_000 * scale)
    started = time.perf_counter()
    academy.generate(certify=signed_certificates)
    print(f'  rows in {time.perf_counter() - started:.0f} s', flush=True)
    add_people()
    db.session.commit()
    db.session.execute(db.text('ANALYZE'))  # both databases: plans for the real sizes
    db.session.commit()


def signed_certificates(enrollments):
    """A certificate for each of `enrollments` (ids) with a real serial, status bit and
    signed credential, signed here and inserted in bulk (COPY on PostgreSQL)."""
    started = time.perf_counter()
    store = key_store()
    key = store.current()
    sync_signing_keys(store, db.session)
    base = base_url()
    holders = {}
    for chunk in range(0, len(enrollments), 10_000):
        holders.update(
            (row[0], row[1:])
            for row in db.session.execute(
                select(Enrollment.id, User.full_name_ka, User.full_name_en, Course, Offering)
                .join(User, User.id == Enrollment.user_id)
                .join(Offering, Offering.id == Enrollment.offering_id)
                .join(Course, Course.id == Offering.course_id)
                .where(Enrollment.id.in_(enrollments[chunk : chunk + 10_000]))
            )
        )
    issued_at = datetime.now(UTC)
    free = {}
    rows = []
    for n, enrollment_id in enumerate(enrollments):
        name_ka, name_en, course, offering = holders[enrollment_id]
        number = n // STATUS_LIST_CAPACITY + 1
        if number not in free:  # each list's bits in a random order, drawn once
            free[number] = random.Random(number).sample(
                range(STATUS_LIST_SIZE), STATUS_LIST_CAPACITY
            )
        index = free[number].pop()
        claims = Claims(
            holder_name_ka=name_ka,
            holder_name_en=name_en,
            course_code=course.code,
            course_title_ka=course.title_ka,
            course_title_en=course.title_en,
            course_kind=course.kind,
            hours=Decimal(16),
            sessions_attended=4,
            sessions_total=4,
            starts_on=offering.starts_on,
            ends_on=offering.ends_on,
            place_ka=offering.location,
            place_en='Hall',
            issuer_name_ka='მონაწილეობის აკადემია',
            issuer_name_en='Participation Academy',
            issuer_url=base,
            issued_on=offering.ends_on,
        )
        serial = new_serial()
        credential = build_credential(
            claims,
            serial,
            base_url=base,
            status={'list_url': status_list_url(number), 'index': index},
        )
        rows.append(
            {
                'serial': serial,
                'enrollment_id': enrollment_id,
                'claims_json': claims.canonical_json().decode('utf-8'),
                'credential_jws': sign_credential(credential, key, base_url=base),
                'key_id': key.kid,
                'pdf_sha256': secrets.token_hex(32),
                'issued_on': claims.issued_on,
                'issued_at': issued_at,
                'status': 'valid',
                'status_list': number,
                'status_index': index,
                'verification_count': 0,
            }
        )
    signed = time.perf_counter()
    print(f'  {len(rows):,} credentials signed in {signed - started:.0f} s', flush=True)
    copy_rows(Certificate.__table__, rows)
    print(f'  and inserted in {time.perf_counter() - signed:.0f} s', flush=True)


def copy_rows(table, rows):
    """Insert `rows` (dicts of the same keys) into `table`: COPY on PostgreSQL, one
    executemany per chunk elsewhere."""
    if not rows:
        return
    if db.engine.dialect.name != 'postgresql':
        for i in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[i : i + CHUNK])
        return
    columns = list(rows[0])
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy(f'COPY {table.name} ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def built():
    """Whether the database holds an academy a run with --keep left."""
    if not inspect(db.engine).has_table(User.__tablename__):
        return False
    return db.session.scalar(select(User.id).where(User.email == 'trainer@scale.test')) is not None


def add_new_indexes():
    """Indexes of the models that a kept academy lacks (added since it was built)."""
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            for index in table.indexes:
                index.create(connection, checkfirst=True)
        for name, (table, ddl) in EXPRESSION_INDEXES.items():
            if name not in {i['name'] for i in inspect(connection).get_indexes(table.name)}:
                ddl(table, connection)
    db.session.execute(db.text('ANALYZE'))
    db.session.commit()


def add_people():
    """An admin, a trainer of every tenth offering, and the participant with most places
    (who gets a password, like the others, through the test client's session)."""
    rows = [
        {
            'email': f'{role}@scale.test',
            'full_name_ka': role,
            'full_name_en': role,
            'role': role,
            'sector': 'other',
            'is_active': True,
        }
        for role in ('admin', 'trainer')
    ]
    db.session.execute(insert(User.__table__), rows)
    trainer = db.session.scalar(select(User.id).where(User.email == 'trainer@scale.test'))
    offerings = db.session.scalars(select(Offering.id).order_by(Offering.id)).all()
    db.session.execute(
        insert(offering_trainers),
        [{'offering_id': o, 'user_id': trainer} for o in offerings[::10]],
    )


def actors():
    """{role: user or None}."""
    by_role = {
        role: db.session.scalar(select(User).where(User.role == role).order_by(User.id))
        for role in ('admin', 'trainer')
    }
    busiest = db.session.scalar(
        select(Enrollment.user_id)
        .join(User, User.id == Enrollment.user_id)
        .where(User.role == 'participant')
        .group_by(Enrollment.user_id)
        .order_by(func.count().desc(), Enrollment.user_id)
        .limit(1)
    )
    return {'anonymous': None, 'participant': db.session.get(User, busiest), **by_role}


def sample_ids(participant, trainer):
    """Values for the url map's arguments: the largest of each thing."""

    def first(stmt):
        return db.session.scalar(stmt.limit(1))

    taught = select(offering_trainers.c.offering_id).where(
        offering_trainers.c.user_id == trainer.id
    )
    offering = first(
        select(Enrollment.offering_id)
        .where(Enrollment.offering_id.in_(taught))
        .group_by(Enrollment.offering_id)
        .order_by(func.count().desc(), Enrollment.offering_id)
    )
    enrollment = first(
        select(Enrollment.id).where(
            Enrollment.offering_id == offering, Enrollment.status == 'accepted'
        )
    )
    certificate = first(
        select(Certificate)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.user_id == participant.id)
    ) or first(select(Certificate).order_by(Certificate.id))
    municipality = first(
        select(Offering.municipality_id)
        .where(Offering.municipality_id.is_not(None))
        .group_by(Offering.municipality_id)
        .order_by(func.count().desc())
    ) or first(select(Organization.id))
    return {
        'offering_id': offering,
        'course_id': first(select(Offering.course_id).where(Offering.id == offering)),
        'session_id': first(
            select(OfferingSession.id).where(OfferingSession.offering_id == offering)
        ),
        'enrollment_id': enrollment,
        'user_id': participant.id,
        'organization_id': municipality,
        'serial': certificate.formatted_serial if certificate else None,
        'number': 1,
        'key': 'participants_by_year',
        'year': date.today().year - 1,
    }


def urls(app, ids, only=None):
    """(endpoint, path) for every GET rule whose arguments can be filled."""
    found = []
    for rule in app.url_map.iter_rules():
        if 'GET' not in rule.methods or SKIP.search(rule.endpoint) or SKIP.search(rule.rule):
            continue
        values = {}
        for argument in rule.arguments:
            if ids.get(argument) is None:
                break
            values[argument] = ids[argument]
        else:
            with app.test_request_context():
                path = app.url_for(rule.endpoint, **values)
            if only is None or only in path:
                found.append((rule.endpoint, path))
    return sorted(set(found), key=lambda item: item[1])


def measure(app, only):
    """{(endpoint, role): (path, median ms, statements)} for every page each role may open."""
    fresh_request_state(app)  # each request its own `g`, as in production
    people = actors()
    ids = sample_ids(people['participant'], people['trainer'])
    pages = urls(app, ids, only)
    results = {}
    for role in ROLES:
        client = app.test_client()
        if people[role] is not None:
            log_in(client, people[role])
        for endpoint, path in pages:
            headers = {}
            if path.startswith('/api/') and people[role] is not None:
                headers = {'Authorization': f'Bearer {token_for(people[role])}'}
            with count_statements() as sent:
                first = client.get(path, headers=headers)
            if first.status_code != 200:
                continue
            statements = len(sent)
            times = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                client.get(path, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
            results[(endpoint, role)] = (path, statistics.median(times), statements)
    db.session.remove()
    return results


_tokens = {}


def token_for(user):
    from lms.people.service import issue_token

    if user.id not in _tokens:
        _tokens[user.id] = issue_token(user, name='bench')
        db.session.commit()
    return _tokens[user.id]


def _app(folder, url=None, **settings):
    overrides = {
        'CERTIFICATE_KEY_DIR': f'{folder}/keys',
        'RATELIMIT_ENABLED': False,
        'PUBLIC_BASE_URL': 'https://academy.example.ge',
        # As in production: public figures reused for a minute. Verifications are counted
        # in their request (one statement more than production's background writer, which
        # would outlive the benchmark's database).
        'STATS_CACHE_SECONDS': 60,
        'VERIFY_COUNT_INTERVAL': 0,
        **settings,
    }
    if url:
        overrides['SQLALCHEMY_DATABASE_URI'] = url
    return create_app(TestConfig, instance_path=folder, **overrides)


def demo_results(folder, only):
    from lms.demo.loader import seed

    app = _app(f'{folder}/demo', f'sqlite:///{folder}/demo.sqlite')
    with app.app_context():
        db.create_all()
        seed(echo=lambda *a, **k: None)
        db.session.commit()
        return measure(app, only)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--size',
        type=float,
        default=None,
        help='1 = ten years (default: 1 on PostgreSQL, 0.1 on SQLite)',
    )
    parser.add_argument('--only', default=None, help='time only paths containing this')
    parser.add_argument('--json', default=None, help='also write the figures to this file')
    parser.add_argument(
        '--keep',
        action='store_true',
        help='keep the large academy after the run, and time the one a run with --keep left '
        '(on TEST_DATABASE_URL) instead of building it again',
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # TestConfig refuses a database whose name lacks "test": its tables are dropped.
        url = TestConfig.from_env().get('SQLALCHEMY_DATABASE_URI')
        url = url or f'sqlite:///{folder}/scale.sqlite'
        scale = args.size if args.size is not None else (1 if url.startswith('postgres') else 0.1)
        print('demo academy (SQLite) …', flush=True)
        demo = demo_results(folder, args.only)
        app = _app(f'{folder}/large', url)
        with app.app_context():
            print(f'large academy ({db.engine.dialect.name}, size {scale:g}) …', flush=True)
            if args.keep and built():
                print('  kept from the last run (--keep)', flush=True)
                add_new_indexes()
            else:
                db.drop_all()
                db.create_all()
                build(scale)
            large = measure(app, args.only)
            db.session.remove()
            if not args.keep:
                db.drop_all()
    report(demo, large, url.startswith('postgres'))
    if args.json:
        Path(args.json).write_text(
            json.dumps({f'{role} {path}': [ms, n] for (_, role), (path, ms, n) in large.items()})
        )


def report(demo, large, postgres):
    slow, grown = [], []
    print(f'\n{"page":<58} {"role":<11} {"demo ms":>8} {"stmts":>5}   {"large ms":>8} {"stmts":>5}')
    for key, (path, ms, statements) in sorted(large.items(), key=lambda i: (i[1][0], i[0][1])):
        _, d_ms, d_statements = demo.get(key, ('', float('nan'), 0))
        flags = ''
        if ms > 100:
            flags += ' SLOW'
            slow.append(key)
        if d_statements and statements > d_statements + 2:
            flags += ' GROWS'
            grown.append(key)
        print(
            f'{path[:58]:<58} {key[1]:<11} {d_ms:8.1f} {d_statements:5d}   {ms:8.1f} '
            f'{statements:5d}{flags}'
        )
    times = [ms for _, ms, _ in large.values()]
    status = [ms for path, ms, _ in large.values() if path.startswith('/status/')]
    print(
        f'\n{len(large)} page×role answers; median {statistics.median(times):.1f} ms, '
        f'slowest {max(times):.1f} ms; /status/N {max(status or [0]):.1f} ms'
    )
    print(
        f'over 100 ms: {len(slow)}; statement counts growing with the data: {len(grown)}'
        + ('' if postgres else '  (SQLite: the target is set for PostgreSQL)')
    )


if __name__ == '__main__':
    main()
