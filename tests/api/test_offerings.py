"""Offerings (A), and the sessions and assessments of an offering (A and its trainers)."""

import pytest

from lms.catalogue.service import update_offering
from lms.errors import Invalid
from lms.models import Assessment, Offering, OfferingSession
from tests.api.helpers import assert_error, audited, count


@pytest.fixture
def course(create_course):
    return create_course()


@pytest.fixture
def kutaisi(create_organization):
    return create_organization(kind='municipality', name_ka='ქუთაისი', name_en='Kutaisi')


@pytest.fixture
def body(course):
    return {
        'course_id': course.id,
        'starts_on': '2026-03-02',
        'ends_on': '2026-03-03',
        'location': 'ქუთაისი, საკრებულოს დარბაზი',
        'location_en': 'Kutaisi, City Council hall',
    }


def test_an_admin_creates_an_offering_with_trainers_and_a_host(api, admin, trainer, body, kutaisi):
    extra = {'municipality_id': kutaisi.id, 'capacity': 25, 'trainer_ids': [trainer.id, admin.id]}

    response = api('POST', '/api/v1/offerings', admin, json={**body, **extra})

    assert response.status_code == 201
    offering = Offering.query.one()
    assert response.get_json() == {
        **body,
        'id': offering.id,
        'municipality_id': kutaisi.id,
        'capacity': 25,
        'format': 'in_person',
        'status': 'published',
        'applications_open_on': None,
        'applications_close_on': None,
        'trainer_ids': sorted(t.id for t in offering.trainers),
    }
    assert {t.id for t in offering.trainers} == {trainer.id, admin.id}
    assert audited() == ['offering.created']


def test_an_offering_may_last_one_day_and_need_no_trainers_yet(api, admin, body):
    response = api('POST', '/api/v1/offerings', admin, json={**body, 'ends_on': body['starts_on']})

    assert response.status_code == 201
    assert response.get_json()['trainer_ids'] == []


@pytest.mark.parametrize(
    ('who', 'status', 'code'),
    [
        (None, 401, 'unauthorized'),
        ('participant', 403, 'forbidden'),
        ('trainer', 403, 'forbidden'),
    ],
)
def test_only_admins_create_offerings(api, create_user, body, who, status, code):
    caller = create_user(role=who) if who else None

    assert_error(api('POST', '/api/v1/offerings', caller, json=body), status, code)
    assert count(Offering) == 0


@pytest.mark.parametrize(
    ('changes', 'fields'),
    [
        (
            {'course_id': None, 'starts_on': None, 'ends_on': None, 'location': None},
            {'course_id', 'starts_on', 'ends_on', 'location'},
        ),
        ({'ends_on': '2026-03-01'}, {'ends_on'}),
        ({'course_id': 9999}, {'course_id'}),
        ({'course_id': '1; drop table courses'}, {'course_id'}),
        ({'course_id': 2**31}, {'course_id'}),
        ({'municipality_id': 9999}, {'municipality_id'}),
        ({'municipality_id': 'cso'}, {'municipality_id'}),
        ({'trainer_ids': [9999]}, {'trainer_ids'}),
        ({'trainer_ids': 'participant'}, {'trainer_ids'}),
        ({'trainer_ids': [True]}, {'trainer_ids'}),
        ({'trainer_ids': {'id': 1}}, {'trainer_ids'}),
        ({'starts_on': '02.03.2026'}, {'starts_on'}),
        ({'starts_on': '2026-02-30'}, {'starts_on'}),
        ({'starts_on': '2026-W10-1'}, {'starts_on'}),
        ({'starts_on': '2026-03-02T10:00:00+04:00'}, {'starts_on'}),
        ({'starts_on': 20260302}, {'starts_on'}),
        ({'location': 'ქ' * 301}, {'location'}),
        ({'capacity': 0}, {'capacity'}),
        ({'capacity': True}, {'capacity'}),
        ({'capacity': 2.5}, {'capacity'}),
        ({'format': 'carrier pigeon'}, {'format'}),
        ({'status': 'open'}, {'status'}),
        (
            {'applications_open_on': '2026-02-01', 'applications_close_on': '2026-01-01'},
            {'applications_close_on'},
        ),
    ],
)
def test_invalid_offerings_are_422_naming_each_field_and_save_nothing(
    api, admin, body, changes, fields
):
    response = api('POST', '/api/v1/offerings', admin, json={**body, **changes})

    assert_error(response, 422, 'invalid', fields=fields)
    assert count(Offering) == 0
    assert audited() == []


def test_the_host_must_be_a_municipality_and_trainers_must_be_trainers(
    api, admin, body, create_organization, participant
):
    cso = create_organization(kind='cso')

    response = api(
        'POST',
        '/api/v1/offerings',
        admin,
        json={**body, 'municipality_id': cso.id, 'trainer_ids': [participant.id]},
    )

    assert_error(response, 422, 'invalid', fields={'municipality_id', 'trainer_ids'})
    assert count(Offering) == 0


# Sessions ---------------------------------------------------------------------------------

