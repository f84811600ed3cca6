"""The locks pin exactly what the requirements files name: `make lock` after changing one."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pins(name):
    """{package: version} of a requirements file's `name==version` lines, and of the files
    it includes with -r; package names normalised as pip compares them."""
    pins = {}
    for line in (ROOT / name).read_text(encoding='utf-8').splitlines():
        if line.startswith('-r '):
            pins |= _pins(line.removeprefix('-r ').strip())
        elif pin := re.match(r'([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)', line):
            pins[re.sub(r'[-_.]+', '-', pin[1]).lower()] = pin[2]
    return pins


@pytest.mark.parametrize(
    ('requirements', 'lock'),
    [('requirements.txt', 'requirements.lock'), ('requirements-dev.txt', 'requirements-dev.lock')],
)
def test_every_pin_is_locked_at_its_version(requirements, lock):
    locked = _pins(lock)
    differ = {
        package: (version, locked.get(package))
        for package, version in _pins(requirements).items()
        if locked.get(package) != version
    }

    assert not differ, f'{requirements} and {lock} differ (pinned, locked); run make lock'


def test_both_locks_hold_the_same_versions_of_what_they_share():
    service, dev = _pins('requirements.lock'), _pins('requirements-dev.lock')

    differ = {
        package: (v, dev.get(package)) for package, v in service.items() if dev.get(package) != v
    }

    assert not differ, 'the service lock and the dev lock differ (service, dev); run make lock'
