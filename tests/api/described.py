"""Answers of the API checked against openapi.yaml with a JSON Schema validator.

Schemas are checked with openapi-schema-validator's OAS 3.1 validator (jsonschema with the
OpenAPI 3.1 dialect and its formats); `$ref`s resolve into the document's components
through a `referencing` registry. One thing is stricter than the description says: an
object answer may hold only the keys its schema names (`additionalProperties: false`
wherever a schema lists `properties` and says nothing else), so a field the API starts
sending has to be described before a test passes.
"""

import copy
import re
from functools import cache

from openapi_schema_validator import OAS31Validator, oas31_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from lms.api.openapi import load_spec

METHODS = {'get', 'post', 'put', 'patch', 'delete'}
SPEC_URI = 'urn:academy-lms:openapi'


def spec_path(rule):
    """Flask's /offerings/<int:id>/sessions as OpenAPI's /offerings/{id}/sessions."""
    return re.sub(r'<(?:[^:<>]+:)?([^<>]+)>', r'{\1}', rule)


@cache
def _strict_spec():
    spec = copy.deepcopy(load_spec())

    def close(node):
        if isinstance(node, dict):
            if isinstance(node.get('properties'), dict):
                node.setdefault('additionalProperties', False)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(spec['components']['schemas'])
    close(spec['components'].get('responses', {}))
    close(spec['paths'])
    return spec


@cache
def _registry():
    resource = Resource.from_contents(_strict_spec(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


@cache
def validator(pointer):
    """A validator of the schema at JSON pointer `pointer` (e.g. '/components/schemas/User')
    of the document."""
    return OAS31Validator(
        {'$ref': f'{SPEC_URI}#{pointer}'},
        registry=_registry(),
        format_checker=oas31_format_checker,
    )


def schema_problems(pointer, value):
    """Each way `value` does not fit the schema at `pointer`, as readable lines."""
    return [
        f'{"/".join(map(str, error.absolute_path)) or "(top)"}: {error.message}'
        for error in validator(pointer).iter_errors(value)
    ]


def _escape(part):
    return str(part).replace('~', '~0').replace('/', '~1')


def _node(pointer):
    node = _strict_spec()
    for part in pointer.strip('/').split('/'):
        node = node[part.replace('~1', '/').replace('~0', '~')]
    return node


def response_pointer(path, method, status):
    """The JSON pointer of the response `status` of the operation, following a `$ref` to
    components/responses; None when the operation does not list that status."""
    spec = _strict_spec()
    responses = spec['paths'].get(path, {}).get(method, {}).get('responses', {})
    if str(status) not in responses:
        return None
    response = responses[str(status)]
    if '$ref' in response:
        return response['$ref'].removeprefix('#')
    return f'/paths/{_escape(path)}/{method}/responses/{status}'


def answer_problems(path, method, status, content_type, body):
    """What is wrong with an answer of the API to `method` `path` (its OpenAPI path; None
    when no route matched) given its status, content type and JSON body (None if not
    JSON), against the description."""
    answer = f'{method.upper()} {path} {status}'
    pointer = response_pointer(path, method, status) if path else None
    if pointer is None:
        if status < 400:
            return [f'{method.upper()} {path} answered {status}, which it does not describe']
        # Any error, listed or not (404 for an unknown address, 405, 500), has the envelope.
        if body is None:
            return [f'{method.upper()} {path} answered {status} with {content_type}, not JSON']
        return [f'{answer} {line}' for line in schema_problems('/components/schemas/Error', body)]
    content = _node(pointer).get('content', {})
    if not content:
        return []  # nothing described, as for a 304
    if content_type not in content:
        return [f'{answer}: {content_type} is not in {sorted(content)}']
    if content_type != 'application/json':
        return []
    if body is None:
        return [f'{answer}: the body is not JSON']
    media = f'{pointer}/content/application~1json/schema'
    return [f'{answer} {line}' for line in schema_problems(media, body)]
