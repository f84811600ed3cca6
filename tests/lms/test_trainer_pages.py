from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from lms.models import Assessment, Attendance, Result


@pytest.fixture
def course_room(create_user, create_offering, create_enrollment):
    """A trainer's offering with three accepted participants (Georgian names)."""
    trainer = create_user(role='trainer')
    offering = create_offering(trainers=[trainer])
    people = [
        create_user(full_name_ka=name)
        for name in ('ანა ბერიძე', 'გიორგი კაპანაძე', 'ნინო წიკლაური')
    ]
    enrollments = [create_enrollment(offering=offering, user=p) for p in people]
    create_enrollment(offering=offering, status='applied')  # not on the roster
    return trainer, offering, enrollments


def test_the_roster_lists_accepted_participants_in_georgian(client, login, course_room):
    trainer, offering, enrollments = course_room
    login(trainer)
    page = client.get(f'/teach/sessions/{offering.sessions[0].id}/roster')
    assert page.status_code == 200
    assert 'ანა ბერიძე' in page.text and 'ნინო წიკლაური' in page.text
    assert page.text.count('name="status-') == 3 * 4


def test_one_save_writes_the_whole_roster(client, login, db, course_room):
    trainer, offering, (a, b, c) = course_room
    login(trainer)
    session_id = offering.sessions[0].id
    response = client.post(
        f'/teach/sessions/{session_id}/roster',
        data={
            f'status-{a.id}': 'present',
            f'status-{b.id}': 'late',
            f'note-{b.id}': 'საცობი',
            f'status-{c.id}': 'absent',
        },
    )
    assert response.status_code == 302
    rows = {r.enrollment_id: r for r in db.session.scalars(select(Attendance))}
    assert {k: v.status for k, v in rows.items()} == {a.id: 'present', b.id: 'late', c.id: 'absent'}
    assert rows[b.id].note == 'საცობი'
    page = client.get(response.location)
    assert trainer.full_name_ka in page.text  # who last recorded it


def test_everyone_present_without_javascript_saves_all(client, login, db, course_room):
    trainer, offering, enrollments = course_room
    login(trainer)
    client.post(f'/teach/sessions/{offering.sessions[0].id}/roster', data={'all_present': '1'})
    assert sorted(db.session.scalars(select(Attendance.status))) == ['present'] * 3


def test_a_bad_row_saves_nothing_and_is_shown_next_to_the_person(client, login, db, course_room):
    trainer, offering, (a, b, c) = course_room
    login(trainer)
    response = client.post(
        f'/teach/sessions/{offering.sessions[0].id}/roster',
        data={f'status-{a.id}': 'present', f'status-{b.id}': 'asleep'},
    )
    assert response.status_code == 422
    assert 'border-danger' in response.text
    assert db.session.scalar(select(Attendance.id)) is None


@pytest.mark.parametrize('who', ['other_trainer', 'participant'])
def test_others_get_403_for_every_trainer_page(client, login, db, create_user, course_room, who):
    trainer, offering, (a, *_) = course_room
    assessment = Assessment(offering=offering, title='ტესტი', max_score=10, pass_score=5)

    db.session.add(assessment)
    db.session.flush()
    login(create_user(role='trainer' if who == 'other_trainer' else 'participant'))
    session_id = offering.sessions[0].id
    for method, url in [
        ('get', f'/teach/offerings/{offering.id}'),
        ('get', f'/teach/sessions/{session_id}/roster'),
        ('post', f'/teach/sessions/{session_id}/roster'),
        ('get', f'/teach/offerings/{offering.id}/completion'),
        ('get', f'/teach/offerings/{offering.id}/assessments/new'),
        ('post', f'/teach/offerings/{offering.id}/assessments/new'),
        ('get', f'/teach/assessments/{assessment.id}/scores'),
        ('post', f'/teach/assessments/{assessment.id}/scores'),
    ]:
        assert getattr(client, method)(url).status_code == 403, url


def test_admins_may_record_any_offering(client, login, create_user, course_room):
    trainer, offering, _ = course_room
    login(create_user(role='admin'))
    assert client.get(f'/teach/sessions/{offering.sessions[0].id}/roster').status_code == 200


def test_scores_are_validated_against_the_maximum(client, login, db, course_room):
    trainer, offering, (a, b, c) = course_room
    login(trainer)
    client.post(
        f'/teach/offerings/{offering.id}/assessments/new',
        data={'title': 'საბოლოო პროექტი', 'max_score': '20', 'pass_score': '0', 'required': 'y'},
    )
    assessment = db.session.scalar(select(Assessment))
    assert assessment.pass_score == 0 and assessment.required
    bad = client.post(
        f'/teach/assessments/{assessment.id}/scores',
        data={f'score-{a.id}': '15', f'score-{b.id}': '21'},
    )
    assert bad.status_code == 422
    assert db.session.scalar(select(Result.id)) is None
    good = client.post(
        f'/teach/assessments/{assessment.id}/scores',
        data={f'score-{a.id}': '15', f'score-{b.id}': '12,5'},
    )
    assert good.status_code == 302
    assert sorted(db.session.scalars(select(Result.score))) == [Decimal('12.5'), Decimal(15)]


