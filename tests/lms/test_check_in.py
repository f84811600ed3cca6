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


# -- guessing the typed code -----------------------------------------------------------------


def _wrong(code):
    return '000000' if code != '000000' else '111111'


def _type(client, offering_session, code):
    return client.post(f'/check-in/{offering_session.id}/code', data={'code': code})


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_five_wrong_codes_pause_typing_for_that_person_in_that_session(
    app, client, login, db, live_session, create_user, create_enrollment
):
    trainer, offering_session, participant, _ = live_session
    other = create_user(full_name_ka='ნინო ბერიძე')
    create_enrollment(offering=offering_session.offering, user=other)
    status, _ = _scan_url(client, login, trainer, offering_session)
    login(participant)
    client.post('/language/en')
    assert app.config['CHECK_IN_CODE_RATE_LIMIT'] == '5 per 10 minutes'
    for _ in range(5):
        assert _type(client, offering_session, _wrong(status['code'])).status_code == 422
    paused = _type(client, offering_session, status['code'])  # even the right code waits
    assert paused.status_code == 429
    client.post('/logout')  # a new session of the same person is still paused
    login(participant)
    client.post('/language/en')
    paused = _type(client, offering_session, status['code'])
    assert paused.status_code == 429
    assert 'Too many wrong codes. Typing is paused for you for 10 minutes' in paused.text
    assert 'scan the QR code on the screen instead' in paused.text
    assert db.session.scalar(select(Attendance.id)) is None
    login(other)  # someone else in the room is not held up
    assert _type(client, offering_session, status['code']).status_code == 200


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    CHECK_IN_CODE_RATE_LIMIT='50 per 10 minutes',
    CHECK_IN_SESSION_RATE_LIMIT='3 per 10 minutes',
)
def test_wrong_codes_of_many_people_are_capped_per_session_and_scanning_still_works(
    client, login, db, live_session, create_user, create_enrollment
):
    trainer, offering_session, participant, _ = live_session
    guessers = []
    for n in range(3):
        guesser = create_user(full_name_ka=f'სტუმარი {n}')
        create_enrollment(offering=offering_session.offering, user=guesser)
        guessers.append(guesser)
    status, path = _scan_url(client, login, trainer, offering_session)
    for guesser in guessers:
        login(guesser)
        assert _type(client, offering_session, _wrong(status['code'])).status_code == 422
    login(participant)
    client.post('/language/en')
    paused = _type(client, offering_session, status['code'])
    assert paused.status_code == 429
    assert 'Too many wrong codes were typed for this session.' in paused.text
    assert client.post(path).status_code == 200  # the QR code is not paused
    assert db.session.scalar(select(Attendance.status)) == 'present'


@pytest.mark.parametrize('mark', ['absent', 'excused'])
@pytest.mark.parametrize('way', ['typed', 'scanned'])
def test_checking_in_never_overwrites_the_trainers_mark(client, login, db, live_session, mark, way):
    trainer, offering_session, participant, enrollment = live_session
    status, path = _scan_url(client, login, trainer, offering_session)
    db.session.add(
        Attendance(
            session_id=offering_session.id,
            enrollment_id=enrollment.id,
            status=mark,
            note='დაურეკა',
            recorded_by_id=trainer.id,
            recorded_at=datetime.now(UTC),
        )
    )
    login(participant)
    client.post('/language/en')
    if way == 'typed':
        response = _type(client, offering_session, status['code'])
    else:
        response = client.post(path)
    assert response.status_code == 422
    assert f'The trainer has already recorded you as “{mark.capitalize()}”' in response.text
    db.session.expire_all()
    record = db.session.scalar(select(Attendance))
    assert (record.status, record.note, record.recorded_by_id) == (mark, 'დაურეკა', trainer.id)
    assert (
        db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == 'attendance.checked_in'))
        is None
    )


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    CHECK_IN_CODE_RATE_LIMIT='50 per 10 minutes',
    CHECK_IN_SESSION_RATE_LIMIT='3 per 10 minutes',
)
def test_someone_who_may_not_check_in_cannot_use_up_the_sessions_budget(
    client, login, db, live_session, create_user
):
    trainer, offering_session, participant, _ = live_session
    status, _ = _scan_url(client, login, trainer, offering_session)
    login(create_user(full_name_ka='უცნობი'))  # registered, not in this course
    client.post('/language/en')
    for _ in range(5):
        refused = _type(client, offering_session, _wrong(status['code']))
        assert refused.status_code == 422
        assert 'You are not an accepted participant of this course' in refused.text
    login(participant)
    assert _type(client, offering_session, status['code']).status_code == 200