SESSION = {
    'starts_at': '2026-03-02T10:00:00+04:00',
    'ends_at': '2026-03-02T13:30:00+04:00',
    'topic': 'საჯარო განხილვები',
}


def _sessions_url(offering):
    return f'/api/v1/offerings/{offering.id}/sessions'


@pytest.mark.parametrize('who', ['admin', 'trainer'])
def test_an_admin_or_a_trainer_of_the_offering_adds_a_session_with_its_hours(
    api, admin, trainer, create_offering, who
):
    offering = create_offering(trainers=[trainer], sessions=0)

    response = api(
        'POST', _sessions_url(offering), {'admin': admin, 'trainer': trainer}[who], json=SESSION
    )

    assert response.status_code == 201
    offering_session = OfferingSession.query.one()
    assert response.get_json() == {
        'id': offering_session.id,
        'offering_id': offering.id,
        'starts_at': '2026-03-02T06:00:00+00:00',
        'ends_at': '2026-03-02T09:30:00+00:00',
        'topic': 'საჯარო განხილვები',
        'hours': 3.5,
    }
    assert audited() == ['session.created']


@pytest.mark.parametrize(
    ('who', 'status', 'code'),
    [
        (None, 401, 'unauthorized'),
        ('participant', 403, 'forbidden'),
        ('other_trainer', 403, 'forbidden'),
    ],
)
def test_others_may_not_add_sessions(api, create_user, create_offering, trainer, who, status, code):
    offering = create_offering(trainers=[trainer], sessions=0)
    caller = {'participant': create_user, 'other_trainer': lambda: create_user(role='trainer')}
    caller = caller[who]() if who else None

    assert_error(api('POST', _sessions_url(offering), caller, json=SESSION), status, code)
    assert count(OfferingSession) == 0


@pytest.mark.parametrize('offering_id', [9999, 2**31, 10**30])
def test_a_session_of_an_unknown_offering_is_404(api, admin, offering_id):
    response = api('POST', f'/api/v1/offerings/{offering_id}/sessions', admin, json=SESSION)

    assert_error(response, 404, 'not_found')
    assert count(OfferingSession) == 0


@pytest.mark.parametrize(
    ('changes', 'fields'),
    [
        ({'starts_at': None, 'ends_at': None}, {'starts_at', 'ends_at'}),
        ({'ends_at': '2026-03-02T09:00:00+04:00'}, {'ends_at'}),
        ({'ends_at': SESSION['starts_at']}, {'ends_at'}),
        ({'ends_at': '2026-03-03T11:00:00+04:00'}, {'ends_at'}),
        ({'starts_at': '2026-03-02T10:00:00'}, {'starts_at'}),
        ({'starts_at': '2026-03-02'}, {'starts_at'}),
        ({'starts_at': 'tomorrow morning'}, {'starts_at'}),
        ({'starts_at': 1772431200}, {'starts_at'}),
        ({'starts_at': '0001-01-01T00:00:00+04:00'}, {'starts_at'}),
        ({'topic': 'თ' * 301}, {'topic'}),
        ({'topic': ['a', 'b']}, {'topic'}),
        # The offering runs 2 and 3 March 2026 (Tbilisi): a session must fall within.
        (
            {'starts_at': '2026-03-05T10:00:00+04:00', 'ends_at': '2026-03-05T12:00:00+04:00'},
            {'starts_at'},
        ),
        (
            {'starts_at': '2026-03-01T10:00:00+04:00', 'ends_at': '2026-03-01T12:00:00+04:00'},
            {'starts_at'},
        ),
        (
            {'starts_at': '2026-03-03T22:00:00+04:00', 'ends_at': '2026-03-04T01:00:00+04:00'},
            {'ends_at'},
        ),
        # 23:30 UTC on 1 March is already 2 March in Tbilisi: inside.
    ],
)
def test_invalid_sessions_are_422_naming_each_field_and_save_nothing(
    api, admin, create_offering, changes, fields
):
    offering = create_offering(sessions=0)

    response = api('POST', _sessions_url(offering), admin, json={**SESSION, **changes})

    assert_error(response, 422, 'invalid', fields=fields)
    assert count(OfferingSession) == 0
    assert audited() == []


def test_a_session_outside_its_offering_says_when_the_offering_runs(api, admin, create_offering):
    offering = create_offering(sessions=0)
    response = api(
        'POST',
        _sessions_url(offering),
        admin,
        json={'starts_at': '2026-04-01T10:00:00+04:00', 'ends_at': '2026-04-01T12:00:00+04:00'},
        headers={'Accept-Language': 'en'},
    )
    error = assert_error(response, 422, 'invalid', fields={'starts_at'})
    assert error['fields']['starts_at'] == 'The offering runs 2–3 March 2026: the session must too.'


def test_a_session_late_in_the_utc_evening_before_is_on_the_first_day_in_tbilisi(
    api, admin, create_offering
):
    offering = create_offering(sessions=0)
    response = api(
        'POST',
        _sessions_url(offering),
        admin,
        json={'starts_at': '2026-03-01T21:30:00Z', 'ends_at': '2026-03-01T23:00:00Z'},
    )
    assert response.status_code == 201


