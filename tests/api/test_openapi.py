"""openapi.yaml is a valid OpenAPI 3.1 document, describes exactly the API that exists, and
its schemas match the answers.

The document is checked with openapi-spec-validator, answers with a JSON Schema validator
(tests/api/described.py). Besides the answers checked here, every answer the API tests get
is checked the same way (the autouse fixture in tests/api/conftest.py).
"""

import copy
import re

import pytest
from jsonschema_specifications import REGISTRY as SCHEMAS
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing.exceptions import Unresolvable

from lms.api.auth import PUBLIC_ENDPOINTS as API_PUBLIC_ENDPOINTS
from lms.api.openapi import load_spec
from tests.api.described import METHODS, answer_problems, schema_problems, spec_path
from tests.api.helpers import assert_envelope


def _api_operations(app):
    return {
        (spec_path(rule.rule), method.lower())
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


def test_the_description_is_a_valid_openapi_3_1_document():
    """Its structure, every `$ref` resolving, path parameters, unique operation ids, and
    every schema a valid JSON Schema of the OpenAPI 3.1 dialect."""
    errors = [error.message for error in OpenAPIV31SpecValidator(load_spec()).iter_errors()]

    assert errors == []


@pytest.mark.parametrize(
    'damage',
    [
        'a reference to a missing component',
        'a schema that is not a schema',
        'a response without a description',
    ],
)
def test_the_document_validator_notices_damage(damage):
    spec = copy.deepcopy(load_spec())
    operation = spec['paths']['/api/v1/me']['get']
    if damage == 'a reference to a missing component':
        operation['responses']['200']['content']['application/json']['schema'] = {
            '$ref': '#/components/schemas/Nobody'
        }
    elif damage == 'a schema that is not a schema':
        spec['components']['schemas']['User']['properties']['id'] = {'type': 'whole number'}
    else:
        del operation['responses']['200']['description']

    with pytest.raises((OpenAPIValidationError, Unresolvable)):
        OpenAPIV31SpecValidator(spec).validate()


#: The keywords of JSON Schema 2020-12, from its vocabularies' meta-schemas, and those
#: OpenAPI 3.1 adds to them.
_VOCABULARIES = ['core', 'applicator', 'unevaluated', 'validation', 'meta-data']
_VOCABULARIES += ['format-annotation', 'content']
KEYWORDS = {
    keyword
    for vocabulary in _VOCABULARIES
    for keyword in SCHEMAS.contents(f'https://json-schema.org/draft/2020-12/meta/{vocabulary}')[
        'properties'
    ]
} | {'discriminator', 'xml', 'externalDocs', 'example'}
#: Keywords whose value is one schema, a list of schemas, or schemas by name.
_ONE = ['items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems']
_ONE += ['contains', 'propertyNames', 'if', 'then', 'else', 'not', 'contentSchema']
_MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems']
_NAMED = ['properties', 'patternProperties', '$defs', 'dependentSchemas']


def test_schemas_use_only_keywords_of_the_dialect():
    """JSON Schema ignores a keyword it does not know, so a slip such as an unquoted comma
    in a YAML description (`{description: Hours, as announced.}` makes a keyword "as
    announced.") would pass every other check."""
    unknown = []

    def schema(node, where):
        if isinstance(node, bool):
            return
        unknown.extend(f'{where}: {key}' for key in set(node) - KEYWORDS if key[:2] != 'x-')
        for key in _ONE:
            if key in node:
                schema(node[key], f'{where}/{key}')
        for key in _MANY:
            for i, value in enumerate(node.get(key, [])):
                schema(value, f'{where}/{key}/{i}')
        for key in _NAMED:
            for name, value in node.get(key, {}).items():
                schema(value, f'{where}/{key}/{name}')

    def document(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'schema' or where == '/components/schemas':
                    schema(value, f'{where}/{key}')
                else:
                    document(value, f'{where}/{key}')
        elif isinstance(node, list):
            for i, value in enumerate(node):
                document(value, f'{where}/{i}')

    document(load_spec(), '')

    assert unknown == []


def test_every_api_endpoint_is_described(app):
    missing = _api_operations(app) - _spec_operations(load_spec())

    assert not missing, f'in the app but not in openapi.yaml: {sorted(missing)}'


def test_the_description_lists_no_endpoint_that_does_not_exist(app):
    extra = _spec_operations(load_spec()) - _api_operations(app)

    assert not extra, f'in openapi.yaml but not in the app: {sorted(extra)}'


def test_path_parameters_are_declared_for_every_templated_path():
    spec = load_spec()
    for path, item in spec['paths'].items():
        parameters = [_resolve(spec, p) for p in item.get('parameters', [])]
        for method in METHODS & set(item):
            parameters += [_resolve(spec, p) for p in item[method].get('parameters', [])]
        declared = {p['name'] for p in parameters if p['in'] == 'path'}
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


def test_every_answer_fits_its_described_schema(
    api, create_user, create_organization, create_course, create_offering
):
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
        assert _problems(method, url, response) == []

    enrollment_id = response.json['id']
    response = api(
        'PATCH', f'/api/v1/enrollments/{enrollment_id}', admin, json={'status': 'accepted'}
    )
    assert response.status_code == 200
    assert _problems('patch', f'/api/v1/enrollments/{enrollment_id}', response) == []


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
    assert schema_problems('/components/schemas/Error', response.json) == []
    assert_envelope(response)


def _problems(method, url, response):
    path = re.sub(r'/\d+(?=/|$)', '/{id}', url)
    return answer_problems(path, method, response.status_code, response.mimetype, response.json)


def test_the_answers_of_a_test_are_checked(api, admin, answers_fit_the_description):
    api('GET', '/api/v1/me', admin)
    api('GET', '/api/v1/nowhere', admin)

    assert [answer[:3] for answer in answers_fit_the_description] == [
        ('/api/v1/me', 'get', 200),
        (None, 'get', 404),
    ]


@pytest.mark.parametrize(
    ('change', 'words'),
    [
        ({'nickname': 'ნინო'}, "'nickname' was unexpected"),
        ({'id': '7'}, "'7' is not of type 'integer'"),
        ({'email': 'not an address'}, "'not an address' is not a 'email'"),
        ({'role': 'visitor'}, "'visitor' is not one of"),
        ({'organization_id': 1.5}, 'is not valid under any of the given schemas'),
        ({'is_active': None}, "None is not of type 'boolean'"),
    ],
)
def test_the_answer_checker_refuses_what_the_schema_does_not_allow(change, words):
    user = {
        'id': 7,
        'email': 'nino@example.ge',
        'full_name_ka': 'ნინო ბერიძე',
        'full_name_en': 'Nino Beridze',
        'role': 'participant',
        'sector': 'cso',
        'organization_id': None,
        'position': None,
        'gender': 'female',
        'is_active': True,
    }
    assert answer_problems('/api/v1/me', 'get', 200, 'application/json', user) == []

    problems = answer_problems('/api/v1/me', 'get', 200, 'application/json', {**user, **change})

    assert len(problems) == 1 and words in problems[0], problems


def test_the_answer_checker_refuses_a_missing_field_a_status_and_a_type_not_described():
    assert (
        "'id' is a required property"
        in answer_problems('/api/v1/me', 'get', 200, 'application/json', {})[0]
    )
    assert answer_problems('/api/v1/me', 'get', 204, None, None) == [
        'GET /api/v1/me answered 204, which it does not describe'
    ]
    assert 'text/html' in answer_problems('/api/v1/me', 'get', 200, 'text/html', None)[0]
    assert answer_problems('/api/v1/me', 'get', 418, 'text/html', None) == [
        'GET /api/v1/me answered 418 with text/html, not JSON'
    ]
