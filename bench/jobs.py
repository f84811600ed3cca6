"""Benchmark: issuing for a 1,000-person forum in the background, with two worker processes.

A real worker (`flask --app wsgi worker --workers 2 --type process`) on the SQLite queue
(or on Redis when REDIS_URL is set), against a SQLite file database, issues what one web
request started: claims, credential signed as a VC-JWT, PDF with its QR code, PAdES
signature, storage, the e-mail to each holder (MAIL_URL=none: written and "delivered" to
nowhere). It prints:

- the time the web request that starts the job takes to return (target < 200 ms), and
  the confirmation page before it;
- certificates per second, from that request until the job is done, against a bare
  reportlab render of the same pages (bench/pdf.py's, no database, no signing) in one
  process and in two processes side by side, in the same run (target >= 1.0x the bare
  render on the same two cores).

Run: .venv/bin/python bench/jobs.py [people, default 1000]
"""

import importlib.util
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench._attended import attended_offering  # noqa: E402
from certificates import Certificate, key_store, sync_signing_keys  # noqa: E402
from config import TestConfig  # noqa: E402
from lms import create_app, jobs  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.models import (  # noqa: E402
    Job,
)

_spec = importlib.util.spec_from_file_location('bench_pdf', ROOT / 'bench' / 'pdf.py')
bench_pdf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_pdf)

PUBLIC = 'https://academy.example.ge'
PATIENCE = 1800  # seconds: the bound on waiting for the job


def _bare_pages(indexes):
    for i in indexes:
        serial = bench_pdf.serial(i)
        bench_pdf.bare_render(bench_pdf.claims(i), serial, f'{PUBLIC}/v/{serial}')
    return len(indexes)


def bare_rate(n, processes):
    """Pages per second of the bare render of `n` pages in `processes` processes."""
    _bare_pages([0])  # warm up: fonts
    started = time.perf_counter()
    if processes == 1:
        _bare_pages(range(n))
    else:
        parts = [list(range(n))[p::processes] for p in range(processes)]
        with multiprocessing.get_context('fork').Pool(processes) as pool:
            pool.map(_bare_pages, parts)
    return n / (time.perf_counter() - started)


def make_forum(n):
    offering, admin = attended_offering(
        n,
        code='FORUM-1',
        title_ka='ადგილობრივი თვითმმართველობის ფორუმი',
        title_en='Local Self-Government Forum',
        kind='forum',
        hours=8,
        name_ka='ნინო გელაშვილი',
        name_en='Nino Gelashvili',
    )
    # The key is made on first use: before the timing, as on a running academy.
    store = key_store()
    store.current()
    sync_signing_keys(store, db.session)
    db.session.commit()
    return offering.id, admin.id


def start_worker(env, log):
    command = ['flask', '--app', 'wsgi', 'worker', '--workers', '2', '--type', 'process']
    process = subprocess.Popen(
        [sys.executable, '-m', *command],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # ready once it says where it listens
        log.flush()
        if 'Worker:' in Path(log.name).read_text():
            time.sleep(1.0)  # its processes start after it says so
            return process
        if process.poll() is not None:
            raise SystemExit(f'The worker stopped:\n{Path(log.name).read_text()}')
        time.sleep(0.1)
    raise SystemExit('The worker did not start within 60 s.')


def bench_issue(folder, n):
    queue = f'bench-{uuid.uuid4().hex[:8]}'
    redis_url = os.environ.get('REDIS_URL')
    settings = {
        'DATABASE_URL': f'sqlite:///{folder}/academy.sqlite',
        'JOBS_QUEUE': queue,
        'JOBS_SQLITE_PATH': f'{folder}/jobs.sqlite',
        'CERTIFICATE_KEY_DIR': f'{folder}/keys',
        'EXPORTS_DIR': f'{folder}/exports',
        'PUBLIC_BASE_URL': PUBLIC,
        'SECRET_KEY': 'bench-secret',
        'MAIL_URL': 'none',
        'RATELIMIT_ENABLED': 'false',
    }
    if redis_url:
        settings['REDIS_URL'] = redis_url
    app = create_app(
        TestConfig,
        instance_path=f'{folder}/instance',
        SQLALCHEMY_DATABASE_URI=settings['DATABASE_URL'],
        JOBS_IMMEDIATE=False,
        REDIS_URL=redis_url,
        JOBS_QUEUE=queue,
        JOBS_SQLITE_PATH=settings['JOBS_SQLITE_PATH'],
        CERTIFICATE_KEY_DIR=settings['CERTIFICATE_KEY_DIR'],
        EXPORTS_DIR=settings['EXPORTS_DIR'],
        PUBLIC_BASE_URL=PUBLIC,
    )
    with app.app_context():
        db.create_all()
        offering_id, admin_id = make_forum(n)
    env = {k: v for k, v in os.environ.items() if k not in ('TEST_DATABASE_URL', 'LMS_ENV')}
    env.update(settings)
    with open(f'{folder}/worker.log', 'w') as log:
        worker = start_worker(env, log)
        try:
            client = app.test_client()
            with client.session_transaction() as sess:
                sess['_user_id'] = str(admin_id)
            url = f'/certificates/offerings/{offering_id}/issue'
            client.get(url)  # warm up: templates, the completion queries
            started = time.perf_counter()
            page = client.get(url)
            confirm_seconds = time.perf_counter() - started
            expected = re.search(r'name="expected" value="(\d+)"', page.text).group(1)
            started = time.perf_counter()
            response = client.post(url, data={'expected': expected})
            request_seconds = time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            job_id = int(response.location.rsplit('/', 1)[1])
            deadline = started + PATIENCE
            while True:
                with app.app_context():
                    job = db.session.get(Job, job_id)
                    if job.is_finished:
                        break
                if time.perf_counter() > deadline or worker.poll() is not None:
                    raise SystemExit(f'The job did not finish:\n{Path(log.name).read_text()}')
                time.sleep(0.05)
            issue_seconds = time.perf_counter() - started
            with app.app_context():
                job = db.session.get(Job, job_id)
                assert job.status == 'done', job.error
                issued = db.session.scalar(select(func.count()).select_from(Certificate))
                assert issued == n, issued
        finally:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
            if redis_url:
                with app.app_context():
                    jobs.huey.storage.flush_all()
    where = f'Redis {redis_url}' if redis_url else 'the SQLite queue'
    return where, confirm_seconds, request_seconds, n / issue_seconds


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        where, confirm, request, rate = bench_issue(folder, n)
    bare_one = bare_rate(min(n, 400), 1)
    bare_two = bare_rate(min(n, 400), 2)
    print(f'{n}-person forum, worker: 2 processes on {where}, {os.cpu_count()} cores')
    print(f'confirmation page (GET, counts who gets one): {confirm * 1000:7.1f} ms')
    print(
        f'request that starts the job (POST):           {request * 1000:7.1f} ms '
        f'(target < 200 ms: {"yes" if request < 0.2 else "NO"})'
    )
    print(f'issued in the background:                {rate:7.1f} certificates/s')
    print(f'bare reportlab render, 1 process:        {bare_one:7.1f} pages/s')
    print(f'bare reportlab render, 2 processes:      {bare_two:7.1f} pages/s')
    print(
        f'ratio issue / bare on two processes: {rate / bare_two:.2f} '
        f'(target ≥ 1.00: {"yes" if rate >= bare_two else "NO"}); '
        f'issue / bare on one: {rate / bare_one:.2f}'
    )


if __name__ == '__main__':
    main()