def test_an_offering_cannot_move_away_from_its_sessions(api, admin, create_offering):
    offering = create_offering()  # sessions on 2 and 3 March 2026
    body = {
        'course_id': offering.course_id,
        'starts_on': '2026-04-02',
        'ends_on': '2026-04-03',
        'location': offering.location,
    }
    with pytest.raises(Invalid) as refused:
        update_offering(offering, body, actor=admin)
    assert set(refused.value.fields) == {'starts_on'}


@pytest.mark.parametrize(
    ('window', 'field'),
    [
        ({'applications_close_on': '2026-03-04'}, 'applications_close_on'),
        ({'applications_open_on': '2026-03-10'}, 'applications_open_on'),
    ],
)
def test_an_application_window_cannot_close_or_open_after_the_event(
    api, admin, body, window, field
):
    response = api('POST', '/api/v1/offerings', admin, json={**body, **window})
    assert_error(response, 422, 'invalid', fields={field})
    assert count(Offering) == 0


def test_a_session_may_be_given_in_utc_with_z(api, admin, create_offering):
    offering = create_offering(sessions=0)

    response = api(
        'POST',
        _sessions_url(offering),
        admin,
        json={'starts_at': '2026-03-02T06:00:00Z', 'ends_at': '2026-03-02T08:15:00Z'},
    )

    assert response.status_code == 201
    assert response.get_json()['hours'] == 2.25
    assert response.get_json()['topic'] == ''


# Assessments ------------------------------------------------------------------------------

ASSESSMENT = {'title': 'საბოლოო პროექტი', 'max_score': 100, 'pass_score': 60, 'required': True}


def _assessments_url(offering):
    return f'/api/v1/offerings/{offering.id}/assessments'


@pytest.mark.parametrize('who', ['admin', 'trainer'])
def test_an_admin_or_a_trainer_of_the_offering_adds_an_assessment(
    api, admin, trainer, offering, who
):
    caller = {'admin': admin, 'trainer': trainer}[who]

    response = api('POST', _assessments_url(offering), caller, json=ASSESSMENT)

    assert response.status_code == 201
    assessment = Assessment.query.one()
    assert response.get_json() == {**ASSESSMENT, 'id': assessment.id, 'offering_id': offering.id}
    assert audited() == ['assessment.created']


def test_an_assessment_is_required_unless_said_otherwise_and_may_pass_at_the_maximum(
    api, admin, offering
):
    body = {'title': 'Quiz', 'max_score': 10.5, 'pass_score': 10.5}

    response = api('POST', _assessments_url(offering), admin, json=body)

    assert response.status_code == 201
    assert response.get_json()['required'] is True
    assert response.get_json()['pass_score'] == 10.5


@pytest.mark.parametrize(
    ('who', 'status', 'code'),
    [
        (None, 401, 'unauthorized'),
        ('participant', 403, 'forbidden'),
        ('other_trainer', 403, 'forbidden'),
    ],
)
def test_others_may_not_add_assessments(api, create_user, offering, who, status, code):
    caller = {'participant': create_user, 'other_trainer': lambda: create_user(role='trainer')}
    caller = caller[who]() if who else None

    assert_error(api('POST', _assessments_url(offering), caller, json=ASSESSMENT), status, code)
    assert count(Assessment) == 0


def test_an_assessment_of_an_unknown_offering_is_404(api, admin):
    response = api('POST', '/api/v1/offerings/9999/assessments', admin, json=ASSESSMENT)

    assert_error(response, 404, 'not_found')


@pytest.mark.parametrize(
    ('changes', 'fields'),
    [
        (
            {'title': None, 'max_score': None, 'pass_score': None},
            {'title', 'max_score', 'pass_score'},
        ),
        ({'pass_score': 101}, {'pass_score'}),
        ({'max_score': 0, 'pass_score': 0}, {'max_score'}),
        ({'pass_score': -1}, {'pass_score'}),
        ({'max_score': 'a hundred'}, {'max_score'}),
        ({'max_score': True}, {'max_score'}),
        ({'max_score': 10**6}, {'max_score'}),
        ({'title': 'x' * 201}, {'title'}),
        ({'required': 'maybe'}, {'required'}),
        ({'required': None, 'title': {}}, {'title'}),
    ],
)
def test_invalid_assessments_are_422_naming_each_field_and_save_nothing(
    api, admin, offering, changes, fields
):
    response = api('POST', _assessments_url(offering), admin, json={**ASSESSMENT, **changes})

    assert_error(response, 422, 'invalid', fields=fields)
    assert count(Assessment) == 0
    assert audited() == []


def test_an_offering_without_an_english_place_answers_an_empty_one(api, admin, body):
    del body['location_en']
    response = api('POST', '/api/v1/offerings', admin, json=body)
    assert response.status_code == 201
    assert response.json['location_en'] == ''
