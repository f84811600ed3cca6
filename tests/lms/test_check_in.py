import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from sqlalchemy import select

from lms.attendance import checkin
from lms.models import Attendance, AuditEntry


@pytest.fixture
def live_session(create_user, create_offering, create_enrollment):
    """A session happening now, its trainer, and an accepted participant."""
    trainer = create_user(role='trainer')
    offering = create_offering(trainers=[trainer], sessions=1)
    offering_session = offering.sessions[0]
    now = datetime.now(UTC)
    offering_session.starts_at = now - timedelta(minutes=30)
    offering_session.ends_at = now + timedelta(hours=2)
    participant = create_user(full_name_ka='თამარ ჯავახიშვილი')
    enrollment = create_enrollment(offering=offering, user=participant)
    return trainer, offering_session, participant, enrollment


def _scan_url(client, login, trainer, offering_session):
    login(trainer)
    client.post('/language/en')
    status = client.get(f'/teach/sessions/{offering_session.id}/check-in/status.json').json
    return status, status['url'].replace('https://academy.example.test', '')


def test_a_scanned_code_marks_the_participant_present(client, login, db, live_session):
    trainer, offering_session, participant, enrollment = live_session
    status, path = _scan_url(client, login, trainer, offering_session)
    assert status['present'] == 0 and status['total'] == 1
    login(participant)
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert db.session.scalar(select(Attendance.id)) is None  # a GET changes nothing
    assert client.post(path).status_code == 200
    record = db.session.scalar(select(Attendance))
    assert (record.enrollment_id, record.status) == (enrollment.id, 'present')
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == enrollment.id))
        == 'attendance.checked_in'
    )
    login(trainer)
    status = client.get(f'/teach/sessions/{offering_session.id}/check-in/status.json').json
    assert status['present'] == 1


def test_an_expired_code_is_refused(client, login, db, live_session):
    trainer, offering_session, participant, _ = live_session
    _, path = _scan_url(client, login, trainer, offering_session)
    login(participant)
    later = datetime.now(UTC) + timedelta(seconds=checkin.PERIOD * (checkin.TOKEN_WINDOWS + 1))
    with mock.patch('lms.checkin.views.utcnow', return_value=later):
        response = client.get(path)
    assert response.status_code == 422
    assert 'expired' in response.text
    assert db.session.scalar(select(Attendance.id)) is None


def test_a_code_for_another_session_is_refused(client, login, db, live_session, create_offering):
    trainer, offering_session, participant, _ = live_session
    _, path = _scan_url(client, login, trainer, offering_session)
    other = create_offering(sessions=1).sessions[0]
    login(participant)
    response = client.post(
        path.replace(f'/check-in/{offering_session.id}/', f'/check-in/{other.id}/')
    )
    assert response.status_code == 422
    assert 'another session' in response.text


def test_someone_not_enrolled_cannot_check_in(client, login, db, live_session, create_user):
    trainer, offering_session, _, _ = live_session
    _, path = _scan_url(client, login, trainer, offering_session)
    login(create_user())
    response = client.post(path)
    assert response.status_code == 422
    assert 'not an accepted participant' in response.text
    assert db.session.scalar(select(Attendance.id)) is None


def test_the_typed_code_works_when_the_camera_fails(client, login, db, live_session):
    trainer, offering_session, participant, _ = live_session
    status, _ = _scan_url(client, login, trainer, offering_session)
    login(participant)
    page = client.get('/check-in/')
    assert 'name="code"' in page.text
    wrong = client.post(
        f'/check-in/{offering_session.id}/code',
        data={'code': '000000' if status['code'] != '000000' else '111111'},
    )
    assert wrong.status_code == 422
    assert (
        client.post(
            f'/check-in/{offering_session.id}/code', data={'code': status['code']}
        ).status_code
        == 200
    )
    assert db.session.scalar(select(Attendance.status)) == 'present'


def test_the_trainer_screen_shows_a_qr_code_and_the_typed_code(client, login, live_session):
    trainer, offering_session, _, _ = live_session
    login(trainer)
    page = client.get(f'/teach/sessions/{offering_session.id}/check-in')
    assert page.status_code == 200
    assert re.search(r'>\d{6}<', page.text)
    svg = client.get(f'/teach/sessions/{offering_session.id}/check-in/qr.svg')
    assert svg.mimetype == 'image/svg+xml' and b'<svg' in svg.data


def test_the_qr_code_changes_with_the_time_window(app):
    secret = 'k'
    assert checkin.make_token(secret, 1, 100) != checkin.make_token(secret, 1, 101)
    assert checkin.typed_code(secret, 1, 100) != checkin.typed_code(secret, 2, 100)


def test_a_code_scanned_before_logging_in_still_counts_after_the_login(
    client, login, db, live_session
):
    trainer, offering_session, participant, enrollment = live_session
    _, path = _scan_url(client, login, trainer, offering_session)
    client.post('/logout')
    with client.session_transaction() as sess:
        sess.clear()
    scanned = client.get(path)
    assert scanned.status_code == 302
    assert scanned.headers['Location'].startswith('/login?next=')
    # Logging in takes a few minutes: the code on the screen has changed meanwhile.
    later = datetime.now(UTC) + timedelta(minutes=3)
    login(participant)
    with mock.patch('lms.checkin.views.utcnow', return_value=later):
        assert client.get(path).status_code == 200
        assert client.post(path).status_code == 200
    record = db.session.scalar(select(Attendance))
    assert (record.enrollment_id, record.status) == (enrollment.id, 'present')


def test_a_scan_remembered_too_long_ago_no_longer_counts(client, login, db, live_session):
    trainer, offering_session, participant, _ = live_session
    _, path = _scan_url(client, login, trainer, offering_session)
    with client.session_transaction() as sess:
        sess.clear()
    client.get(path)
    login(participant)
    later = datetime.now(UTC) + checkin.LOGIN_GRACE + timedelta(minutes=1)
    with mock.patch('lms.checkin.views.utcnow', return_value=later):
        assert client.post(path).status_code == 422
    assert db.session.scalar(select(Attendance.id)) is None


def test_an_expired_code_scanned_before_logging_in_is_refused_at_once(client, login, live_session):
    trainer, offering_session, participant, _ = live_session
    _, path = _scan_url(client, login, trainer, offering_session)
    with client.session_transaction() as sess:
        sess.clear()
        sess['locale'] = 'en'
    later = datetime.now(UTC) + timedelta(seconds=checkin.PERIOD * (checkin.TOKEN_WINDOWS + 1))
    with mock.patch('lms.checkin.views.utcnow', return_value=later):
        response = client.get(path)
    assert response.status_code == 422
    assert 'expired' in response.text
