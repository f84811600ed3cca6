"""The error envelope for what a client can get wrong, and no 500 for anything it can send."""

import json

import pytest

from lms.models import Course, Enrollment, Offering, OfferingSession, Organization, User
from tests.api.helpers import assert_envelope, assert_error, audited, count

COURSE = {
    'code': 'CB-101',
    'title_ka': 'კურსი',
    'title_en': 'Course',
    'kind': 'training',
    'hours': 16,
}


@pytest.mark.parametrize(
    'raw',
    [
        b'{',
        b'{"code": "CB-101",}',
        b"{'code': 'CB-101'}",
        b'code=CB-101&kind=training',
        b'{"hours": NaN}',
        b'{"hours": Infinity}',
        b'{"hours": -Infinity}',
        b'\xff\xfe\x00garbage',
        b'{"title_ka": "\xe1\x83"}',
        b'[' * 100_000 + b']' * 100_000,
        b'{"a":' * 50_000 + b'1' + b'}' * 50_000,
        b'{"hours": 1' + b'0' * 5000 + b'}',
    ],
    ids=lambda raw: raw[:20].decode('latin-1'),
)
def test_a_body_that_is_not_json_is_400(api, admin, raw):
    response = api('POST', '/api/v1/courses', admin, data=raw, content_type='application/json')

    assert_error(response, 400, 'bad_request')
    assert count(Course) == 0


@pytest.mark.parametrize(
    'raw', [b'[]', b'[{"code": "CB-101"}]', b'"CB-101"', b'42', b'null', b'true']
)
def test_json_that_is_not_an_object_is_422(api, admin, raw):
    response = api('POST', '/api/v1/courses', admin, data=raw, content_type='application/json')

    assert_error(response, 422, 'invalid')
    assert count(Course) == 0


def test_an_empty_body_is_422_naming_the_required_fields(api, admin):
    response = api('POST', '/api/v1/courses', admin)

    assert_error(response, 422, 'invalid', fields={'code', 'title_ka', 'title_en', 'kind', 'hours'})


def test_json_is_read_whatever_the_content_type_says(api, admin):
    response = api(
        'POST', '/api/v1/courses', admin, data=json.dumps(COURSE), content_type='text/plain'
    )

    assert response.status_code == 201


def test_georgian_text_comes_back_as_it_was_sent(api, admin):
    raw = json.dumps({**COURSE, 'title_ka': 'სამოქალაქო ბიუჯეტი 🇬🇪'}, ensure_ascii=False)

    response = api(
        'POST',
        '/api/v1/courses',
        admin,
        data=raw.encode('utf-8'),
        content_type='application/json; charset=utf-8',
    )

    assert response.status_code == 201
    assert response.get_json()['title_ka'] == 'სამოქალაქო ბიუჯეტი 🇬🇪'
    assert Course.query.one().title_ka == 'სამოქალაქო ბიუჯეტი 🇬🇪'


def test_a_body_over_1_mb_is_413_and_saves_nothing(api, admin):
    body = {**COURSE, 'description_ka': 'ა' * (1024 * 1024)}

    response = api('POST', '/api/v1/courses', admin, json=body)

    assert_error(response, 413, 'too_large')
    assert count(Course) == 0


def test_a_body_just_under_1_mb_is_read(api, admin):
    padding = 1024 * 1024 - len(json.dumps({**COURSE, 'padding': ''})) - 10
    body = {**COURSE, 'padding': ' ' * padding}  # unknown keys are ignored

    assert api('POST', '/api/v1/courses', admin, json=body).status_code == 201


UNKNOWN_PATHS = [
    '/api/v1/nothing',
    '/api/v1/',
    '/api/v1/offerings/1/nothing',
    '/api/v1/enrollments/abc',
    '/api/v1/enrollments/-1',
]


@pytest.mark.parametrize('with_token', [True, False])
def test_an_unknown_api_address_is_404_with_the_envelope(api, admin, with_token):
    for path in UNKNOWN_PATHS:
        assert_error(api('GET', path, admin if with_token else None), 404, 'not_found')


@pytest.mark.parametrize(
    ('method', 'path', 'allowed'),
    [
        ('DELETE', '/api/v1/organizations', {'GET', 'POST'}),
        ('PUT', '/api/v1/users', {'POST'}),
        ('GET', '/api/v1/courses', {'POST'}),
        ('POST', '/api/v1/me', {'GET'}),
        ('GET', '/api/v1/enrollments/1', {'PATCH'}),
        ('DELETE', '/api/v1/offerings/1/sessions', {'POST'}),
    ],
)
def test_a_method_an_address_does_not_take_is_405_saying_which_it_does(
    api, admin, method, path, allowed
):
    response = api(method, path, admin)

    assert_error(response, 405, 'method_not_allowed')
    assert allowed <= {m.strip() for m in response.headers['Allow'].split(',')}


def test_each_missing_field_is_named_with_a_sentence_saying_so(api, admin):
    response = api('POST', '/api/v1/courses', admin, json={}, headers={'Accept-Language': 'en'})

    assert_error(response, 422, 'invalid', fields={'code', 'title_ka', 'title_en', 'kind', 'hours'})
    assert response.get_json()['error']['fields']['code'] == 'This field is required.'


