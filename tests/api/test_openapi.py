"""openapi.yaml describes exactly the API that exists, and its schemas match the answers."""

import re

import pytest

from lms.api.auth import PUBLIC_ENDPOINTS as API_PUBLIC_ENDPOINTS
from lms.api.openapi import load_spec
from tests.api.helpers import assert_envelope

METHODS = {'get', 'post', 'put', 'patch', 'delete'}


def _spec_path(rule):
    """Flask's /offerings/<int:id>/sessions as OpenAPI's /offerings/{id}/sessions."""
    return re.sub(r'<(?:[^:<>]+:)?([^<>]+)>', r'{\1}', rule.rule)


def _api_operations(app):
    return {
        (_spec_path(rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith('api.')
        for method in rule.methods - {'HEAD', 'OPTIONS'}
    }


def _spec_operations(spec):
    return {
        (path, method)
        for path, item in spec['paths'].items()
        for method in item
        if method in METHODS
    }


def test_the_description_is_served_as_json_without_a_token(client):
    response = client.get('/api/v1/openapi.json')

    assert response.status_code == 200
    assert response.is_json
    spec = response.get_json()
    assert spec['openapi'].startswith('3.1')
    assert spec == load_spec()


def test_every_api_endpoint_is_described(app):
    missing = _api_operations(app) - _spec_operations(load_spec())

    assert not missing, f'in the app but not in openapi.yaml: {sorted(missing)}'


def test_the_description_lists_no_endpoint_that_does_not_exist(app):
    extra = _spec_operations(load_spec()) - _api_operations(app)

    assert not extra, f'in openapi.yaml but not in the app: {sorted(extra)}'


def test_path_parameters_are_declared_for_every_templated_path():
    spec = load_spec()
    for path, item in spec['paths'].items():
        declared = {_resolve(spec, p)['name'] for p in item.get('parameters', [])}
        for method in METHODS & set(item):
            declared |= {_resolve(spec, p)['name'] for p in item[method].get('parameters', [])}
        assert declared == set(re.findall(r'{(\w+)}', path)), path


def test_the_error_envelope_is_one_shared_component():
    spec = load_spec()
    error = spec['components']['schemas']['Error']
    assert error['required'] == ['error']
    assert set(error['properties']['error']['required']) == {'code', 'message', 'fields'}

    for path, item in spec['paths'].items():
        for method in METHODS & set(item):
            for status, response in item[method]['responses'].items():
                if int(status) >= 400:
                    schema = _resolve(spec, response)['content']['application/json']['schema']
                    assert schema == {'$ref': '#/components/schemas/Error'}, (path, status)


def test_everything_but_the_public_endpoints_needs_a_bearer_token():
    """Only endpoints made public with @public (the description, verification) say
    `security: []`; every other one needs a token and describes its 401."""
    spec = load_spec()
    assert spec['components']['securitySchemes']['bearerAuth'] == {
        'type': 'http',
        'scheme': 'bearer',
        'description': spec['components']['securitySchemes']['bearerAuth']['description'],
    }
    assert spec['security'] == [{'bearerAuth': []}]
    for path, item in spec['paths'].items():
        for method in METHODS & set(item):
            operation = item[method]
            public = f'api.{operation["operationId"]}' in API_PUBLIC_ENDPOINTS
            if operation.get('security') == []:
                assert public, (path, method)
            else:
                assert not public, (path, method)
                assert '401' in operation['responses'], (path, method)


def test_every_reference_resolves():
    spec = load_spec()

    def walk(node):
        if isinstance(node, dict):
            if '$ref' in node:
                _resolve(spec, node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)


def _resolve(spec, node):
    """Follow `$ref`s (local ones, '#/components/...') until a node without one."""
    while '$ref' in node:
        ref = node['$ref']
        assert ref.startswith('#/'), ref
        node = spec
        for part in ref[2:].split('/'):
            assert part in node, f'unresolved {ref}'
            node = node[part]
    return node


_TYPES = {
    'integer': lambda v: isinstance(v, int) and not isinstance(v, bool),
    'number': lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    'string': lambda v: isinstance(v, str),
    'boolean': lambda v: isinstance(v, bool),
    'null': lambda v: v is None,
    'array': lambda v: isinstance(v, list),
    'object': lambda v: isinstance(v, dict),
}


def _problems(spec, schema, value, where='$'):
    """What in `value` does not fit `schema`: types, enums, required and unknown keys.

    Enough JSON Schema for the resources the API answers with; not a full validator.
    """
    schema = _resolve(spec, schema)
    if 'oneOf' in schema:
        fits = [not _problems(spec, option, value, where) for option in schema['oneOf']]
        return [] if fits.count(True) == 1 else [f'{where}: {value!r} fits not exactly one']
    types = schema.get('type')
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(_TYPES[t](value) for t in types):
            return [f'{where}: {value!r} is not {types}']
    if 'enum' in schema and value not in schema['enum']:
        return [f'{where}: {value!r} not in {schema["enum"]}']
    problems = []
    if isinstance(value, dict) and 'properties' in schema:
        properties = schema['properties']
        problems += [f'{where}: {k} missing' for k in schema.get('required', ()) if k not in value]
        problems += [f'{where}: {k} not described' for k in value if k not in properties]
        for key in value.keys() & properties.keys():
            problems += _problems(spec, properties[key], value[key], f'{where}.{key}')
    if isinstance(value, list) and 'items' in schema:
        for i, item in enumerate(value):
            problems += _problems(spec, schema['items'], item, f'{where}[{i}]')
    return problems


def _answer_schema(spec, path, method, status):
    response = _resolve(spec, spec['paths'][path][method]['responses'][status])
    return response['content']['application/json']['schema']


def test_every_answer_fits_its_described_schema(
    api, create_user, create_organization, create_course, create_offering
):
    spec = load_spec()
    admin = create_user(role='admin')
    trainer = create_user(role='trainer')
    participant = create_user(role='participant')
    municipality = create_organization(kind='municipality')
    course = create_course()
    offering = create_offering(course=course, trainers=[trainer])
    calls = [
        ('get', '/api/v1/me', None, '200'),
        (
            'post',
            '/api/v1/organizations',
            {'name_ka': 'ორგ', 'name_en': 'Org', 'kind': 'cso', 'region': 'guria'},
            '201',
        ),
        ('get', '/api/v1/organizations', None, '200'),
        (
            'post',
            '/api/v1/users',
            {
                'email': 'n@example.ge',
                'full_name_ka': 'ნინო ბერიძე',
                'role': 'participant',
                'sector': 'cso',
                'organization_id': municipality.id,
            },
            '201',
        ),
        (
            'post',
            '/api/v1/courses',
            {'code': 'X-1', 'title_ka': 'კ', 'title_en': 'C', 'kind': 'forum', 'hours': 2.5},
            '201',
        ),
        (
            'post',
            '/api/v1/offerings',
            {
                'course_id': course.id,
                'starts_on': '2026-05-01',
                'ends_on': '2026-05-02',
                'location': 'თელავი',
                'municipality_id': municipality.id,
                'trainer_ids': [trainer.id],
                'applications_open_on': '2026-04-01',
            },
            '201',
        ),
        (
            'post',
            f'/api/v1/offerings/{offering.id}/sessions',
            {'starts_at': '2026-03-02T10:00:00+04:00', 'ends_at': '2026-03-02T11:20:00+04:00'},
            '201',
        ),
        (
            'post',
            f'/api/v1/offerings/{offering.id}/assessments',
            {'title': 'ტესტი', 'max_score': 20, 'pass_score': 12.5},
            '201',
        ),
        (
            'post',
            f'/api/v1/offerings/{offering.id}/enrollments',
            {'user_id': participant.id},
            '201',
        ),
    ]
    for method, url, body, status in calls:
        response = api(method.upper(), url, admin, json=body)
        assert response.status_code == int(status), (url, response.json)
        schema = _answer_schema(spec, _template(url), method, status)
        assert _problems(spec, schema, response.json) == [], url

    enrollment_id = response.json['id']
    response = api(
        'PATCH', f'/api/v1/enrollments/{enrollment_id}', admin, json={'status': 'accepted'}
    )
    schema = _answer_schema(spec, '/api/v1/enrollments/{id}', 'patch', '200')
    assert _problems(spec, schema, response.json) == []


@pytest.mark.parametrize('status', [400, 401, 404, 405, 413, 422])
def test_error_answers_fit_the_error_component(api, create_user, status):
    admin = create_user(role='admin')
    requests = {
        400: ('POST', '/api/v1/courses', {'data': b'{', 'content_type': 'application/json'}),
        401: ('GET', '/api/v1/me', {}),
        404: ('GET', '/api/v1/nowhere', {}),
        405: ('DELETE', '/api/v1/me', {}),
        413: ('POST', '/api/v1/courses', {'data': b' ' * (1024 * 1024 + 1)}),
        422: ('POST', '/api/v1/courses', {'json': {'kind': 'x'}}),
    }
    method, url, kwargs = requests[status]

    response = api(method, url, None if status == 401 else admin, **kwargs)

    assert response.status_code == status
    spec = load_spec()
    assert _problems(spec, {'$ref': '#/components/schemas/Error'}, response.json) == []
    assert_envelope(response)


def _template(url):
    return re.sub(r'/\d+(?=/|$)', '/{id}', url)
