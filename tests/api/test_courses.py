import pytest

from lms.models import Course
from tests.api.helpers import assert_error, audited, count

URL = '/api/v1/courses'
BODY = {
    'code': 'CB-101',
    'title_ka': 'სამოქალაქო ბიუჯეტი',
    'title_en': 'Civil Budgeting',
    'kind': 'training',
    'hours': 16,
    'min_attendance_pct': 75,
    'grants_certificate': True,
    'validity_months': 36,
}


def test_an_admin_creates_a_course_and_gets_the_full_resource(api, admin):
    response = api('POST', URL, admin, json=BODY)

    assert response.status_code == 201
    course = Course.query.one()
    assert response.get_json() == {
        **BODY,
        'id': course.id,
        'description_ka': '',
        'description_en': '',
    }
    assert (course.code, course.min_attendance_pct, course.validity_months) == ('CB-101', 75, 36)
    assert audited() == ['course.created']


def test_the_completion_rule_defaults_to_80_percent_and_a_certificate(api, admin):
    body = {k: v for k, v in BODY.items() if k not in ('min_attendance_pct', 'grants_certificate')}

    response = api('POST', URL, admin, json={**body, 'validity_months': None})

    assert response.status_code == 201
    answer = response.get_json()
    assert answer['min_attendance_pct'] == 80
    assert answer['grants_certificate'] is True
    assert answer['validity_months'] is None


@pytest.mark.parametrize(('hours', 'answered'), [(1.5, 1.5), ('12', 12), (0, 0), (2.345, 2.35)])
def test_hours_are_a_number_with_two_decimals(api, admin, hours, answered):
    response = api('POST', URL, admin, json={**BODY, 'hours': hours})

    assert response.status_code == 201
    assert response.get_json()['hours'] == answered


@pytest.mark.parametrize(
    ('who', 'status', 'code'),
    [
        (None, 401, 'unauthorized'),
        ('participant', 403, 'forbidden'),
        ('trainer', 403, 'forbidden'),
    ],
)
def test_only_admins_create_courses(api, create_user, who, status, code):
    caller = create_user(role=who) if who else None

    assert_error(api('POST', URL, caller, json=BODY), status, code)
    assert count(Course) == 0


@pytest.mark.parametrize('code', ['CB-101', 'cb-101', ' CB-101 '])
def test_a_course_code_that_is_taken_is_a_conflict_whatever_its_case(
    api, admin, create_course, code
):
    create_course(code='CB-101')

    response = api('POST', URL, admin, json={**BODY, 'code': code})

    assert_error(response, 409, 'conflict', fields={'code'})
    assert count(Course) == 1
    assert audited() == []


@pytest.mark.parametrize(
    ('changes', 'fields'),
    [
        (
            {'code': None, 'title_ka': None, 'title_en': None, 'kind': None, 'hours': None},
            {'code', 'title_ka', 'title_en', 'kind', 'hours'},
        ),
        ({'code': 'C' * 41}, {'code'}),
        ({'title_ka': 'ა' * 301}, {'title_ka'}),
        ({'description_en': 'x' * 10001}, {'description_en'}),
        ({'kind': 'webinar'}, {'kind'}),
        ({'hours': -1}, {'hours'}),
        ({'hours': 10000}, {'hours'}),
        ({'hours': 'sixteen'}, {'hours'}),
        ({'hours': True}, {'hours'}),
        ({'hours': [16]}, {'hours'}),
        ({'hours': 1e308}, {'hours'}),
        ({'min_attendance_pct': 101}, {'min_attendance_pct'}),
        ({'min_attendance_pct': -5}, {'min_attendance_pct'}),
        ({'min_attendance_pct': 79.5}, {'min_attendance_pct'}),
        ({'min_attendance_pct': False}, {'min_attendance_pct'}),
        ({'grants_certificate': 'perhaps'}, {'grants_certificate'}),
        ({'grants_certificate': 1}, {'grants_certificate'}),
        ({'validity_months': 0}, {'validity_months'}),
        ({'validity_months': 10**40}, {'validity_months'}),
        ({'validity_months': {'months': 3}}, {'validity_months'}),
    ],
)
def test_invalid_values_are_422_naming_each_field_and_save_nothing(api, admin, changes, fields):
    response = api('POST', URL, admin, json={**BODY, **changes})

    assert_error(response, 422, 'invalid', fields=fields)
    assert count(Course) == 0
    assert audited() == []