# Hostile values: every field of every endpoint, a 4xx with the envelope and nothing saved.

HOSTILE = [
    None,
    True,
    False,
    0,
    -1,
    2**31,
    -(2**63),
    10**100,
    1e308,
    0.5,
    '',
    ' ',
    'true',
    '1e999',
    'NaN',
    '2026-02-30',
    '9999-12-31T23:59:59-23:59',
    '0001-01-01T00:00:00+23:59',
    '\x00',
    'a\x00b',
    '\ud800',
    '\u202e\u200b',
    'ნინო' * 100,
    'x' * 100_000,
    '<script>alert(1)</script>',
    "'; drop table users; --",
    [],
    [1, 2],
    [[[[]]]],
    {},
    {'id': 1},
]


def _targets(admin, create_offering, create_enrollment, participant, create_organization):
    offering = create_offering(trainers=[admin], sessions=0)
    enrollment = create_enrollment(offering=offering, status='applied')
    municipality = create_organization(kind='municipality')
    return [
        (
            'POST',
            '/api/v1/organizations',
            {'name_ka': 'ორგ', 'name_en': 'Org', 'kind': 'cso', 'region': 'imereti'},
            Organization,
        ),
        (
            'POST',
            '/api/v1/users',
            {
                'email': 'new@example.ge',
                'full_name_ka': 'ნინო ბერიძე',
                'full_name_en': 'Nino',
                'role': 'trainer',
                'sector': 'cso',
                'organization_id': municipality.id,
                'gender': 'female',
                'password': 'long enough',
                'position': 'p',
                'phone': '1',
            },
            User,
        ),
        (
            'POST',
            '/api/v1/courses',
            {
                **COURSE,
                'min_attendance_pct': 80,
                'grants_certificate': True,
                'validity_months': 12,
                'description_ka': 'd',
                'description_en': 'd',
            },
            Course,
        ),
        (
            'POST',
            '/api/v1/offerings',
            {
                'course_id': offering.course_id,
                'starts_on': '2026-03-02',
                'ends_on': '2026-03-03',
                'location': 'ქუთაისი',
                'municipality_id': municipality.id,
                'capacity': 10,
                'trainer_ids': [admin.id],
                'format': 'online',
                'status': 'draft',
                'applications_open_on': '2026-01-01',
                'applications_close_on': '2026-02-01',
            },
            Offering,
        ),
        (
            'POST',
            f'/api/v1/offerings/{offering.id}/sessions',
            {
                'starts_at': '2026-03-02T10:00:00+04:00',
                'ends_at': '2026-03-02T12:00:00+04:00',
                'topic': 'თემა',
            },
            OfferingSession,
        ),
        (
            'POST',
            f'/api/v1/offerings/{offering.id}/assessments',
            {'title': 'ტესტი', 'max_score': 10, 'pass_score': 5, 'required': False},
            None,
        ),
        (
            'POST',
            f'/api/v1/offerings/{offering.id}/enrollments',
            {'user_id': participant.id, 'status': 'accepted', 'motivation': 'm'},
            Enrollment,
        ),
        ('PATCH', f'/api/v1/enrollments/{enrollment.id}', {'status': 'accepted'}, None),
    ]


def test_no_value_in_any_field_makes_the_api_fail(
    app, api, admin, participant, create_offering, create_enrollment, create_organization
):
    """Each hostile value in each field: never a 500; an error is the envelope and saves nothing.

    The service re-raises unexpected errors under TESTING, so a 500 fails this test loudly.
    """
    targets = _targets(admin, create_offering, create_enrollment, participant, create_organization)
    for method, url, body, model in targets:
        for field in body:
            for value in HOSTILE:
                rows = count(model) if model else None
                entries = audited()
                response = api(method, url, admin, json={**body, field: value})
                where = f'{method} {url} {field}={value!r:.60}'
                assert response.status_code < 500, where
                if response.status_code >= 400:
                    assert response.status_code in (409, 422), where
                    assert_envelope(response)
                    assert audited() == entries, where
                    if model is not None:
                        assert count(model) == rows, where
                elif model is not None and response.status_code == 201:
                    # Accepted (e.g. None for an optional field): undo, so the next value
                    # is not a duplicate of this one.
                    model.query.filter_by(id=response.json['id']).delete()


def test_a_body_of_any_json_shape_but_an_object_is_answered_cleanly(api, admin):
    for payload in HOSTILE:
        response = api('POST', '/api/v1/courses', admin, json=payload)

        assert response.status_code in (400, 422), repr(payload)
        assert_envelope(response)
    assert count(Course) == 0


def test_an_unexpected_failure_is_a_500_in_the_envelope_without_details(
    app, api, admin, monkeypatch
):
    def broken(user):
        raise RuntimeError('secret internals')

    monkeypatch.setattr('lms.api.me.user_json', broken)
    app.config['SHOW_ERROR_PAGES'] = True  # answer as in production instead of raising

    response = api('GET', '/api/v1/me', admin)

    error = assert_error(response, 500, 'server_error')
    assert 'secret' not in response.get_data(as_text=True)
    assert error['message']
