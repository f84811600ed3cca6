"""The rule a certificate stands on: the offering is over, and the final attendance counts.

Half-way through a course nobody is eligible, whatever their attendance so far; once the
last session has ended, what the PDF, the credential and the verification page state
agrees with the figures that granted the certificate.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from certificates import Certificate, claims_of, key_store, verify_credential
from lms.attendance.service import record_attendance
from lms.models import OfferingSession
from tests.api.helpers import assert_error


@pytest.fixture
def course_halfway(db, create_user, create_course, create_offering, create_enrollment):
    """Four two-hour sessions, two held and two to come; Nino came to both held sessions,
    Giorgi to one."""
    trainer = create_user(role='trainer')
    course = create_course(
        title_ka='საჯარო ფინანსები', title_en='Public finance', min_attendance_pct=75
    )
    now = datetime.now(UTC).replace(microsecond=0)
    offering = create_offering(
        course=course,
        trainers=[trainer],
        sessions=0,
        starts_on=(now - timedelta(days=3)).date(),
        ends_on=(now + timedelta(days=3)).date(),
    )
    for days in (-2, -1, 1, 2):
        start = now + timedelta(days=days)
        offering.sessions.append(
            OfferingSession(starts_at=start, ends_at=start + timedelta(hours=2), topic='თემა')
        )
    nino = create_enrollment(
        offering=offering, user=create_user(full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze')
    )
    giorgi = create_enrollment(offering=offering)
    held = offering.sessions[:2]
    record_attendance(held[0], [_mark(nino), _mark(giorgi)], actor=trainer)
    record_attendance(held[1], [_mark(nino), _mark(giorgi, 'absent')], actor=trainer)
    db.session.commit()
    return trainer, offering, nino, giorgi


def _mark(enrollment, status='present'):
    return {'enrollment_id': enrollment.id, 'status': status}


def _finish(db, offering, trainer, marks):
    """Move the last two sessions into the past and record them."""
    now = datetime.now(UTC)
    for i, s in enumerate(offering.sessions[2:]):
        s.starts_at = now - timedelta(hours=8 - 3 * i)
        s.ends_at = s.starts_at + timedelta(hours=2)
    for s, rows in zip(offering.sessions[2:], marks, strict=True):
        record_attendance(s, rows, actor=trainer)
    db.session.commit()


def _certificates(db):
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_half_way_the_completion_view_says_on_track_or_at_risk_and_offers_no_issuing(
    client, login, course_halfway
):
    trainer, offering, nino, giorgi = course_halfway
    login(trainer)
    page = _english(client, f'/teach/offerings/{offering.id}/completion')
    assert 'The offering ends on' in page
    assert 'on track' in page  # Nino: 100% so far
    assert 'at risk' in page  # Giorgi: 50% so far
    assert 'attendance so far 50% &lt; 75%' in page
    assert f'/certificates/offerings/{offering.id}/issue' not in page  # no issue button


def _english(client, url):
    client.get('/language/en')
    return client.get(url).text


def test_half_way_no_certificate_can_be_issued_from_the_pages(client, login, db, course_halfway):
    trainer, offering, nino, giorgi = course_halfway
    login(trainer)
    url = f'/certificates/offerings/{offering.id}/issue'
    one = client.post(url, data={'enrollment_id': nino.id}, follow_redirects=True)
    assert 'დასრულების თარიღია' in one.text  # the offering ends on …
    everyone = client.get(url, follow_redirects=True)
    assert everyone.request.path == f'/teach/offerings/{offering.id}/completion'
    client.post(url, data={'expected': '1'})
    assert _certificates(db) == 0


def test_half_way_the_api_answers_409_offering_not_over(api, db, course_halfway):
    trainer, offering, nino, giorgi = course_halfway
    response = api(
        'POST',
        f'/api/v1/offerings/{offering.id}/certificates',
        trainer,
        json={},
        headers={'Accept-Language': 'en'},
    )
    error = assert_error(response, 409, 'offering_not_over')
    ends = offering.sessions[-1].ends_at.astimezone().date()
    assert str(ends.year) in error['message'] and 'ends on' in error['message']
    assert _certificates(db) == 0


def test_issuing_everyone_asks_first_and_says_how_many(client, login, db, course_halfway):
    trainer, offering, nino, giorgi = course_halfway
    _finish(db, offering, trainer, [[_mark(nino), _mark(giorgi)], [_mark(nino), _mark(giorgi)]])
    login(trainer)
    client.get('/language/en')
    url = f'/certificates/offerings/{offering.id}/issue'
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'This will create 2 certificates' in confirm.text
    assert 'Nino Beridze' in confirm.text
    assert _certificates(db) == 0
    stale = client.post(url, data={'expected': '1'}, follow_redirects=True)
    assert stale.status_code == 200 and 'has changed' in stale.text
    assert _certificates(db) == 0
    client.post(url, data={'expected': '2'})
    assert _certificates(db) == 2


def test_what_a_certificate_states_agrees_with_the_rule_that_granted_it(
    api, client, db, course_halfway
):
    """Nino attended 3 of 4 sessions (6 of 8 hours, 75%): the PDF, the credential and the
    verification answer say 3 of 4 sessions and 8 hours, never the sessions held so far."""
    trainer, offering, nino, giorgi = course_halfway
    _finish(db, offering, trainer, [[_mark(nino)], [_mark(nino, 'absent')]])
    issued = api('POST', f'/api/v1/offerings/{offering.id}/certificates', trainer, json={})
    assert issued.status_code == 200
    (serial,) = issued.json['issued']
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.serial == serial.replace('-', ''))
    )
    assert certificate.enrollment_id == nino.id
    claims = claims_of(certificate)
    assert (claims.sessions_attended, claims.sessions_total, claims.hours) == (3, 4, 8)

    text = PdfReader(io.BytesIO(certificate.pdf)).pages[0].extract_text()
    assert '3 of 4 sessions' in text and '8 hours' in text
    assert '4-დან 3 სესია' in text

    payload = verify_credential(certificate.credential_jws, key_store().public_keys())
    achievement = payload['credentialSubject']['achievement']
    assert achievement['criteria']['narrative'].startswith('Attended 3 of 4 sessions')
    assert '(8 hours)' in achievement['description']

    answer = client.get(f'/api/v1/verify/{serial}').json
    record = api('GET', f'/api/v1/certificates/{serial}', trainer).json
    assert answer['hours'] == record['hours'] == 8
    assert type(answer['hours']) is type(record['hours']) is int  # 8, never 8.0
    page = client.get(f'/verify/{serial}').text
    assert '4-დან 3' in page
