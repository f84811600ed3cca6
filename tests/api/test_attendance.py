"""Attendance, results and completion through the API (A, T of the offering)."""

from datetime import UTC, datetime, timedelta

import pytest

from lms.models import Assessment, Attendance, Result
from tests.api.helpers import assert_error, audited, count


@pytest.fixture
def roster(db, offering, create_enrollment, create_user):
    """The trainer's offering with two accepted participants and one applicant."""
    accepted = [
        create_enrollment(offering=offering, user=create_user(full_name_ka=n))
        for n in ('ანა ბერიძე', 'ბექა ლომიძე')
    ]
    applicant = create_enrollment(offering=offering, status='applied')
    assessment = Assessment(
        offering=offering, title='საბოლოო პროექტი', max_score=20, pass_score=12, required=True
    )
    db.session.add(assessment)
    db.session.flush()
    return offering, accepted, applicant, assessment


def test_a_trainer_records_a_whole_session(api, trainer, roster):
    offering, (a, b), _, _ = roster
    url = f'/api/v1/sessions/{offering.sessions[0].id}/attendance'
    response = api(
        'PUT',
        url,
        trainer,
        json={
            'records': [
                {'enrollment_id': a.id, 'status': 'present'},
                {'enrollment_id': b.id, 'status': 'late', 'note': 'საცობი'},
            ]
        },
    )
    assert response.status_code == 200
    assert response.json == {'saved': 2}
    records = api('GET', url, trainer).json['records']
    assert [(r['enrollment_id'], r['status'], r['note']) for r in records] == [
        (a.id, 'present', ''),
        (b.id, 'late', 'საცობი'),
    ]
    assert records[0]['recorded_by_id'] == trainer.id
    assert audited().count('attendance.recorded') == 2


def test_one_bad_row_changes_nothing_and_names_each_row(api, trainer, roster):
    offering, (a, b), applicant, _ = roster
    url = f'/api/v1/sessions/{offering.sessions[0].id}/attendance'
    response = api(
        'PUT',
        url,
        trainer,
        json={
            'records': [
                {'enrollment_id': a.id, 'status': 'present'},
                {'enrollment_id': b.id, 'status': 'asleep'},
                {'enrollment_id': applicant.id, 'status': 'present'},
                {'enrollment_id': a.id, 'status': 'late'},
                {'status': 'present'},
                'not a row',
            ]
        },
    )
    error = assert_error(response, 422, 'invalid')
    assert [row['index'] for row in error['rows']] == [1, 2, 3, 4, 5]
    assert set(error['rows'][0]['errors']) == {'status'}
    assert set(error['rows'][3]['errors']) == {'enrollment_id'}
    assert count(Attendance) == 0
    assert 'attendance.recorded' not in audited()


def test_records_must_be_a_list(api, trainer, roster):
    offering, *_ = roster
    response = api(
        'PUT',
        f'/api/v1/sessions/{offering.sessions[0].id}/attendance',
        trainer,
        json={'records': {'enrollment_id': 1}},
    )
    assert_error(response, 422, 'invalid', ['records'])


def test_scores_are_saved_within_the_maximum_or_not_at_all(api, trainer, roster):
    offering, (a, b), _, assessment = roster
    url = f'/api/v1/assessments/{assessment.id}/results'
    too_high = api(
        'PUT',
        url,
        trainer,
        json={
            'records': [
                {'enrollment_id': a.id, 'score': 15},
                {'enrollment_id': b.id, 'score': 20.5},
            ]
        },
    )
    error = assert_error(too_high, 422, 'invalid')
    assert error['rows'][0]['index'] == 1 and set(error['rows'][0]['errors']) == {'score'}
    assert count(Result) == 0
    negative = api('PUT', url, trainer, json={'records': [{'enrollment_id': a.id, 'score': -1}]})
    assert_error(negative, 422, 'invalid')
    ok = api(
        'PUT',
        url,
        trainer,
        json={
            'records': [{'enrollment_id': a.id, 'score': 15}, {'enrollment_id': b.id, 'score': 0}]
        },
    )
    assert ok.json == {'saved': 2}
    assert count(Result) == 2
    assert audited().count('result.recorded') == 2


