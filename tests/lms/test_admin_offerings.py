"""The admin's offering pages: list, the offering page, its form, sessions and assessments."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from lms.models import Assessment, Attendance, AuditEntry, Offering, OfferingSession
from tests.statements import statements_of_page


@pytest.fixture
def admin(create_user, login):
    return login(create_user(role='admin'))


@pytest.fixture
def english(client):
    """UI words in English: some assertions quote them, and Georgian ones are added later.

    Set before the first request: the tests share one app context, where Babel keeps the
    locale it chose.
    """
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def audited(db, action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def offering_data(course, **overrides):
    return {
        'course_id': str(course.id),
        'starts_on': '2026-05-04',
        'ends_on': '2026-05-06',
        'location': 'ზუგდიდი, საკრებულოს სხდომათა დარბაზი',
        'municipality_id': '',
        'format': 'in_person',
        'capacity': '20',
        'applications_open_on': '2026-04-01',
        'applications_close_on': '2026-04-20',
        'status': 'published',
        **overrides,
    }


def test_the_list_searches_filters_by_year_and_has_pages(
    client, admin, create_course, create_offering, app, db
):
    budget = create_course(title_ka='სამოქალაქო ბიუჯეტი')
    create_offering(course=budget, starts_on=date(2019, 5, 1), ends_on=date(2019, 5, 2))
    for n in range(app.config['PER_PAGE'] + 1):
        create_offering(
            location=f'ბათუმი {n}', starts_on=date(2024, 1, 1), ends_on=date(2024, 1, 2)
        )
    db.session.commit()

    assert 'სამოქალაქო ბიუჯეტი' in client.get('/admin/offerings', query_string={'page': 2}).text
    found = client.get('/admin/offerings', query_string={'q': 'ბიუჯეტ'}).text
    assert 'სამოქალაქო ბიუჯეტი' in found and 'ბათუმი' not in found
    by_year = client.get('/admin/offerings', query_string={'year': 2019}).text
    assert 'სამოქალაქო ბიუჯეტი' in by_year and 'ბათუმი' not in by_year
    assert '<option value="2019">2019</option>' in client.get('/admin/offerings').text


def test_the_list_takes_as_many_statements_for_many_hosts_as_for_two(
    client, db, admin, create_offering, create_organization
):
    """The host municipalities come with their offerings, not one query each."""

    def host(n):
        for _ in range(n):
            create_offering(municipality=create_organization(kind='municipality'))
        db.session.commit()

    host(2)
    few = statements_of_page(client, '/admin/offerings')
    host(8)
    assert statements_of_page(client, '/admin/offerings') == few


@pytest.fixture
def full_offering(create_user, create_offering, create_enrollment, create_organization, db):
    host = create_organization(
        kind='municipality', name_ka='ზუგდიდის მუნიციპალიტეტი', name_en='Zugdidi Municipality'
    )
    trainer = create_user(role='trainer', full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze')
    offering = create_offering(trainers=[trainer], municipality=host, capacity=2)
    offering.assessments.append(
        Assessment(title='საბოლოო პროექტი', max_score=100, pass_score=60, required=True)
    )
    for status, ka, en in [
        ('accepted', 'გიორგი მაისურაძე', 'Giorgi Maisuradze'),
        ('applied', 'ქეთევან წიკლაური', 'Ketevan Tsiklauri'),
        ('applied', 'ანა კაპანაძე', 'Ana Kapanadze'),
    ]:
        create_enrollment(offering, create_user(full_name_ka=ka, full_name_en=en), status)
    db.session.commit()
    return offering


def test_the_offering_page_shows_everything_in_georgian(client, admin, full_offering):
    page = client.get(f'/admin/offerings/{full_offering.id}').text
    for text in [
        full_offering.course.title_ka,
        'ქუთაისი, საკრებულოს დარბაზი',
        'ზუგდიდის მუნიციპალიტეტი',
        'ნინო ბერიძე',
        'თემა 1',
        'საბოლოო პროექტი',
        'გიორგი მაისურაძე',
        'ქეთევან წიკლაური',
    ]:
        assert text in page, text


def test_the_offering_page_leads_to_its_completion_view(client, admin, full_offering):
    page = client.get(f'/admin/offerings/{full_offering.id}').text
    completion = f'/teach/offerings/{full_offering.id}/completion'

    assert f'href="{completion}"' in page
    assert client.get(completion).status_code == 200


def test_the_offering_page_shows_hours_and_enrollments_by_status(
    client, admin, full_offering, english
):
    page = client.get(f'/admin/offerings/{full_offering.id}').text
    for text in [
        full_offering.course.title_en,
        'Zugdidi Municipality',
        'Nino Beridze',
        'In person',
        'Total: 8 hours',
        'id="status-applied">Applied (2)',
        'id="status-accepted">Accepted (1)',
        '1 of 2 places taken',
        'Ketevan Tsiklauri',
    ]:
        assert text in page, text


def test_session_times_are_shown_in_tbilisi_time(client, admin, create_offering, db):
    offering = create_offering(sessions=0)
    offering.sessions.append(
        OfferingSession(
            starts_at=datetime(2026, 3, 2, 6, 0, tzinfo=UTC),
            ends_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        )
    )
    db.session.commit()
    page = client.get(f'/admin/offerings/{offering.id}').text
    assert '10:00–13:30' in page


def test_creating_an_offering_saves_it_with_trainers_and_audits(
    client, admin, create_course, create_user, create_organization, db
):
    course = create_course()
    host = create_organization(kind='municipality')
    trainers = [create_user(role='trainer'), create_user(role='trainer')]
    db.session.commit()
    form = client.get('/admin/offerings/new', query_string={'course_id': course.id}).text
    assert f'<option selected value="{course.id}">' in form

    data = offering_data(course, municipality_id=str(host.id))
    data['trainer_ids'] = [str(t.id) for t in trainers]
    response = client.post('/admin/offerings/new', data=data)
    assert response.status_code == 302
    offering = db.session.scalar(select(Offering))
    assert response.headers['Location'] == f'/admin/offerings/{offering.id}'
    assert offering.location == 'ზუგდიდი, საკრებულოს სხდომათა დარბაზი'
    assert offering.municipality is host
    assert offering.capacity == 20
    assert sorted(t.id for t in offering.trainers) == sorted(t.id for t in trainers)
    assert audited(db, 'offering.created')[0].actor_id == admin.id


def test_editing_an_offering_keeps_a_trainer_who_is_no_longer_a_trainer(
    client, admin, create_user, create_offering, db
):
    former = create_user(role='trainer')
    offering = create_offering(trainers=[former], sessions=0)
    former.role = 'admin'
    db.session.commit()
    form = client.get(f'/admin/offerings/{offering.id}/edit').text
    assert f'<option selected value="{former.id}">' in form

    data = offering_data(offering.course, location='თელავი', trainer_ids=[str(former.id)])
    assert client.post(f'/admin/offerings/{offering.id}/edit', data=data).status_code == 302
    db.session.refresh(offering)
    assert offering.location == 'თელავი' and offering.trainers == [former]
    entry = audited(db, 'offering.updated')[0]
    assert entry.data['before']['location'] == 'ქუთაისი, საკრებულოს დარბაზი'


@pytest.mark.parametrize(
    ('field', 'value', 'message'),
    [
        ('ends_on', '2026-05-01', 'The end cannot come before the start.'),
        ('applications_close_on', '2026-03-01', 'Applications cannot close before they open.'),
        ('capacity', '0', None),
        ('starts_on', 'soon', None),
        ('location', '', None),
    ],
)
def test_bad_offering_values_are_shown_next_to_the_field(
    client, admin, create_course, db, field, value, message, english
):
    course = create_course()
    db.session.commit()
    response = client.post('/admin/offerings/new', data=offering_data(course, **{field: value}))
    assert response.status_code == 422
    assert _invalid(response.text, field, message)
    assert count(db, Offering) == 0


def test_a_host_must_be_a_municipality(client, admin, create_course, create_organization, db):
    course = create_course()
    cso = create_organization(kind='cso')
    db.session.commit()
    data = offering_data(course, municipality_id=str(cso.id))
    response = client.post('/admin/offerings/new', data=data)
    assert response.status_code == 422  # not among the choices: only municipalities are offered
    assert count(db, Offering) == 0


def test_adding_a_session_converts_tbilisi_time_to_utc(client, admin, create_offering, db):
    offering = create_offering(sessions=0)
    db.session.commit()
    response = client.post(
        f'/admin/offerings/{offering.id}/sessions/new',
        data={'day': '2026-03-02', 'starts_at': '10:00', 'ends_at': '13:30', 'topic': 'შესავალი'},
    )
    assert response.status_code == 302
    offering_session = db.session.scalar(select(OfferingSession))
    assert offering_session.starts_at == datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert offering_session.ends_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert offering_session.hours == 3.5
    assert offering_session.topic == 'შესავალი'
    assert len(audited(db, 'session.created')) == 1


def test_a_session_that_ends_before_it_starts_is_refused_next_to_the_end(
    client, admin, create_offering, db, english
):
    offering = create_offering(sessions=0)
    db.session.commit()
    response = client.post(
        f'/admin/offerings/{offering.id}/sessions/new',
        data={'day': '2026-03-02', 'starts_at': '14:00', 'ends_at': '10:00', 'topic': ''},
    )
    assert response.status_code == 422
    assert _invalid(response.text, 'ends_at', 'The end must come after the start.')
    assert count(db, OfferingSession) == 0


def test_editing_a_session_shows_and_saves_local_times(client, admin, create_offering, db):
    offering = create_offering()  # sessions at 06:00-10:00 UTC: 10:00-14:00 in Tbilisi
    offering_session = offering.sessions[0]
    db.session.commit()
    url = f'/admin/sessions/{offering_session.id}/edit'
    form = client.get(url).text
    assert 'value="10:00"' in form and 'value="14:00"' in form and 'value="2026-03-02"' in form

    data = {'day': '2026-03-02', 'starts_at': '09:00', 'ends_at': '12:00', 'topic': 'ახალი'}
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(offering_session)
    assert offering_session.starts_at == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert offering_session.topic == 'ახალი'
    assert len(audited(db, 'session.updated')) == 1


def test_deleting_a_session_asks_first_and_then_deletes(
    client, admin, create_offering, create_enrollment, db, english
):
    offering = create_offering()
    enrollment = create_enrollment(offering)
    offering_session = offering.sessions[0]
    db.session.add(
        Attendance(offering_session=offering_session, enrollment=enrollment, status='present')
    )
    db.session.commit()
    url = f'/admin/sessions/{offering_session.id}/delete'

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'Delete this session?' in confirm.text
    assert 'Attendance was recorded for this session (1 people)' in confirm.text
    assert count(db, OfferingSession) == 2

    response = client.post(url)
    assert response.status_code == 302
    assert count(db, OfferingSession) == 1
    assert len(audited(db, 'session.deleted')) == 1


def test_the_offering_page_links_to_the_delete_confirmation(client, admin, create_offering, db):
    offering = create_offering()
    db.session.commit()
    page = client.get(f'/admin/offerings/{offering.id}').text
    assert f'href="/admin/sessions/{offering.sessions[0].id}/delete"' in page


def test_adding_an_assessment(client, admin, create_offering, db):
    offering = create_offering()
    db.session.commit()
    data = {'title': 'საბოლოო ტესტი', 'max_score': '20', 'pass_score': '12', 'required': 'y'}
    response = client.post(f'/admin/offerings/{offering.id}/assessments/new', data=data)
    assert response.status_code == 302
    assessment = db.session.scalar(select(Assessment))
    assert (assessment.title, assessment.max_score, assessment.required) == (
        'საბოლოო ტესტი',
        20,
        True,
    )
    assert len(audited(db, 'assessment.created')) == 1
    assert 'საბოლოო ტესტი' in client.get(f'/admin/offerings/{offering.id}').text


def test_a_pass_score_above_the_maximum_is_refused(client, admin, create_offering, db, english):
    offering = create_offering()
    db.session.commit()
    data = {'title': 'ტესტი', 'max_score': '20', 'pass_score': '25'}
    response = client.post(f'/admin/offerings/{offering.id}/assessments/new', data=data)
    assert response.status_code == 422
    assert _invalid(response.text, 'pass_score', 'The pass score cannot exceed the maximum.')
    assert count(db, Assessment) == 0


def _invalid(page, field, message=None):
    """The input named `field` is marked invalid, and `message` follows it."""
    start = page.rindex('<', 0, page.index(f'name="{field}"'))
    rest = page[start:]
    feedback = rest.find('invalid-feedback')
    return (
        'is-invalid' in rest[: rest.index('>')]
        and feedback != -1
        and (message is None or message in rest[feedback : feedback + 300])
    )
