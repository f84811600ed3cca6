"""One transaction per request: committed when the answer is good, rolled back otherwise."""

import ast
from pathlib import Path

import pytest

from lms import transactions
from lms.errors import Invalid
from lms.models import Organization

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def probe(app, db):
    """Routes that add an organisation and then answer in different ways."""

    def add():
        db.session.add(Organization(name_ka='ზონდი', name_en='Probe', kind='other'))
        db.session.flush()

    def good():
        add()
        return 'ok'

    def refused():
        add()
        raise Invalid('no')

    def error_page():
        add()
        return 'not valid', 422

    def crash():
        add()
        raise RuntimeError('boom')

    for view in (good, refused, error_page, crash):
        app.add_url_rule(f'/probe/{view.__name__}', view.__name__, transactions.transactional(view))
    app.config['SHOW_ERROR_PAGES'] = True
    return lambda: db.session.query(Organization).filter_by(name_en='Probe').count()


@pytest.mark.parametrize(
    ('route', 'status', 'kept'),
    [('good', 200, 1), ('refused', 422, 0), ('error_page', 422, 0), ('crash', 500, 0)],
)
def test_a_request_keeps_its_changes_only_when_it_answers_well(client, probe, route, status, kept):
    assert client.get(f'/probe/{route}').status_code == status
    assert probe() == kept


def test_every_view_of_the_application_runs_in_the_request_transaction(app):
    bare = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if not endpoint.endswith('static') and view.__code__ is not _wrapper_code()
    ]
    assert not bare


def _wrapper_code():
    return transactions.transactional(lambda: None).__code__


def _views():
    packages = [ROOT / 'lms', ROOT / 'certificates']
    return sorted(
        path
        for package in packages
        for path in package.rglob('*.py')
        if path.name == 'views.py' or 'api' in path.parts or path.parent.name == 'admin'
    )


@pytest.mark.parametrize('path', _views(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_view_commits_or_rolls_back_by_hand(path):
    calls = [
        node.func.attr
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8')))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ('commit', 'rollback')
    ]
    assert not calls, f'{path.relative_to(ROOT)} calls {calls}'


def test_choosing_a_language_by_link_writes_nothing(client, db, login, create_user):
    person = login(create_user())
    client.get('/language/en')
    db.session.refresh(person)
    assert person.locale is None
    client.post('/language/en')
    db.session.refresh(person)
    assert person.locale == 'en'
