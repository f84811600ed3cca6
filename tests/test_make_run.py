"""`make run PORT=…` serves on that port and prints, and puts in QR codes, that address."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dry_run(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k != 'PUBLIC_BASE_URL'}
    environment.update(env)
    return subprocess.run(
        ['make', '-n', 'run', *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_public_address_follows_the_port_in_development():
    commands = _dry_run('PORT=5123')
    assert 'PUBLIC_BASE_URL=http://127.0.0.1:5123 .venv/bin/flask --app wsgi run' in commands
    assert '--port 5123' in commands
    assert 'The academy: http://127.0.0.1:5123' in commands
    # The demo's certificates are issued with the same address in their QR codes.
    assert 'PUBLIC_BASE_URL=http://127.0.0.1:5123 .venv/bin/flask --app wsgi demo seed' in commands


def test_a_public_address_that_is_set_wins():
    commands = _dry_run('PORT=5123', PUBLIC_BASE_URL='https://academy.example.ge')
    assert 'PUBLIC_BASE_URL=https://academy.example.ge .venv/bin/flask --app wsgi run' in commands
    assert '--port 5123' in commands
