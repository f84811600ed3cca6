"""The API fuzzed from its own description (/api/v1/openapi.json) with schemathesis, in
process (WSGI), against a small academy and an admin's token: no operation answers 500.

Bounded and repeatable: a few derandomized examples per operation (the same ones on every
run), no deadline; the whole run takes seconds.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.fuzz.academy import small_academy

#: Examples per operation: enough for the boundary values schemathesis tries first.
EXAMPLES = 10


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def test_no_operation_of_the_api_answers_500(app, db, token_for):
    academy = small_academy()
    headers = token_for(academy.admin)
    schema = schemathesis.openapi.from_wsgi('/api/v1/openapi.json', app)
    failures = []
    for operation in _operations(schema):
        if operation.method.upper() in ('GET', 'HEAD') and operation.path.endswith('.json'):
            continue  # the description itself, and the public keys: static

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            case=st.one_of(
                operation.as_strategy(GenerationMode.POSITIVE),
                operation.as_strategy(GenerationMode.NEGATIVE),
            ),
            known=st.booleans(),
            hint=st.sampled_from(academy.ids),
        )
        def check(case, known, hint):
            # Half the time an id or serial that exists, beside those schemathesis makes
            # up: the code past the lookup runs too.
            parameters = case.path_parameters or {}
            if known and 'id' in parameters:
                parameters['id'] = hint
            if known and 'serial' in parameters:
                parameters['serial'] = academy.serial
            response = case.call(headers=headers)
            db.session.rollback()
            if response.status_code >= 500:
                failures.append(
                    f'{case.method} {case.formatted_path} {case.query} {case.body!r}: '
                    f'{response.status_code} {response.text[:300]}'
                )

        check()
    assert not failures, '\n'.join(failures)


@pytest.fixture
def app(app):
    # Errors reach the fuzzer as the answer a client gets, not as an exception in the test.
    app.config['PROPAGATE_EXCEPTIONS'] = False
    app.testing = False
    return app
