"""Issuing for a whole offering runs as a job: its page, progress, failure, retry, guard.

Tests run jobs in-process right after the request's commit (JOBS_IMMEDIATE), so a job
started by a request has run by the time the request returns.
"""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certificates import Certificate, key_store, verify_credential
from lms.attendance.service import record_attendance
from lms.awarding import jobs as awarding_jobs
from lms.awarding import service as awarding_service
from lms.extensions import utcnow
from lms.models import Job, OutboxMessage


@pytest.fixture
def forum(db, create_user, create_course, create_offering, create_enrollment):
    """An offering that is over, with five people who met the rules and one who did not."""
    trainer = create_user(role='trainer')
    course = create_course(title_ka='ფორუმი', title_en='Forum', kind='forum')
    offering = create_offering(course=course, trainers=[trainer])
    people = [
        create_user(full_name_ka=f'მონაწილე {i}', full_name_en=f'Person {i}') for i in range(6)
    ]
    enrollments = [create_enrollment(offering=offering, user=p) for p in people]
    for s in offering.sessions:
        record_attendance(
            s,
            [
                {'enrollment_id': e.id, 'status': 'absent' if i == 5 else 'present'}
                for i, e in enumerate(enrollments)
            ],
            actor=trainer,
        )
    db.session.commit()
    return trainer, offering, enrollments


def _start(client, login, user, offering):
    """Ask for everyone's certificates as the completion view does: confirm, then post."""
    login(user)
    url = f'/certificates/offerings/{offering.id}/issue'
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    expected = re.search(r'name="expected" value="(\d+)"', page.text).group(1)
    return client.post(url, data={'expected': expected})


def _job_id(response):
    match = re.fullmatch(r'.*/jobs/(\d+)', response.location)
    assert match, response.location
    return int(match.group(1))


def _certificates(db):
    return db.session.scalars(select(Certificate).order_by(Certificate.id)).all()


def _assert_whole(db, certificates):
    """Every certificate row has its signed PDF, its credential and an e-mail to its holder."""
    keys = key_store().public_keys()
    for certificate in certificates:
        assert certificate.pdf.startswith(b'%PDF')
        assert hashlib.sha256(certificate.pdf).hexdigest() == certificate.pdf_sha256
        verify_credential(certificate.credential_jws, keys)
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == 'certificate_issued')
    ).all()
    mailed = sorted(re.search(r'/v/([0-9A-Z-]+)', m.text_body).group(1) for m in mails)
    assert mailed == sorted(c.formatted_serial for c in certificates)


def test_issuing_everyone_starts_a_job_whose_page_shows_the_result(client, login, db, forum):
    trainer, offering, enrollments = forum
    trainer.locale = 'en'  # what the job writes down is in the language of who started it
    client.get('/language/en')
    response = _start(client, login, trainer, offering)
    assert response.status_code == 302
    job = db.session.get(Job, _job_id(response))
    assert (job.kind, job.status, job.done, job.total) == ('issue_certificates', 'done', 5, 5)
    assert job.created_by_id == trainer.id
    certificates = _certificates(db)
    assert sorted(c.enrollment_id for c in certificates) == sorted(e.id for e in enrollments[:5])
    _assert_whole(db, certificates)
    page = client.get(response.location)
    assert page.status_code == 200
    assert '5 of 5' in page.text and '5 certificates issued.' in page.text
    assert 'http-equiv="refresh"' not in page.text  # finished: the page stops refreshing
    # The one passed by, with the reason in words.
    assert 'Person 5' in page.text and 'attendance 0% &lt; 80%' in page.text
    assert f'/teach/offerings/{offering.id}/completion' in page.text
    assert f'/certificates/offerings/{offering.id}/certificates.zip' in page.text


def test_the_issued_email_holds_the_verification_and_pdf_links(client, login, db, forum):
    trainer, offering, enrollments = forum
    enrollments[0].user.locale = 'en'
    _start(client, login, trainer, offering)
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.enrollment_id == enrollments[0].id)
    )
    message = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.template == 'certificate_issued',
            OutboxMessage.user_id == enrollments[0].user_id,
        )
    )
    serial = certificate.formatted_serial
    verify = f'https://academy.example.test/v/{serial}'
    pdf = f'https://academy.example.test/certificates/{serial}.pdf'
    assert serial in message.subject and message.locale == 'en'
    for body in (message.text_body, message.html_body):
        assert verify in body and pdf in body
    assert 'Forum' in message.text_body
    # The holder's language decides: Georgian for everyone else.
    other = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.user_id == enrollments[1].user_id)
    )
    assert other.locale == 'ka' and 'სერტიფიკატი' in other.subject
    assert 'https://academy.example.test/v/' in other.text_body


def test_the_api_still_answers_at_once_and_tells_the_holders(api, db, forum):
    trainer, offering, enrollments = forum
    response = api('POST', f'/api/v1/offerings/{offering.id}/certificates', trainer, json={})
    assert response.status_code == 200
    assert len(response.json['issued']) == 5
    assert [s['enrollment_id'] for s in response.json['skipped']] == [enrollments[5].id]
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    texts = db.session.scalars(
        select(OutboxMessage.text_body).where(OutboxMessage.template == 'certificate_issued')
    ).all()
    assert sorted(re.search(r'/v/([0-9A-Z-]+)', t).group(1) for t in texts) == sorted(
        response.json['issued']
    )


