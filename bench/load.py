"""Benchmark: the public pages and a participant's page under load, loopback only.

Keeps C connections (default 64) busy for S seconds (default 60) against

    verification page   GET /verify/<serial>
    verification API    GET /api/v1/verify/<serial>
    catalogue           GET /catalogue/
    home page           GET /
    participant         GET /home, logged in as the demo participant

one target at a time, round after round (the seconds are split between them, so a change
in the machine's other load hits every target alike), and prints requests/s, p50 and p99
per target, the errors (anything but 200, or a failed connection; there must be none) and
the ratio of each page's rate to the verification page's (target: at least 1/3).

Without --url it serves the academy itself: gunicorn with the project's gunicorn.conf.py
on a free loopback port, the demo academy loaded into a temporary SQLite database, or
into a fresh PostgreSQL database (lms_load_<pid>, dropped at the end) on the server that
--postgres names. Rate limits are off there (RATELIMIT_ENABLED=false).

With --url it loads a server already running (e.g. nginx in front of several gunicorns,
deploy/cluster/run.sh); --serial names a certificate and --login EMAIL:PASSWORD the
participant. --json FILE writes every figure and the time of every error (seconds since
the start), for scripts that check them.

The load generator is aiohttp (one process, asyncio, keep-alive connections); it runs on
the same machine and takes CPU from the server, the same for every target.

Run: .venv/bin/python bench/load.py [--seconds 60] [--connections 64] [--rounds 3]
     [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import asyncio
import contextlib
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / 'bench'))

from verify import free_port, start_gunicorn, stop  # noqa: E402

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_ACCOUNT = re.compile(r'^\s*participant\s+(\S+)\s+(\S+)\s*$', re.MULTILINE)


# -- the academy's data ------------------------------------------------------------------


def prepare(database_url, folder, base_url):
    """The schema (migrations) and the demo academy in `database_url`; returns the serial of
    a valid certificate and the demo participant's (e-mail, password)."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from certificates.models import Certificate
    from config import Config
    from lms import create_app
    from lms.demo.loader import seed
    from lms.extensions import db

    app = create_app(
        Config,
        instance_path=str(folder / 'instance'),
        SQLALCHEMY_DATABASE_URI=database_url,
        CERTIFICATE_KEY_DIR=str(folder / 'keys'),
        SECRET_KEY='load-bench-secret-key-0123456789abcdef',  # noqa: S106 - a bench's own
        PUBLIC_BASE_URL=base_url,
        JOBS_IMMEDIATE=True,
    )
    accounts = folder / 'demo-accounts.txt'
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):  # Alembic's line per migration
            upgrade(directory=str(ROOT / 'migrations'))
        seed(echo=lambda line: None, accounts_path=str(accounts))
        db.session.commit()
        certificate = db.session.scalar(
            select(Certificate).where(Certificate.status == 'valid').order_by(Certificate.id)
        )
        serial = certificate.formatted_serial
        db.session.remove()
        db.engine.dispose()
    email, password = _ACCOUNT.search(accounts.read_text(encoding='utf-8')).groups()
    return serial, (email, password)


def server_env(database_url, folder, base_url, **extra):
    """The environment of a gunicorn serving `database_url` from `folder`."""
    env = {
        **os.environ,
        'DATABASE_URL': database_url,
        'CERTIFICATE_KEY_DIR': str(folder / 'keys'),
        'SECRET_KEY': 'load-bench-secret-key-0123456789abcdef',
        'PUBLIC_BASE_URL': base_url,
        'JOBS_SQLITE_PATH': str(folder / 'jobs.sqlite'),
        'EXPORTS_DIR': str(folder / 'exports'),
        'RATELIMIT_ENABLED': 'false',
        **extra,
    }
    env.pop('GUNICORN_CMD_ARGS', None)
    return env


# -- load ----------------------------------------------------------------------------------


