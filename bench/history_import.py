"""Benchmark: the import of past years, a 50,000-line spreadsheet.

Generates a CSV of 50,000 lines (one person in one event each): 500 events over 2016-2020
in the 64 municipalities and online, 20,000 people (half with an e-mail address, half
known by name and organisation, among 200 organisations and the municipalities), every
outcome, and a paper certificate number for each completed line. Then times, on a fresh
database: the dry run, the import, and the same file imported again (which changes
nothing); and the dry run of the same lines as an .xlsx workbook (written with
XlsxWriter, read with openpyxl in read-only mode). Target: the import under a minute.

Then the admin page's way: the upload request to /admin/history (it keeps the file and
starts the dry run's job, answering with the job's page) timed apart from the job, run
as a worker runs it (JOBS_IMMEDIATE off: the request queues it on a SQLite queue here).

On SQLite in a temporary file, or on TEST_DATABASE_URL (a database whose name contains
`test`; its tables are dropped), like the tests.

Run: .venv/bin/python bench/history_import.py [LINES]
"""

import csv
import io
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import xlsxwriter
from sqlalchemy import func, select

from bench._database import bench_app
from lms.extensions import db
from lms.history.jobs import check_job
from lms.history.service import COLUMNS, import_history, municipality_names
from lms.models import Enrollment, Job, User
from tests.clients import log_in

LINES = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
EVENTS, PEOPLE, ORGANIZATIONS = 500, 20_000, 200
FIRST = ('ნინო', 'გიორგი', 'თამარ', 'ლევან', 'მარიამ', 'დავით', 'ეკატერინე', 'ირაკლი', 'ანა')
LAST = ('ბერიძე', 'მაისურაძე', 'კაპანაძე', 'გელაშვილი', 'ლომიძე', 'ნოზაძე', 'წერეთელი')
KINDS = ('training', 'seminar', 'conference', 'forum')
OUTCOMES = ('completed', 'completed', 'accepted', 'applied', 'rejected', 'withdrawn')


def lines(count):
    rnd = random.Random(2016)
    municipalities = sorted(set(municipality_names().values()))
    organizations = [f'ორგანიზაცია {i}' for i in range(ORGANIZATIONS)] + municipalities
    people = []
    for i in range(PEOPLE):
        name = f'{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}'
        email = f'person{i}@example.ge' if i % 2 == 0 else ''
        people.append((name, email, rnd.choice(organizations), rnd.choice(('female', 'male'))))
    events = []
    for i in range(EVENTS):
        starts = date(2016, 1, 10) + timedelta(days=rnd.randrange(5 * 365 - 10))
        kind = KINDS[i % 4]
        events.append(
            {
                'starts_on': starts.isoformat(),
                'ends_on': (starts + timedelta(days=rnd.randrange(4))).isoformat(),
                'kind': kind,
                'course_code': f'C-{i % 40:03d}-{kind[:3]}',
                'course_title_ka': f'კურსი {i % 40}',
                'course_title_en': f'Course {i % 40}',
                'hours': str(rnd.choice((6, 8, 12, 24))),
                'municipality': '' if i % 10 == 0 else rnd.choice(municipalities),
                'location': 'საკრებულოს დარბაზი',
            }
        )
    rows, taken, certificates = [], set(), 0
    while len(rows) < count:
        e, p = rnd.randrange(EVENTS), rnd.randrange(PEOPLE)
        if (e, p) in taken:
            continue
        taken.add((e, p))
        name, email, organization, gender = people[p]
        outcome = rnd.choice(OUTCOMES)
        number = ''
        if outcome == 'completed':
            certificates += 1
            number = f'PA-{events[e]["starts_on"][:4]}-{certificates:06d}'
        rows.append(
            {
                **events[e],
                'full_name_ka': name,
                'email': email,
                'organization': organization,
                'gender': gender,
                'sector': 'civil_servant' if organization in municipalities else 'cso',
                'position': 'სპეციალისტი',
                'outcome': outcome,
                'certificate_number': number,
            }
        )
    return rows


def as_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([row.get(name, '') for name in COLUMNS] for row in rows)
    return out.getvalue().encode('utf-8')


def as_xlsx(rows):
    out = io.BytesIO()
    # Shared strings, as Excel writes them (XlsxWriter's constant_memory mode writes inline
    # strings instead, which readers parse several times slower).
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, COLUMNS)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, [row.get(name, '') for name in COLUMNS])
    book.close()
    return out.getvalue()


def timed(label, work):
    began = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - began
    print(f'{label:<44} {seconds:7.2f} s   {result.summary() if result else ""}')
    return result


def as_admin(client):
    admin = User(
        email='admin@bench.test', full_name_ka='ადმინი', full_name_en='Admin', role='admin'
    )
    db.session.add(admin)
    db.session.commit()
    log_in(client, admin)


def page_check(client, payload, name):
    """The upload request, then its job as a worker runs it."""
    boundary = 'bench-boundary'
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + payload
        + f'\r\n--{boundary}--\r\n'.encode()
    )
    began = time.perf_counter()
    response = client.post(
        '/admin/history', data=body, content_type=f'multipart/form-data; boundary={boundary}'
    )
    request_seconds = time.perf_counter() - began
    assert response.status_code == 303, response.status_code
    job_id = int(response.headers['Location'].rsplit('/', 1)[1])
    label = f'the page: upload request ({name})'
    print(f'{label:<44} {request_seconds:7.2f} s   -> job {job_id}')
    began = time.perf_counter()
    check_job.call_local(job_id)
    job_seconds = time.perf_counter() - began
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    result = job.result or {}
    label = f'the page: its dry-run job ({name})'
    print(
        f'{label:<44} {job_seconds:7.2f} s   '
        f'{job.status}, {job.done} of {job.total} lines; would create '
        f'{result.get("offerings")} offerings, {result.get("people")} people, '
        f'{result.get("enrollments")} enrollments, {result.get("certificates")} certificates'
    )


def main():
    began = time.perf_counter()
    rows = lines(LINES)
    data = as_csv(rows)
    workbook = as_xlsx(rows)
    print(
        f'{LINES:,} lines: CSV {len(data) / 1e6:.1f} MB, XLSX {len(workbook) / 1e6:.1f} MB '
        f'(generated in {time.perf_counter() - began:.1f} s)'
    )
    with bench_app(JOBS_IMMEDIATE=False) as app:

        def run(payload, name, dry_run):
            def work():
                counts = import_history(payload, name, actor=None, dry_run=dry_run)
                db.session.rollback() if dry_run else db.session.commit()
                return counts

            return work

        timed('dry run (CSV)', run(data, 'history.csv', True))
        timed('dry run (XLSX)', run(workbook, 'history.xlsx', True))
        client = app.test_client()
        as_admin(client)
        for payload, name in ((data, 'history.csv'), (workbook, 'history.xlsx')):
            page_check(client, payload, name)
        timed('import (CSV), committed', run(data, 'history.csv', False))
        timed('the same file again (changes nothing)', run(data, 'history.csv', False))
        enrollments = db.session.scalar(select(func.count()).select_from(Enrollment))
        print(f'enrollments in the database: {enrollments:,}')


if __name__ == '__main__':
    main()
