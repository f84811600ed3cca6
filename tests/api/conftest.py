"""Fixtures for the API tests: a caller that sends a user's token, and the usual cast.

Every answer of the API in these tests is also checked against openapi.yaml.
"""

import flask
import pytest

from tests.api.described import METHODS, answer_problems, spec_path


@pytest.fixture(autouse=True)
def answers_fit_the_description(request):
    """Check each answer an /api/ request got in the test against its described schema
    (status, content type, JSON body); an error whose status the operation does not list
    must still be the error envelope. Failures are reported when the test ends."""
    if 'app' not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue('app')
    answers = []
    record = _recorder(answers)
    flask.request_finished.connect(record, app)
    yield answers
    flask.request_finished.disconnect(record, app)
    problems = [line for answer in answers for line in answer_problems(*answer)]
    assert not problems, '\n'.join(problems)


def _recorder(answers):
    def record(sender, response, **extra):
        method = flask.request.method.lower()
        if not flask.request.path.startswith('/api/') or method not in METHODS:
            return
        rule = flask.request.url_rule
        rule = rule and rule.rule
        body = response.get_json(silent=True) if response.is_json else None
        mimetype = response.mimetype or None
        answers.append(
            (spec_path(rule) if rule else None, method, response.status_code, mimetype, body)
        )

    return record


@pytest.fixture
def create_user(create_user):
    """As the suite's factory, but without a password unless given: hashing one is slow,
    and the API never asks for it."""

    def _create_user(role='participant', password=None, **kwargs):
        return create_user(role, password=password, **kwargs)

    return _create_user


@pytest.fixture
def admin(create_user):
    return create_user(role='admin', full_name_ka='ადმინისტრატორი', full_name_en='Admin')


@pytest.fixture
def trainer(create_user):
    return create_user(role='trainer')


@pytest.fixture
def participant(create_user):
    return create_user(role='participant')


@pytest.fixture
def offering(create_offering, trainer):
    """An offering taught by `trainer`."""
    return create_offering(trainers=[trainer])
