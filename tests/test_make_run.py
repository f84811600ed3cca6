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


def test_a_worker_runs_beside_the_server_with_the_same_address():
    commands = _dry_run('PORT=5123')
    assert (
        'PUBLIC_BASE_URL=http://127.0.0.1:5123 .venv/bin/flask --app wsgi worker --workers 2 '
        '--type thread &' in commands
    )


FAKE_FLASK = """#!/bin/sh
# Stands in for flask: `worker` waits to be stopped and says so; `run` serves a moment.
for word in "$@"; do
  case "$word" in
    worker) trap 'echo stopped > "$OUT/worker.stopped"; exit 0' TERM
            echo "$PUBLIC_BASE_URL" > "$OUT/worker.url"; touch "$OUT/worker.ready"
            while :; do sleep 0.1; done ;;
    run) while [ ! -f "$OUT/worker.ready" ]; do sleep 0.1; done
         echo served > "$OUT/served"; exit 0 ;;
  esac
done
"""


def test_the_worker_stops_when_the_server_stops(tmp_path):
    """The recipe's last command, as make runs it, with a stand-in for flask."""
    fake = tmp_path / 'flask'
    fake.write_text(FAKE_FLASK)
    fake.chmod(0o755)
    # Under `make test` the inner make would also print the folders it enters and leaves.
    commands = _dry_run('--no-print-directory', 'PORT=5123', f'FLASK={fake}')
    serve = commands[commands.index(f'PUBLIC_BASE_URL=http://127.0.0.1:5123 {fake} worker') :]
    subprocess.run(
        ['sh', '-c', serve],
        env={**os.environ, 'OUT': str(tmp_path)},
        check=True,
        timeout=60,
    )
    assert (tmp_path / 'served').exists()
    assert (tmp_path / 'worker.url').read_text().strip() == 'http://127.0.0.1:5123'
    assert (tmp_path / 'worker.stopped').read_text().strip() == 'stopped'
