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
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

from certificates import Certificate
from config import TestConfig
from lms import create_app
from lms.demo import seed
from lms.demo.vocabulary import ACCOUNTS
from lms.extensions import db
from lms.models import Course, Enrollment, Offering, User, offering_trainers

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
    folder = tmp_path_factory.mktemp('academy')
    app = create_app(
        TestConfig,
        instance_path=str(folder / 'instance'),
        SQLALCHEMY_DATABASE_URI=f'sqlite:///{folder / "academy.sqlite"}',
        CERTIFICATE_KEY_DIR=str(folder / 'keys'),
        WTF_CSRF_ENABLED=True,  # a real browser sends the token, as in production
    )
    with app.app_context():
        db.create_all()
        seed(echo=lambda *args: None, accounts_path=str(folder / 'accounts.txt'))
        facts = _demo_facts()
        db.session.commit()
        db.engine.dispose()
    server = make_server('127.0.0.1', 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    facts['base'] = f'http://127.0.0.1:{server.server_port}'
    yield facts
    server.shutdown()
    thread.join()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


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
    return {
        'accounts': accounts,
        'finished_offering': certified[0],
        'upcoming_offering': upcoming,
        'serial': certificate.serial,
        'certificate_id': certificate.id,
        'to_revoke': (to_revoke.id, to_revoke.serial),
    }


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
    """A certificate revoked through the admin page with a 300-character unbroken reason."""
    certificate_id, serial = academy['to_revoke']
    page = visitor('admin')
    page.set_viewport_size({'width': 360, 'height': 800})
    page.goto(f'/admin/certificates/{certificate_id}/revoke')
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