@pytest.mark.parametrize('written', ['1e2', '١٢', '1_000', '0x10', '12.5.1'])
def test_a_score_not_written_with_plain_digits_is_refused_in_words(
    client, login, db, course_room, written
):
    trainer, offering, (a, b, c) = course_room
    assessment = Assessment(offering=offering, title='ტესტი', max_score=1000, pass_score=5)
    db.session.add(assessment)
    login(trainer)
    client.get('/language/en')
    response = client.post(
        f'/teach/assessments/{assessment.id}/scores',
        data={f'score-{a.id}': '15', f'score-{b.id}': written},
    )
    assert response.status_code == 422
    assert 'Write a number with the digits 0–9' in response.text
    assert db.session.scalar(select(Result.id)) is None


@pytest.mark.parametrize('written', ['1e2', '١٢'])
def test_an_assessment_maximum_not_written_with_plain_digits_is_refused(
    client, login, db, course_room, written
):
    trainer, offering, _ = course_room
    login(trainer)
    client.get('/language/en')
    response = client.post(
        f'/teach/offerings/{offering.id}/assessments/new',
        data={'title': 'ტესტი', 'max_score': written, 'pass_score': '0'},
    )
    assert response.status_code == 422
    assert 'Write a number with the digits 0–9' in response.text
    assert db.session.scalar(select(Assessment.id)) is None


def test_completion_page_states_reasons_in_words(client, login, db, course_room):
    trainer, offering, (a, b, c) = course_room
    login(trainer)
    client.post('/language/en')
    page = client.get(f'/teach/offerings/{offering.id}/completion')
    assert page.status_code == 200
    assert 'ანა ბერიძე' in page.text
    assert 'attendance 0% &lt; 80%' in page.text


def test_the_sign_in_sheet_is_a_pdf_with_georgian_names(client, login, course_room):
    trainer, offering, _ = course_room
    login(trainer)
    response = client.get(f'/teach/sessions/{offering.sessions[0].id}/sign-in-sheet.pdf')
    assert response.status_code == 200
    assert response.mimetype == 'application/pdf'

    reader = PdfReader(BytesIO(response.data))
    text = reader.pages[0].extract_text()
    assert 'ანა ბერიძე' in text and 'ნინო წიკლაური' in text
    fonts = {
        f['/BaseFont']
        for f in (
            reader.pages[0]['/Resources']['/Font'][k].get_object()
            for k in reader.pages[0]['/Resources']['/Font']
        )
    }
    assert not any('Helvetica' in f for f in fonts)


@pytest.fixture
def tomorrow(db, create_user, create_offering, create_enrollment):
    """An offering whose first session starts tomorrow, with one participant."""
    trainer = create_user(role='trainer')
    start = datetime.now(UTC) + timedelta(days=1)
    offering = create_offering(
        trainers=[trainer],
        starts_on=start.date(),
        ends_on=start.date() + timedelta(days=2),
        sessions=1,
    )
    offering.sessions[0].starts_at = start
    offering.sessions[0].ends_at = start + timedelta(hours=2)
    enrollment = create_enrollment(offering=offering)
    db.session.commit()
    return trainer, offering.sessions[0], enrollment


def test_a_roster_of_a_session_not_started_asks_before_it_saves(client, login, db, tomorrow):
    trainer, offering_session, enrollment = tomorrow
    login(trainer)
    client.get('/language/en')
    url = f'/teach/sessions/{offering_session.id}/roster'
    assert 'This session has not started yet.' in client.get(url).text
    refused = client.post(url, data={f'status-{enrollment.id}': 'absent'})
    assert refused.status_code == 422
    assert 'Confirm to record a session that has not started.' in refused.text
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    saved = client.post(url, data={f'status-{enrollment.id}': 'present', 'before_start': '1'})
    assert saved.status_code == 302
    assert db.session.scalar(select(Attendance.status)) == 'present'


def test_an_import_for_a_session_not_started_asks_before_it_saves(client, login, db, tomorrow):
    trainer, offering_session, enrollment = tomorrow
    login(trainer)
    url = f'/teach/sessions/{offering_session.id}/import'
    text = f'enrollment_id,status\n{enrollment.id},present\n'
    assert client.post(url, data={'csv_text': text, 'check': '1'}).status_code == 200
    assert client.post(url, data={'csv_text': text, 'apply': '1'}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    done = client.post(url, data={'csv_text': text, 'apply': '1', 'before_start': '1'})
    assert done.status_code == 302
    assert db.session.scalar(select(Attendance.status)) == 'present'