def test_the_job_page_is_for_its_owner_and_admins(client, login, db, forum, create_user):
    trainer, offering, _ = forum
    url = _start(client, login, trainer, offering).location
    assert client.get(url).status_code == 200
    login(create_user(role='admin'))
    assert client.get(url).status_code == 200
    # Another trainer, even of this offering, and a participant are refused.
    colleague = create_user(role='trainer')
    offering.trainers.append(colleague)
    db.session.commit()
    for someone in (colleague, create_user(), create_user(role='trainer')):
        login(someone)
        assert client.get(url).status_code == 403
        assert client.post(url + '/retry').status_code == 403
    assert client.get('/jobs/999999').status_code == 404
    with client.session_transaction() as sess:
        sess.clear()
    assert client.get(url).status_code == 302  # to the login page


def test_a_running_job_shows_n_of_m_and_refreshes_itself(client, login, db, forum):
    trainer, offering, _ = forum
    job = Job(
        kind='issue_certificates',
        params={'offering_id': offering.id},
        status='running',
        total=300,
        done=120,
        created_by=trainer,
        result={'offering_id': offering.id, 'issued': 120, 'skipped': [], 'round': 1},
    )
    db.session.add(job)
    login(trainer)
    client.get('/language/en')
    page = client.get(f'/jobs/{job.id}').text
    assert '120 of 300 done' in page
    assert 'aria-valuenow="40"' in page and 'width: 40%' in page
    # Without JavaScript the page reloads itself; with it, only the progress part is fetched
    # again (js/refresh.js), and axe's rule against timed refreshes holds.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'data-refresh="2"' in page and 'js/refresh.js' in page
    assert 'Retry' not in page


def test_a_second_start_gets_the_job_already_at_work(client, login, db, forum):
    """A double click, or two people at once: one issuing job per offering."""
    trainer, offering, _ = forum
    running = Job(
        kind='issue_certificates',
        params={'offering_id': offering.id},
        status='running',
        total=5,
        created_by=trainer,
    )
    db.session.add(running)
    db.session.commit()
    client.get('/language/en')
    response = _start(client, login, trainer, offering)
    assert _job_id(response) == running.id
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    assert _certificates(db) == []
    assert 'already under way' in client.get(response.location).text


def test_starting_twice_in_one_go_makes_one_job(db, forum):
    trainer, offering, _ = forum
    first, started = awarding_jobs.start_issue(offering, actor=trainer)
    second, again = awarding_jobs.start_issue(offering, actor=trainer)
    assert started and not again and first.id == second.id
    db.session.rollback()


def test_a_failing_chunk_leaves_nothing_half_issued_and_retry_finishes(
    client, login, db, forum, monkeypatch
):
    trainer, offering, enrollments = forum
    monkeypatch.setattr(awarding_jobs, 'CHUNK_SIZE', 2)
    real_tell = awarding_service._tell_holder
    calls = []

    def tell_then_fail(certificate, template, **context):
        calls.append(certificate.enrollment_id)
        if len(calls) == 4:  # the second certificate of the second chunk: after its rows
            raise RuntimeError('mail template exploded')
        return real_tell(certificate, template, **context)

    monkeypatch.setattr(awarding_service, '_tell_holder', tell_then_fail)
    response = _start(client, login, trainer, offering)
    job = db.session.get(Job, _job_id(response))
    assert job.status == 'failed' and 'mail template exploded' in job.error
    # Chunks 1 (2 people) and 3 (1 person) stand; chunk 2 left nothing behind.
    certificates = _certificates(db)
    issued = {c.enrollment_id for c in certificates}
    assert len(certificates) == 3
    assert not issued & set(calls[2:4])
    _assert_whole(db, certificates)
    assert (job.done, job.total, job.result['issued']) == (3, 5, 3)
    client.get('/language/en')
    page = client.get(response.location).text
    assert 'mail template exploded' in page and 'Retry' in page
    assert 'http-equiv="refresh"' not in page

    monkeypatch.setattr(awarding_service, '_tell_holder', real_tell)
    retried = client.post(response.location + '/retry')
    assert retried.status_code == 302 and retried.location == response.location
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.status, job.done, job.total, job.result['issued']) == ('done', 5, 5, 5)
    certificates = _certificates(db)
    assert sorted(c.enrollment_id for c in certificates) == sorted(e.id for e in enrollments[:5])
    _assert_whole(db, certificates)
    # The one who never qualified is listed once, not once per round.
    assert [s['enrollment_id'] for s in job.result['skipped']] == [enrollments[5].id]
    assert '5 certificates issued.' in client.get(response.location).text


def test_only_a_failed_job_is_retried(client, login, db, forum):
    trainer, offering, _ = forum
    url = _start(client, login, trainer, offering).location
    client.get('/language/en')
    page = client.post(url + '/retry', follow_redirects=True)
    assert 'Only a job that failed' in page.text
    assert len(_certificates(db)) == 5


def test_a_job_lost_with_its_worker_can_be_retried(client, login, db, forum):
    """A worker that died mid-way leaves a job running forever; after a while its page
    offers Retry, which issues what is missing, and a new start is not blocked for good."""
    trainer, offering, enrollments = forum
    lost = Job(
        kind='issue_certificates',
        params={'offering_id': offering.id},
        status='running',
        total=5,
        done=0,
        created_by=trainer,
        created_at=utcnow() - timedelta(hours=2),
        started_at=utcnow() - timedelta(hours=2),
        result={'offering_id': offering.id, 'issued': 0, 'skipped': [], 'round': 1},
    )
    db.session.add(lost)
    db.session.commit()
    login(trainer)
    client.get('/language/en')
    page = client.get(f'/jobs/{lost.id}').text
    assert 'may have stopped' in page and 'Retry' in page
    assert client.post(f'/jobs/{lost.id}/retry').status_code == 302
    db.session.expire_all()
    job = db.session.get(Job, lost.id)
    assert (job.status, job.done, job.total, job.result['issued']) == ('done', 5, 5, 5)
    assert len(_certificates(db)) == 5
