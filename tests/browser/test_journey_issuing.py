"""Journey 3: an admin on a laptop issues the certificates of an ended offering, watches
the job's progress, and downloads the ZIP, whose PDFs verify.

This module's academy runs its jobs as production does: on a queue (SQLite), done by a
Huey consumer with two worker threads. The worker starts only once the admin has seen
the job waiting for it, then the job page (which refreshes itself) follows it to the end.
Chunks of two people make the progress move in steps (n of m); the chunks after the
first wait until the page has shown the first step, so the journey sees the job running
however fast this machine is.
"""

import contextlib
import hashlib
import io
import itertools
import threading
import zipfile

import pytest
from playwright.sync_api import Error, expect
from sqlalchemy import select

from certificates import Certificate
from lms.awarding import jobs as awarding_jobs
from lms.awarding.service import issuable
from lms.extensions import academy_today, db
from lms.models import Course, Enrollment, Offering
from tests.browser.conftest import served_academy
from tests.browser.journeys import LAPTOP, log_in

pytestmark = pytest.mark.browser

WAITING = {'ka': 'ველოდებით შემსრულებელს…', 'en': 'Waiting for a worker…'}
RUNNING = {'ka': 'შესრულებულია {done} / {total}', 'en': '{done} of {total} done'}
DONE = {'ka': 'დასრულდა: {n} / {n}.', 'en': 'Done: {n} of {n}.'}
#: At most this many to issue: each is a PDF signed on this 2-core machine.
AT_MOST = 8


@pytest.fixture(scope='module')
def academy(tmp_path_factory):
    with served_academy(tmp_path_factory.mktemp('academy'), worker=True) as facts:
        with facts['app'].app_context():
            facts['to_issue'] = _an_ended_offering_to_issue()
        yield facts


def _an_ended_offering_to_issue():
    """(offering id, how many it would issue): an offering of the demo whose last session
    has ended, with people who took part enough and hold no certificate yet (the demo
    issued only the demo participant's), the most of them up to AT_MOST."""
    ended = db.session.scalars(
        select(Offering)
        .join(Course)
        .where(
            Offering.ends_on < academy_today(),
            Offering.status != 'cancelled',
            Course.grants_certificate.is_(True),
        )
        .order_by(Offering.ends_on.desc())
    ).all()
    candidates = [(len(issuable(o)), o.id) for o in ended]
    n, offering_id = max((c for c in candidates if c[0] <= AT_MOST), default=(0, None))
    assert n >= 3, f'no ended offering of the demo has 3 to {AT_MOST} to issue: {candidates}'
    return offering_id, n


@pytest.fixture
def first_step_seen(monkeypatch):
    """An event every chunk of issuing after the first waits for (set at the end anyway,
    so that no worker stays held)."""
    gate, chunks = threading.Event(), itertools.count()
    issue = awarding_jobs.issue_for_offering

    def issue_when_let(offering, **kwargs):
        if next(chunks) > 0:
            gate.wait(timeout=120)
        return issue(offering, **kwargs)

    monkeypatch.setattr(awarding_jobs, 'issue_for_offering', issue_when_let)
    yield gate
    gate.set()


def status_of(page):
    """The job page's status line; the page may be refreshing itself meanwhile."""
    for _ in range(10):
        try:
            return page.locator('main [role="status"]').inner_text(timeout=5000).strip()
        except Error:  # the page went away under us: read the next one
            continue
    raise AssertionError(f'{page.url}: no status line')


def watch(page, done, journey, what):
    """Follow the job page as it refreshes itself, until it says `done`; every status
    line seen, in order (the page's own refresh, no reload by the test)."""
    seen = [status_of(page)]
    while seen[-1] != done:
        page.wait_for_timeout(250)
        now = status_of(page)
        if now != seen[-1]:
            seen.append(now)
            if now != done:
                snapshot(page, journey, f'{what}-{len(seen)}')
    return seen


def snapshot(page, journey, what):
    """A screenshot of a state the page is about to leave (axe looks at the same page
    waiting and done: a refresh in the middle of its run would only break it)."""
    journey.folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Error):  # the page refreshed meanwhile: the next has its own
        page.screenshot(
            path=str(journey.folder / f'{journey.steps:02d}-{what}.png'), full_page=True
        )


def test_an_admin_issues_the_certificates_of_an_ended_offering(
    journey, academy, monkeypatch, first_step_seen
):
    offering_id, count = academy['to_issue']
    monkeypatch.setattr(awarding_jobs, 'CHUNK_SIZE', 2)
    page = journey.open(LAPTOP)
    log_in(page, academy['accounts']['admin'])
    page.goto(f'/teach/offerings/{offering_id}')
    with page.expect_navigation():
        page.locator(f'main a[href="/teach/offerings/{offering_id}/completion"]').click()
    journey.look(page, 'completion')

    with page.expect_navigation():
        page.locator(f'main a[href="/certificates/offerings/{offering_id}/issue"]').click()
    expect(page.locator('main h1 ~ ol li')).to_have_count(count)
    journey.look(page, 'confirm', keyboard=True)
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').click()
    assert '/jobs/' in page.url, page.url
    expect(page.locator('main [role="status"]')).to_have_text(WAITING['ka'])
    journey.look(page, 'issuing-waits-for-a-worker')

    academy['worker'].start()
    # The page follows the job by itself (no reload by the test): 2 of n done.
    expect(page.locator('main [role="status"]')).to_have_text(
        RUNNING['ka'].format(done=2, total=count), timeout=30_000
    )
    expect(page.locator('main .progress')).to_have_attribute(
        'aria-valuenow', str(round(200 / count))
    )
    journey.look(page, 'issuing-running')
    first_step_seen.set()
    seen = watch(page, DONE['ka'].format(n=count), journey, 'issuing')
    expect(page.locator('main .progress')).to_have_attribute('aria-valuenow', '100')
    journey.look(page, 'issuing-done')
    print('issuing, as the page showed it:', seen)

    with page.expect_navigation():
        page.locator('main form[action$="/certificates.zip"] button').click()
    watch(page, DONE['ka'].format(n=count), journey, 'zip')
    journey.look(page, 'zip-done')
    with page.expect_download() as download:
        page.locator('main a[href$="/download"]').click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))

    with academy['app'].app_context():
        issued = {
            c.formatted_serial: c.pdf_sha256
            for c in db.session.scalars(
                select(Certificate)
                .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
                .where(Enrollment.offering_id == offering_id, Certificate.status == 'valid')
            )
        }
    assert sorted(archive.namelist()) == sorted(f'{s}.pdf' for s in issued)
    assert len(issued) >= count
    for name in archive.namelist():
        pdf = archive.read(name)
        assert hashlib.sha256(pdf).hexdigest() == issued[name.removesuffix('.pdf')], name
        answer = page.request.post(
            '/api/v1/verify/pdf',
            multipart={'file': {'name': name, 'mimeType': 'application/pdf', 'buffer': pdf}},
        )
        assert answer.ok, answer.text()
        verdict = answer.json()
        assert verdict['authentic'] is True, (name, verdict)
        assert verdict['serial'].replace('-', '') == name.removesuffix('.pdf').replace('-', '')
