"""The academy's today is Tbilisi's: no module asks the machine's clock for a date."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for top in ('lms', 'certificates') for p in (ROOT / top).rglob('*.py'))


@pytest.mark.parametrize('path', SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_takes_the_date_from_the_machine_clock(path):
    calls = [
        ast.unparse(node.func)
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8')))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == 'today'
        and ast.unparse(node.func.value) in ('date', 'datetime', 'datetime.date')
    ]
    assert not calls, f'{path.relative_to(ROOT)}: {calls}; use lms.extensions.academy_today()'