def test_completion_follows_the_rules(api, trainer, roster):
    offering, (a, b), _, assessment = roster
    for s in offering.sessions:
        api(
            'PUT',
            f'/api/v1/sessions/{s.id}/attendance',
            trainer,
            json={
                'records': [
                    {'enrollment_id': a.id, 'status': 'present'},
                    {'enrollment_id': b.id, 'status': 'excused'},
                ]
            },
        )
    api(
        'PUT',
        f'/api/v1/assessments/{assessment.id}/results',
        trainer,
        json={'records': [{'enrollment_id': a.id, 'score': 12}]},
    )
    response = api(
        'GET',
        f'/api/v1/offerings/{offering.id}/completion',
        trainer,
        headers={'Accept-Language': 'en'},
    )
    assert response.status_code == 200
    items = {i['enrollment_id']: i for i in response.json['items']}
    assert set(items) == {a.id, b.id}
    assert items[a.id] == {
        'enrollment_id': a.id,
        'user_id': a.user_id,
        'attendance_pct': 100.0,
        'attendance_so_far_pct': 100.0,
        'offering_over': True,
        'standing': 'eligible',
        'assessments_passed': 1,
        'eligible': True,
        'reasons': [],
        'certificate_serial': None,
    }
    assert items[b.id]['eligible'] is False
    assert items[b.id]['reasons'] == [
        'attendance 0% < 80%',
        "assessment 'საბოლოო პროექტი' not passed (no score yet)",
    ]


def test_sessions_not_started_count_only_in_the_final_figure(api, trainer, roster):
    """4 h attended, 2 h still to come: 100% so far, 66.7% of all, on track."""
    offering, (a, b), _, _ = roster
    future = datetime.now(UTC) + timedelta(days=3)
    offering.sessions[1].starts_at = future
    offering.sessions[1].ends_at = future + timedelta(hours=2)
    api(
        'PUT',
        f'/api/v1/sessions/{offering.sessions[0].id}/attendance',
        trainer,
        json={'records': [{'enrollment_id': a.id, 'status': 'late'}]},
    )
    items = api('GET', f'/api/v1/offerings/{offering.id}/completion', trainer).json['items']
    mine = next(i for i in items if i['enrollment_id'] == a.id)
    assert (mine['attendance_so_far_pct'], mine['attendance_pct']) == (100.0, 66.7)
    assert (mine['offering_over'], mine['standing'], mine['eligible']) == (False, 'on_track', False)
    other = next(i for i in items if i['enrollment_id'] == b.id)
    assert other['standing'] == 'at_risk'


ENDPOINTS = [
    ('PUT', '/api/v1/sessions/{session}/attendance', {'records': []}),
    ('GET', '/api/v1/sessions/{session}/attendance', None),
    ('PUT', '/api/v1/assessments/{assessment}/results', {'records': []}),
    ('GET', '/api/v1/offerings/{offering}/completion', None),
]


@pytest.mark.parametrize(('method', 'template', 'body'), ENDPOINTS)
@pytest.mark.parametrize(
    ('who', 'status'),
    [
        ('admin', 200),
        ('trainer', 200),
        ('other_trainer', 403),
        ('participant', 403),
        ('nobody', 401),
    ],
)
def test_who_may_call(
    api, roster, admin, trainer, create_user, method, template, body, who, status
):
    offering, (a, _), _, assessment = roster
    people = {
        'admin': admin,
        'trainer': trainer,
        'other_trainer': create_user(role='trainer'),
        'participant': a.user,
        'nobody': None,
    }
    url = template.format(
        session=offering.sessions[0].id, assessment=assessment.id, offering=offering.id
    )
    response = api(method, url, people[who], json=body)
    if status == 200:
        assert response.status_code == 200
    else:
        assert_error(response, status, {401: 'unauthorized', 403: 'forbidden'}[status])


@pytest.mark.parametrize(
    ('method', 'url'),
    [
        ('PUT', '/api/v1/sessions/999999/attendance'),
        ('GET', '/api/v1/sessions/999999/attendance'),
        ('PUT', '/api/v1/assessments/999999/results'),
        ('GET', '/api/v1/offerings/999999/completion'),
    ],
)
def test_unknown_ids_answer_404(api, admin, method, url):
    assert_error(api(method, url, admin, json={'records': []}), 404, 'not_found')
