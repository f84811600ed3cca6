"""A real worker on Redis: `flask --app wsgi worker` in a process of its own issues the
certificates of a job that a request started, and delivers their e-mails.

Every other test runs jobs in-process (JOBS_IMMEDIATE). This one needs Redis at
TEST_REDIS_URL (default redis://127.0.0.1:6379/0); without it the test is skipped, unless
REQUIRE_REDIS=1 (CI, .ci/run) makes that a failure. The queue has a name of its own, so
test runs sharing one Redis never take each other's tasks.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from certificates import Certificate, key_store, verify_credential
from config import TestConfig
from lms import create_app, jobs
from lms.attendance.service import record_attendance
from lms.extensions import db
from lms.models import Job, OutboxMessage
from tests.conftest import make_enrollment, make_offering, make_user

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get('TEST_REDIS_URL', 'redis://127.0.0.1:6379/0')
#: The bound on waiting for the worker; it finishes in seconds.
PATIENCE = 180
PUBLIC = 'https://academy.example.test'


def _redis_or_skip():
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
    except OSError as exc:
        reason = f'Redis is not reachable at {parts.hostname}:{parts.port or 6379} ({exc})'
        if os.environ.get('REQUIRE_REDIS') == '1':
            pytest.fail(f'{reason}, and REQUIRE_REDIS=1 requires it.')
        pytest.skip(f'{reason}: start Redis (or set TEST_REDIS_URL) to run a real worker.')


@pytest.fixture
def on_redis(tmp_path):
    """An app on a SQLite file and a Redis queue of its own, and the settings of both, as
    the worker's environment spells them."""
    _redis_or_skip()
    queue = f'academy-test-{uuid.uuid4().hex[:12]}'
    settings = {
        'DATABASE_URL': f'sqlite:///{tmp_path}/academy.sqlite',
        'REDIS_URL': REDIS_URL,
        'JOBS_QUEUE': queue,
        'CERTIFICATE_KEY_DIR': str(tmp_path / 'keys'),
        'EXPORTS_DIR': str(tmp_path / 'exports'),
        'PUBLIC_BASE_URL': PUBLIC,
        'SECRET_KEY': 'worker-test-secret',
        'MAIL_URL': 'console',
    }
    app = create_app(
        TestConfig,
        instance_path=str(tmp_path / 'instance'),
        SQLALCHEMY_DATABASE_URI=settings['DATABASE_URL'],
        JOBS_IMMEDIATE=False,
        REDIS_URL=REDIS_URL,
        JOBS_QUEUE=queue,
        CERTIFICATE_KEY_DIR=settings['CERTIFICATE_KEY_DIR'],
        EXPORTS_DIR=settings['EXPORTS_DIR'],
        PUBLIC_BASE_URL=PUBLIC,
    )
    try:
        yield app, settings
    finally:
        with app.app_context():
            jobs.huey.storage.flush_all()  # this run's queue only
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def worker(on_redis, tmp_path):
    app, settings = on_redis
    env = {k: v for k, v in os.environ.items() if k not in ('TEST_DATABASE_URL', 'LMS_ENV')}
    env.update(settings)
    log = open(tmp_path / 'worker.log', 'w+')  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, '-m', 'flask', '--app', 'wsgi', 'worker', '--workers', '2'],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process, log
    finally:
        process.send_signal(signal.SIGINT)  # Huey's graceful stop
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _worker_output(log):
    log.flush()
    log.seek(0)
    return log.read()[-4000:]


def _wait_for(app, process, log, done, what):
    """Poll until `done()` (inside an app context) is true; fail if the worker dies."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        with app.app_context():
            if done():
                return
        if process.poll() is not None:
            pytest.fail(f'The worker stopped ({process.returncode}):\n{_worker_output(log)}')
        time.sleep(0.25)
    pytest.fail(f'{what} did not happen within {PATIENCE} s:\n{_worker_output(log)}')


def test_a_worker_on_redis_issues_what_a_request_started(on_redis, worker):
    app, _ = on_redis
    process, log = worker
    with app.app_context():
        db.create_all()
        trainer = make_user(role='trainer')
        offering = make_offering(trainers=[trainer])
        enrollments = [make_enrollment(offering=offering) for _ in range(4)]
        for s in offering.sessions:
            record_attendance(
                s,
                [
                    {'enrollment_id': e.id, 'status': 'absent' if i == 3 else 'present'}
                    for i, e in enumerate(enrollments)
                ],
                actor=trainer,
            )
        db.session.commit()
        trainer_id, offering_id = trainer.get_id(), offering.id
        eligible = sorted(e.id for e in enrollments[:3])

    client = app.test_client()
    with client.session_transaction() as sess:
        sess['_user_id'] = trainer_id
    url = f'/certificates/offerings/{offering_id}/issue'
    expected = re.search(r'name="expected" value="(\d+)"', client.get(url).text).group(1)
    response = client.post(url, data={'expected': expected})
    assert response.status_code == 302
    job_id = int(response.location.rsplit('/', 1)[1])
    assert not jobs.huey.immediate  # queued on Redis for the worker, not run here

    _wait_for(app, process, log, lambda: db.session.get(Job, job_id).is_finished, 'The issuing job')
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.status == 'done', job.error
        assert (job.done, job.total, job.result['issued']) == (3, 3, 3)
        certificates = db.session.scalars(select(Certificate)).all()
        assert sorted(c.enrollment_id for c in certificates) == eligible
        keys = key_store().public_keys()
        for certificate in certificates:
            assert certificate.pdf.startswith(b'%PDF')
            payload = verify_credential(certificate.credential_jws, keys)
            assert payload['credentialSubject']
        serials = sorted(c.formatted_serial for c in certificates)

    def delivered():
        messages = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == 'certificate_issued')
        ).all()
        return len(messages) == 3 and all(m.status == 'sent' for m in messages)

    _wait_for(app, process, log, delivered, 'Delivering the e-mails')
    with app.app_context():
        texts = db.session.scalars(select(OutboxMessage.text_body)).all()
        assert sorted(re.search(r'/v/([0-9A-Z-]+)', t).group(1) for t in texts) == serials
    page = client.get(f'/jobs/{job_id}')
    assert page.status_code == 200 and 'http-equiv="refresh"' not in page.text
