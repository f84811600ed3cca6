"""Who may call what: a sweep over every API endpoint, and the role table of API.md."""

from datetime import date, timedelta

import pytest
from flask import url_for

from lms.api.auth import PUBLIC_ENDPOINTS
from tests.api.helpers import assert_error


def _api_rules(app):
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith('api.') and rule.endpoint not in PUBLIC_ENDPOINTS
        for method in sorted(rule.methods - {'HEAD', 'OPTIONS'})
    ]


def _url(app, rule):
    with app.test_request_context():
        return url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1))


def test_every_api_endpoint_but_the_description_needs_a_token(app, api):
    rules = _api_rules(app)
    assert len(rules) >= 10
    for rule, method in rules:
        assert_error(api(method, _url(app, rule), json={}), 401, 'unauthorized')


def test_a_logged_in_browser_gets_401_from_every_api_endpoint(app, api, login, create_user):
    login(create_user(role='admin'))
    for rule, method in _api_rules(app):
        assert_error(api(method, _url(app, rule), json={}), 401, 'unauthorized')


def test_the_public_endpoints_are_the_description_verification_and_the_figures():
    """Anyone may read the API's description, verify a certificate and read the academy's
    figures; nothing else."""
    assert sorted(PUBLIC_ENDPOINTS) == ['api.openapi', 'api.stats', 'api.verify', 'api.verify_pdf']


@pytest.fixture
def world(create_user, create_offering, create_enrollment, create_course):
    """Everyone of API.md's table, and an offering taught by `trainer_of_offering`."""
    people = {
        'admin': create_user(role='admin'),
        'trainer_of_offering': create_user(role='trainer'),
        'other_trainer': create_user(role='trainer'),
        'participant': create_user(role='participant'),
        'other_participant': create_user(role='participant'),
    }
    soon = date.today() + timedelta(days=30)  # still taking applications
    offering = create_offering(
        trainers=[people['trainer_of_offering']],
        sessions=0,
        starts_on=soon,
        ends_on=soon + timedelta(days=1),
    )
    enrollment = create_enrollment(
        offering=offering, user=people['other_participant'], status='applied'
    )
    return {**people, 'offering': offering, 'enrollment': enrollment, 'course': create_course()}


def _request(name, world):
    offering, enrollment = world['offering'], world['enrollment']
    n = id(world)  # keeps unique values unique across parametrized runs
    return {
        'me': ('GET', '/api/v1/me', None),
        'list organizations': ('GET', '/api/v1/organizations', None),
        'create organization': (
            'POST',
            '/api/v1/organizations',
            {'name_ka': f'ორგ {n}', 'name_en': 'Org', 'kind': 'cso'},
        ),
        'create user': (
            'POST',
            '/api/v1/users',
            {'email': f'new{n}@example.ge', 'full_name_ka': 'ახალი'},
        ),
        'create course': (
            'POST',
            '/api/v1/courses',
            {'code': f'N-{n}', 'title_ka': 'კ', 'title_en': 'C', 'kind': 'seminar', 'hours': 4},
        ),
        'create offering': (
            'POST',
            '/api/v1/offerings',
            {
                'course_id': world['course'].id,
                'starts_on': '2026-06-01',
                'ends_on': '2026-06-01',
                'location': 'ბათუმი',
            },
        ),
        'create session': (
            'POST',
            f'/api/v1/offerings/{offering.id}/sessions',
            {
                'starts_at': f'{offering.starts_on}T10:00+04:00',
                'ends_at': f'{offering.starts_on}T12:00+04:00',
            },
        ),
        'create assessment': (
            'POST',
            f'/api/v1/offerings/{offering.id}/assessments',
            {'title': 'ტესტი', 'max_score': 10, 'pass_score': 6},
        ),
        'enroll without user_id': ('POST', f'/api/v1/offerings/{offering.id}/enrollments', {}),
        'enroll the participant': (
            'POST',
            f'/api/v1/offerings/{offering.id}/enrollments',
            {'user_id': world['participant'].id},
        ),
        'decide enrollment': (
            'PATCH',
            f'/api/v1/enrollments/{enrollment.id}',
            {'status': 'accepted'},
        ),
    }[name]


WHO = ('admin', 'trainer_of_offering', 'other_trainer', 'participant', 'other_participant')
#: API.md's "who" column: the status each caller gets. Without a user_id a participant
#: applies for themselves (`other_participant` is already enrolled); an admin must say whom.
TABLE = {
    'me': (200, 200, 200, 200, 200),
    'list organizations': (200, 403, 403, 403, 403),
    'create organization': (201, 403, 403, 403, 403),
    'create user': (201, 403, 403, 403, 403),
    'create course': (201, 403, 403, 403, 403),
    'create offering': (201, 403, 403, 403, 403),
    'create session': (201, 201, 403, 403, 403),
    'create assessment': (201, 201, 403, 403, 403),
    'enroll without user_id': (422, 403, 403, 201, 409),
    'enroll the participant': (201, 403, 403, 201, 403),
    'decide enrollment': (200, 403, 403, 403, 403),
}


@pytest.mark.parametrize(
    ('endpoint', 'who', 'status'),
    [
        (endpoint, who, status)
        for endpoint, row in TABLE.items()
        for who, status in zip(WHO, row, strict=True)
    ],
)
def test_who_may_call_what(api, world, endpoint, who, status):
    method, url, body = _request(endpoint, world)

    response = api(method, url, world[who], json=body)

    if status < 400:
        assert response.status_code == status, response.json
    else:
        code = {403: 'forbidden', 409: 'conflict', 422: 'invalid'}[status]
        assert_error(response, status, code, fields={'user_id'} if status != 403 else ())
