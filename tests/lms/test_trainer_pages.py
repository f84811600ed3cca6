from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

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