def targets(serial):
    """(label, path, logged in) of every target, in the order they are loaded."""
    return [
        ('verification page', f'/verify/{serial}', False),
        ('verification API', f'/api/v1/verify/{serial}', False),
        ('catalogue', '/catalogue/', False),
        ('home page', '/', False),
        ('participant /home', '/home', True),
    ]


async def log_in(session, base_url, email, password):
    """The Cookie header of a session logged in as `email`, through the login form."""
    async with session.get(f'{base_url}/login') as response:
        page = await response.text()
        cookies = {k: m.value for k, m in response.cookies.items()}
    token = _CSRF.search(page)
    form = {'email': email, 'password': password}
    if token:
        form['csrf_token'] = token.group(1)
    headers = {'Cookie': '; '.join(f'{k}={v}' for k, v in cookies.items())}
    async with session.post(
        f'{base_url}/login', data=form, headers=headers, allow_redirects=False
    ) as response:
        if response.status != 302:
            raise RuntimeError(f'logging in as {email} answered {response.status}')
        cookies.update({k: m.value for k, m in response.cookies.items()})
    return '; '.join(f'{k}={v}' for k, v in cookies.items())


async def _connection(session, url, headers, deadline, latencies, errors, started):
    while time.perf_counter() < deadline:
        begun = time.perf_counter()
        try:
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            status = type(error).__name__
        latencies.append(time.perf_counter() - begun)
        if status != 200:
            errors.append((round(begun - started, 3), status))


async def drive(base_url, plan, *, seconds, connections, rounds, cookie, on_round=None):
    """Load each target of `plan` for its share of `seconds`, round after round; returns
    {label: {'latencies': [...], 'elapsed': s, 'errors': [(t, status), ...], 'started': at}},
    each error's t in seconds from `started`, a time.perf_counter()."""
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    share = seconds / (rounds * len(plan))
    started = time.perf_counter()
    # `started` says when the errors' times count from (time.perf_counter's clock).
    measured = {
        label: {'latencies': [], 'elapsed': 0.0, 'errors': [], 'started': started}
        for label, *_ in plan
    }
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        for number in range(rounds):
            if on_round:
                on_round(number)
            for label, path, logged_in in plan:
                headers = {'Cookie': cookie} if logged_in else {}
                into = measured[label]
                begun = time.perf_counter()
                deadline = begun + share
                await asyncio.gather(
                    *(
                        _connection(
                            session,
                            f'{base_url}{path}',
                            headers,
                            deadline,
                            into['latencies'],
                            into['errors'],
                            started,
                        )
                        for _ in range(connections)
                    )
                )
                into['elapsed'] += time.perf_counter() - begun
    return measured


def percentile(sorted_values, q):
    if not sorted_values:
        return float('nan')
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def summary(measured):
    """{label: {'requests_per_second', 'p50_ms', 'p99_ms', 'requests', 'errors'}}."""
    result = {}
    for label, run in measured.items():
        latencies = sorted(run['latencies'])
        result[label] = {
            'requests': len(latencies),
            'requests_per_second': len(latencies) / run['elapsed'] if run['elapsed'] else 0.0,
            'p50_ms': 1000 * statistics.median(latencies) if latencies else float('nan'),
            'p99_ms': 1000 * percentile(latencies, 0.99),
            'errors': len(run['errors']),
        }
    return result


def report(figures, header, ratios=True):
    print(header)
    print(f'{"target":<20}{"req/s":>9}{"p50 ms":>9}{"p99 ms":>9}{"requests":>10}{"errors":>8}')
    for label, f in figures.items():
        print(
            f'{label:<20}{f["requests_per_second"]:>9.0f}{f["p50_ms"]:>9.1f}'
            f'{f["p99_ms"]:>9.1f}{f["requests"]:>10}{f["errors"]:>8}'
        )
    reference = figures.get('verification page', {}).get('requests_per_second')
    if reference and ratios:
        print('\nrate against the verification page (target: at least 0.33x):')
        for label in ('catalogue', 'home page', 'participant /home'):
            if label in figures:
                ratio = figures[label]['requests_per_second'] / reference
                verdict = 'meets' if ratio >= 1 / 3 else 'below'
                print(f'  {label:<20}{ratio:>6.2f}x  ({verdict} the target)')
    errors = sum(f['errors'] for f in figures.values())
    print(f'\nerrors: {errors}' + ('' if errors == 0 else '  (there must be none)'))
    return errors


