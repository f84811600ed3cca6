"""The dependency rules of STYLE.md, checked on the source: who may import whom.

The modules are read with `ast`, never imported, so a new module is checked the moment
it exists, without anyone adding it to a list here.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / 'lms').rglob('*.py'), *(ROOT / 'certificates').rglob('*.py')])
FACTORY = ROOT / 'lms' / '__init__.py'

#: The only module of lms that certificates/ may use: a leaf that imports nothing of ours.
ALLOWED_FROM_LMS = {'lms.extensions'}
#: Where the request lives: a module that imports one of these is serving HTTP.
REQUEST_GLOBALS = {'flask.request', 'flask.session', 'flask_login.current_user'}
#: Packages whose every module serves HTTP (a blueprint split over several modules).
VIEW_PACKAGES = {('lms', 'api'), ('lms', 'admin'), ('lms', 'account')}
#: Other modules of the web edge, each with the reason it needs the request.
EDGE_MODULES = {
    'lms/__init__.py',  # the factory: the user loader and the blueprints
    'lms/i18n.py',  # Babel's locale selector reads the session and Accept-Language
    'lms/main/errors.py',  # error handlers answer JSON under /api/, pages elsewhere
    'lms/forms.py',  # forms read the posted request; render_form answers with a page
    'lms/auth/login.py',  # logging in starts a new session
}
#: Modules of any package that hold domain code, even inside a view package.
DOMAIN_MODULE_NAMES = {'service.py', 'queries.py', 'rules.py'}


def _name(path):
    return '.'.join(path.relative_to(ROOT).with_suffix('').parts).removesuffix('.__init__')


def _is_our_module(dotted):
    path = ROOT.joinpath(*dotted.split('.'))
    return path.with_suffix('.py').is_file() or (path / '__init__.py').is_file()


def _imports(path):
    """(module, name) for every import in `path`; name is None for `import module`."""
    package = _name(path).split('.')
    if path.name != '__init__.py':
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ''
            if node.level:  # relative: resolve against the module's own package
                parent = package[: len(package) - node.level + 1]
                module = '.'.join([*parent, module] if module else parent)
            yield from ((module, alias.name) for alias in node.names)


def imported_modules(path):
    """The modules `path` imports; `from lms.main import views` counts as lms.main.views."""
    for module, name in _imports(path):
        submodule = f'{module}.{name}'
        yield submodule if name and _is_our_module(submodule) else module


def imported_names(path):
    """Dotted names of everything `path` imports, e.g. flask.request."""
    for module, name in _imports(path):
        yield f'{module}.{name}' if name else module


def _relative(path):
    return path.relative_to(ROOT).as_posix()


def serves_http(path):
    rel = path.relative_to(ROOT)
    if rel.name in DOMAIN_MODULE_NAMES:
        return False
    return (
        rel.name == 'views.py' or rel.parts[:2] in VIEW_PACKAGES or rel.as_posix() in EDGE_MODULES
    )


def _ids(path):
    return _relative(path)


def _in(top):
    return [p for p in SOURCES if p.relative_to(ROOT).parts[0] == top]


@pytest.mark.parametrize('path', _in('certificates'), ids=_ids)
def test_certificates_imports_nothing_of_lms_but_the_extensions(path):
    forbidden = {
        m
        for m in imported_modules(path)
        if m.partition('.')[0] == 'lms' and m not in ALLOWED_FROM_LMS
    }
    assert not forbidden, f'{_relative(path)} imports {sorted(forbidden)}'


def test_the_extensions_module_is_a_leaf():
    ours = {
        m
        for m in imported_modules(ROOT / 'lms' / 'extensions.py')
        if m.partition('.')[0] in ('lms', 'certificates', 'config')
    }
    assert not ours


@pytest.mark.parametrize('path', [p for p in SOURCES if not serves_http(p)], ids=_ids)
def test_only_the_web_edge_reads_the_request(path):
    """Services, queries, rules, models, permissions and the CLI take explicit arguments."""
    used = set(imported_names(path)) & REQUEST_GLOBALS
    assert not used, f'{_relative(path)} imports {sorted(used)}'


@pytest.mark.parametrize('path', [p for p in SOURCES if p != FACTORY], ids=_ids)
def test_nothing_but_the_factory_imports_a_views_module(path):
    views = {m for m in imported_modules(path) if m.endswith('.views') or '.views.' in m}
    assert not views, f'{_relative(path)} imports {sorted(views)}'


@pytest.mark.parametrize('path', [p for p in _in('lms') if p != FACTORY], ids=_ids)
def test_lms_uses_certificates_only_through_its_public_face(path):
    """The factory alone reaches inside, to register the blueprint, the CLI and the tables."""
    inside = {m for m in imported_modules(path) if m.startswith('certificates.')}
    assert not inside, f'{_relative(path)} imports {sorted(inside)}'


def test_the_checks_see_the_imports_they_look_for():
    """Guards the guards: a parser that saw nothing would pass every test above."""
    assert 'flask.request' in set(imported_names(ROOT / 'lms' / 'i18n.py'))
    assert 'lms.main.views' in set(imported_modules(FACTORY))
    assert 'lms.extensions' in set(imported_modules(ROOT / 'certificates' / 'models.py'))


#: Packages that serve one audience: they own views, forms and templates, nothing else.
AUDIENCE_PACKAGES = ('admin', 'trainer', 'main', 'api', 'account', 'checkin', 'auth')


@pytest.mark.parametrize(
    'path',
    [
        p
        for p in SOURCES
        if p.relative_to(ROOT).parts[:2] in {('lms', a) for a in AUDIENCE_PACKAGES}
    ],
    ids=_ids,
)
def test_audience_packages_hold_views_forms_and_templates_only(path):
    """Rules, services and queries live in the areas (lms/<area>/service.py, queries.py,
    rules.py), which every audience shares; an audience package only asks them."""
    assert path.name not in DOMAIN_MODULE_NAMES, f'{_relative(path)} belongs in an area'
    sql = {m for m in imported_modules(path) if m.partition('.')[0] == 'sqlalchemy'}
    sql.discard('sqlalchemy.exc')  # errors may be caught where they surface
    assert not sql, f'{_relative(path)} builds SQL ({sorted(sql)}): ask the queries of an area'
