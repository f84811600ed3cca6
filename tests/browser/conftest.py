"""The academy in a real browser: Debian's Chromium driven by Playwright.

One server and one browser serve the whole module: the app runs in a thread on a free
port, on a SQLite file holding the demo academy, and Chromium is Debian's own (Playwright
never downloads one). Without Chromium these tests fail rather than skip: `make
system-deps` installs it.

Full-page screenshots land in tests/browser/screenshots/ (ignored by git), or in
BROWSER_SCREENSHOTS when that is set, for a person to look at.
"""

import os
import re
import threading
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from flask import current_app
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

from certificates import Certificate
from config import TestConfig
from lms import create_app, jobs
from lms.awarding.queries import certificates_of
from lms.catalogue.service import add_session
from lms.demo import seed
from lms.demo.vocabulary import ACCOUNTS
from lms.extensions import academy_today, academy_zone, db, utcnow
from lms.models import Consultation, Course, Enrollment, Offering, User, offering_trainers

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox',  # CI runs as root
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
]
PASSWORD = 'browser test password'
SCREENSHOTS = Path(os.environ.get('BROWSER_SCREENSHOTS') or Path(__file__).with_name('screenshots'))


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'browser: runs in Chromium against a live server (select with -m browser)'
    )


@pytest.fixture(scope='module')
def academy(tmp_path_factory):
    """The demo academy served on a free port; yields what the tests need to know of it."""
    with served_academy(tmp_path_factory.mktemp('academy')) as facts:
        yield facts


@contextmanager
def served_academy(folder, *, worker=False):
    """Serve a fresh demo academy from `folder` in a thread; yield its facts (`_demo_facts`,
    with 'base', its address, and 'app', for reading its database).

    Jobs run in the request that starts them (JOBS_IMMEDIATE), unless `worker`: then they
    go to a SQLite queue in `folder`, and facts['worker'] is a `Worker` that a test starts
    when it wants them done, so that a page can show a job waiting and then running."""
    app = create_app(
        TestConfig,
        instance_path=str(folder / 'instance'),
        SQLALCHEMY_DATABASE_URI=f'sqlite:///{folder / "academy.sqlite"}',
        CERTIFICATE_KEY_DIR=str(folder / 'keys'),
        WTF_CSRF_ENABLED=True,  # a real browser sends the token, as in production
    )
    # The port first, so that QR codes, credentials and links carry the served address.
    server = make_server('127.0.0.1', 0, app, threaded=True)
    base = app.config['PUBLIC_BASE_URL'] = f'http://127.0.0.1:{server.server_port}'
    with app.app_context():
        db.create_all()
        seed(echo=lambda *args: None, accounts_path=str(folder / 'accounts.txt'))
        facts = _demo_facts()
        db.session.commit()
        db.engine.dispose()
    facts['worker'] = Worker(app, folder / 'jobs.sqlite') if worker else None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    facts['base'], facts['app'] = base, app
    try:
        yield facts
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        if facts['worker'] is not None:
            facts['worker'].close()
        with app.app_context():
            db.engine.dispose()


class Worker:
    """Huey's consumer for a served academy, as `flask worker --type thread` runs it: two
    worker threads on a SQLite queue. Until `start`, jobs wait in the queue."""

    def __init__(self, app, queue_path):
        self.app, self.consumer = app, None
        app.config.update(JOBS_IMMEDIATE=False, JOBS_SQLITE_PATH=str(queue_path))
        jobs.configure(app)

    def start(self):
        self.consumer = jobs.huey.create_consumer(workers=2, worker_type='thread', periodic=False)
        # Its threads run beside pytest, whose signal handlers stay as they are.
        self.consumer._set_signal_handlers = lambda: None
        self.consumer.start()

    def close(self):
        if self.consumer is not None:
            self.consumer.stop(graceful=True)
        self.app.config['JOBS_IMMEDIATE'] = True  # as the other modules' apps have it
        jobs.configure(self.app)