def run_load(base_url, serial, account, *, seconds, connections, rounds, on_round=None):
    async def main():
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            cookie = await log_in(session, base_url, *account)
        plan = targets(serial)
        # A short warm-up, not counted: each target once on every connection.
        await drive(
            base_url,
            plan,
            seconds=0.2 * len(plan),
            connections=connections,
            rounds=1,
            cookie=cookie,
        )
        return await drive(
            base_url,
            plan,
            seconds=seconds,
            connections=connections,
            rounds=rounds,
            cookie=cookie,
            on_round=on_round,
        )

    return asyncio.run(main())


# -- PostgreSQL ------------------------------------------------------------------------------


def create_database(server_url, name):
    """Create database `name` on the server of `server_url`; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(server_url, isolation_level='AUTOCOMMIT')
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url, name):
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url, isolation_level='AUTOCOMMIT')
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# -- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seconds', type=float, default=60.0, help='in all (default 60)')
    parser.add_argument('--connections', type=int, default=64)
    parser.add_argument('--rounds', type=int, default=3, help='the seconds split in rounds')
    parser.add_argument('--url', help='a running server (default: start one)')
    parser.add_argument('--serial', help='with --url: a certificate to verify')
    parser.add_argument('--login', help='with --url: EMAIL:PASSWORD of a participant')
    parser.add_argument('--postgres', help='a PostgreSQL server URL to make a database on')
    parser.add_argument('--json', help='write the figures and error times to this file')
    args = parser.parse_args()

    if args.url:
        if not (args.serial and args.login and ':' in args.login):
            parser.error('--url needs --serial and --login EMAIL:PASSWORD')
        measured = run_load(
            args.url.rstrip('/'),
            args.serial,
            tuple(args.login.split(':', 1)),
            seconds=args.seconds,
            connections=args.connections,
            rounds=args.rounds,
        )
        where = args.url
    else:
        measured, where = _own_server(args)
    figures = summary(measured)
    header = (
        f'{where}: {args.connections} connections, {args.seconds:g} s in {args.rounds} '
        f'round(s), {os.cpu_count()} CPUs\n'
    )
    errors = report(figures, header)
    if args.json:
        document = {
            'figures': figures,
            'errors': {label: run['errors'] for label, run in measured.items()},
        }
        Path(args.json).write_text(json.dumps(document, indent=1), encoding='utf-8')
    sys.exit(1 if errors else 0)


def _own_server(args):
    name = f'lms_load_{os.getpid()}'
    with tempfile.TemporaryDirectory(prefix='load-bench-') as tmp:
        folder = Path(tmp)
        port = free_port()
        base_url = f'http://127.0.0.1:{port}'
        if args.postgres:
            database_url = create_database(args.postgres, name)
        else:
            database_url = f'sqlite:///{folder / "academy.sqlite"}'
        try:
            serial, account = prepare(database_url, folder, base_url)
            server = start_gunicorn('wsgi:app', port, server_env(database_url, folder, base_url))
            try:
                measured = run_load(
                    base_url,
                    serial,
                    account,
                    seconds=args.seconds,
                    connections=args.connections,
                    rounds=args.rounds,
                )
            finally:
                stop(server)
        finally:
            if args.postgres:
                drop_database(args.postgres, name)
    kind = 'PostgreSQL' if args.postgres else 'SQLite'
    return measured, f'gunicorn (gunicorn.conf.py) on {kind}, demo academy'


if __name__ == '__main__':
    main()