def _demo_facts():
    """Known passwords for the demo staff, and the pages worth looking at."""
    accounts = {}
    for key, email, *_rest in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        user.set_password(PASSWORD)
        accounts[key] = email
    trainer = db.session.scalar(select(User).where(User.email == accounts['trainer']))
    taught = select(offering_trainers.c.offering_id).where(
        offering_trainers.c.user_id == trainer.id
    )
    certified = db.session.execute(
        select(Offering.id, func.count(Certificate.id))
        .join(Enrollment, Enrollment.offering_id == Offering.id)
        .join(Certificate, Certificate.enrollment_id == Enrollment.id)
        .where(Offering.id.in_(taught))
        .group_by(Offering.id)
        .order_by(func.count(Certificate.id).desc())
    ).first()
    upcoming = db.session.scalar(
        select(Offering.id)
        .join(Course)
        .where(Offering.status == 'published', Offering.id.in_(taught))
        .order_by(Offering.starts_on.desc())
    )
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.status == 'valid').order_by(Certificate.id)
    )
    to_revoke = db.session.scalar(
        select(Certificate)
        .where(Certificate.status == 'valid', Certificate.id != certificate.id)
        .order_by(Certificate.id.desc())
    )
    admin = db.session.scalar(select(User).where(User.email == accounts['admin']))
    participant = db.session.scalar(select(User).where(User.email == accounts['participant']))
    under_way, session_now = _a_session_under_way(trainer, participant, admin)
    return {
        'accounts': accounts,
        'under_way': under_way,
        'session_now': session_now,
        'academy_name': {
            'ka': current_app.config['ACADEMY_NAME_KA'],
            'en': current_app.config['ACADEMY_NAME_EN'],
        },
        'held': {  # the demo participant's valid certificates, by formatted serial
            c.formatted_serial: {'pdf_sha256': c.pdf_sha256, 'issued_on': c.issued_on}
            for c in certificates_of(participant)
            if c.status == 'valid'
        },
        'pdf': certificate.pdf,  # the printed certificate a third party scans
        'finished_offering': certified[0],
        'upcoming_offering': upcoming,
        'serial': certificate.serial,
        'certificate_id': certificate.id,
        'to_revoke': (to_revoke.id, to_revoke.serial),
        # The organisation with the most consultations, and its latest one.
        **dict(
            zip(
                ('consulted', 'consultation_id'),
                db.session.execute(
                    select(Consultation.organization_id, func.max(Consultation.id))
                    .group_by(Consultation.organization_id)
                    .order_by(func.count().desc(), Consultation.organization_id)
                    .limit(1)
                ).one(),
                strict=True,
            )
        ),
    }


def _a_session_under_way(trainer, participant, admin):
    """A session of the trainer's offering under way that began a quarter of an hour ago,
    the demo participant among its people: (offering id, session id). Added through the
    catalogue's service, as an admin would; it ends within the academy's day."""
    today, now = academy_today(), utcnow()
    offering = db.session.scalar(
        select(Offering)
        .join(offering_trainers, offering_trainers.c.offering_id == Offering.id)
        .join(Enrollment, Enrollment.offering_id == Offering.id)
        .where(
            offering_trainers.c.user_id == trainer.id,
            Enrollment.user_id == participant.id,
            Enrollment.status == 'accepted',
            Offering.starts_on <= today,
            Offering.ends_on >= today,
        )
    )
    midnight = datetime.combine(today + timedelta(days=1), time(), academy_zone())
    offering_session = add_session(
        offering,
        {
            'starts_at': now - timedelta(minutes=15),
            'ends_at': min(now + timedelta(minutes=45), midnight - timedelta(seconds=1)),
            'topic': 'საბიუჯეტო ჰაკათონი',
        },
        actor=admin,
    )
    return offering.id, offering_session.id


@pytest.fixture(scope='module')
def browser(academy):
    # After the academy: Playwright's sync API keeps an event loop running in this thread,
    # and issuing the demo's certificates (PDF signing) needs to start one of its own.
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope='module')
def visitor(browser, academy):
    """A page of its own for someone not logged in (None) or a demo account ('admin',
    'trainer', 'participant'), with or without JavaScript; kept for the whole module."""
    pages = {}

    def _visitor(account=None, *, javascript=True):
        if (account, javascript) not in pages:
            context = browser.new_context(base_url=academy['base'], java_script_enabled=javascript)
            page = context.new_page()
            if account is not None:
                _log_in(page, academy['accounts'][account])
            pages[account, javascript] = page
        return pages[account, javascript]

    yield _visitor
    for page in pages.values():
        page.context.close()


def _log_in(page, email):
    page.goto('/login')
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('main form button[type="submit"]')
    assert '/login' not in page.url, f'{email} could not log in'


@pytest.fixture(scope='module')
def revoked_serial(visitor, academy):
    """A certificate revoked through the admin page for misconduct, with a 300-character
    unbroken detail."""
    certificate_id, serial = academy['to_revoke']
    page = visitor('admin')
    page.set_viewport_size({'width': 360, 'height': 800})
    page.goto(f'/admin/certificates/{certificate_id}/revoke')
    page.select_option('select[name="category"]', 'misconduct')
    page.fill('textarea[name="reason"]', 'ა' * 150 + 'R' * 150)
    with page.expect_navigation():
        page.click('main form button[type="submit"]')
    assert page.locator('.alert-danger').count(), 'the certificate was not revoked'
    return serial


@pytest.fixture
def look(request):
    """Save a full-page screenshot of `page`, named after the test and `what`."""

    def _look(page, what=''):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r'[^\w.-]+', '-', f'{request.node.name} {what}').strip('-')
        page.screenshot(path=str(SCREENSHOTS / f'{name}.png'), full_page=True)

    return _look


@pytest.fixture
def journey(request, browser, academy):
    """A journey's browsers, screenshots and axe findings (tests/browser/journeys.py)."""
    from tests.browser.journeys import Journey

    walk = Journey(request.node.name, browser, academy['base'])
    yield walk
    walk.close()
