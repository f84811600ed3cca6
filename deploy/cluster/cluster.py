"""The academy as several processes behind nginx, on this one machine, and what must hold.

Starts, on loopback only: two gunicorn instances (the project's gunicorn.conf.py,
PROXY_HOPS=1) on ports of their own, one job worker, and Debian's nginx in front of them
with the project's own proxy rules (deploy/nginx/academy-proxy.conf) in a configuration
generated into a temporary folder (plain HTTP on loopback, run as the current user); all
share a fresh PostgreSQL database (lms_cluster_<pid>, dropped at the end), Redis (rate
limits and the job queue, on a queue of its own), the key folder and the exports folder.
It loads the demo academy, then checks:

  shared rate limits   one client's requests counted once across both instances
  issued on one        a certificate issued through one instance verifies on the other
  sessions             a session begun on one instance works on the other
  load, one killed     bench/load.py through nginx; one instance killed half-way: no
                       failed request but those it was answering when killed, in the
                       first seconds (nginx retries the rest on the other)
  revocation           a certificate revoked shows as revoked through nginx within the
                       lifetime of nginx's cache (30 s)
  job worker           an e-mail queued by a web server is sent by the worker

and prints PASS or FAIL for each; exits 1 when any fails. Bounded: every wait has a
deadline, and deploy/cluster/run.sh stops the whole after 10 minutes.

Run: make cluster  (or deploy/cluster/run.sh [--seconds 40] [--connections 64])
Settings: CLUSTER_POSTGRES (a server URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres), CLUSTER_REDIS (a database of its
own, whose rate-limit counters are removed before and after; default
redis://127.0.0.1:6379/13), NGINX (default /usr/sbin/nginx).
"""

import argparse
import contextlib
import itertools
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / 'bench'))
sys.path.insert(0, str(ROOT / 'deploy' / 'cluster'))

import requests  # noqa: E402
from load import (  # noqa: E402
    create_database,
    drop_database,
    prepare,
    report,
    run_load,
    server_env,
    summary,
)
from local_nginx import kill_group, start_nginx  # noqa: E402
from verify import free_port, start_gunicorn, stop  # noqa: E402

#: How long nginx keeps a verification answer (deploy/nginx/academy-proxy.conf).
CACHE_SECONDS = 30
#: The requests an instance was answering when it was killed die with it: those begun
#: from IN_FLIGHT_SECONDS before the kill to GRACE_SECONDS after it (while nginx learns
#: that the instance is gone) may fail; no other request may, before or after.
IN_FLIGHT_SECONDS = 2.0
GRACE_SECONDS = 3.0
#: The icon of the verification page's banner for a revoked certificate.
REVOKED_BANNER = 'bi-x-octagon-fill'
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Checks:
    def __init__(self):
        self.results = []

    def record(self, name, ok, detail):
        self.results.append((name, ok, detail))
        print(f'{"PASS" if ok else "FAIL"}  {name}: {detail}', flush=True)

    def run(self, name, check):
        try:
            ok, detail = check()
        except Exception as error:
            ok, detail = False, f'{type(error).__name__}: {error}'
        self.record(name, ok, detail)


# -- the checks ------------------------------------------------------------------------------


def _csrf(session, url):
    page = session.get(url, timeout=10).text
    return _CSRF.search(page).group(1)


def check_rate_limits(a, b, serial):
    """The verification budget of one address, asked of each instance directly: every
    answer counts one more against the same budget, whichever instance gives it."""
    client = f'198.18.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}'
    headers = {'X-Forwarded-For': client}
    remaining = []
    for base in (a, b, a, b):
        response = requests.get(f'{base}/api/v1/verify/{serial}', headers=headers, timeout=10)
        remaining.append(int(response.headers['X-RateLimit-Remaining']))
    steps = [x - y for x, y in itertools.pairwise(remaining)]
    counted = steps == [1, 1, 1]
    # And a limit reached through both: the login budget (10 a minute), 5 tries on each.
    session = requests.Session()
    token = _csrf(session, f'{a}/login')
    statuses = []
    other = f'198.19.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}'
    for i in range(11):
        base = a if i % 2 == 0 else b
        response = session.post(
            f'{base}/login',
            data={'email': 'nobody@example.ge', 'password': 'wrong-password', 'csrf_token': token},
            headers={'X-Forwarded-For': other},
            allow_redirects=False,
            timeout=30,
        )
        statuses.append(response.status_code)
    limited = all(s != 429 for s in statuses[:10]) and statuses[10] == 429
    return counted and limited, (
        f'X-RateLimit-Remaining of one address, asked of A, B, A, B: {remaining}; '
        f'11 wrong logins alternating A/B answered {statuses} (the 11th must be 429)'
    )


def admin_token(env):
    out = subprocess.run(
        [sys.executable, '-m', 'flask', '--app', 'wsgi', 'users', 'token', 'admin@demo.academy.ge'],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1].strip()


def check_issued_on_one(a, b, serial, token):
    """Reissue (a new certificate, signed with the shared keys) through A; verify on B."""
    response = requests.post(
        f'{a}/api/v1/certificates/{serial}/reissue',
        json={},
        headers={'Authorization': f'Bearer {token}'},
        timeout=60,
    )
    if response.status_code != 201:
        return False, f'reissue through A answered {response.status_code}: {response.text[:300]}'
    new = response.json()['serial']
    answer = requests.get(f'{b}/api/v1/verify/{new}', timeout=10).json()
    page = requests.get(f'{b}/verify/{new}', timeout=10)
    old = requests.get(f'{b}/api/v1/verify/{serial}', timeout=10).json()
    ok = (
        answer.get('status') == 'valid'
        and answer.get('signature_valid') is True
        and page.status_code == 200
        and old.get('status') == 'superseded'
    )
    return (
        ok,
        (
            f'{new} issued through A: on B {answer.get("status")}, signature_valid='
            f'{answer.get("signature_valid")}, page {page.status_code}; the one it replaced, '
            f'{serial}: {old.get("status")}'
        ),
        new,
    )


def check_sessions(a, b, account):
    """Log in on A; the same cookie opens the participant's own page on B, and back."""
    session = requests.Session()
    token = _csrf(session, f'{a}/login')
    response = session.post(
        f'{a}/login',
        data={'email': account[0], 'password': account[1], 'csrf_token': token},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        return False, f'logging in on A answered {response.status_code}'
    on_b = session.get(f'{b}/home', allow_redirects=False, timeout=10)
    on_a = session.get(f'{a}/home', allow_redirects=False, timeout=10)
    # A form on B with the token of A's page: the CSRF token is shared too.
    token_b = _csrf(session, f'{b}/account/tokens')
    out = session.post(f'{a}/logout', data={'csrf_token': token_b}, allow_redirects=False)
    after = session.get(f'{b}/home', allow_redirects=False, timeout=10)
    ok = (
        on_b.status_code == 200
        and on_a.status_code == 200
        and out.status_code in (302, 303)
        and after.status_code == 302
    )
    return ok, (
        f'logged in on A; /home on B {on_b.status_code}, on A {on_a.status_code}; logged out '
        f'on A with a form of B ({out.status_code}); /home on B then {after.status_code} '
        '(302: to the login page)'
    )


def check_load(base, serial, account, a_process, *, seconds, connections):
    """bench/load.py through nginx; instance A killed half-way through."""
    killed = {}

    def kill_a():
        killed['at'] = time.perf_counter()
        kill_group(a_process)

    started = time.perf_counter()
    timer = threading.Timer(seconds / 2, kill_a)
    timer.start()
    try:
        measured = run_load(
            base,
            serial,
            account,
            seconds=seconds,
            connections=connections,
            rounds=2,
        )
    finally:
        timer.cancel()
    figures = summary(measured)
    # nginx answers most verifications from its cache: no ratio to them is printed.
    report(figures, f'\nload through nginx: {connections} connections, {seconds:g} s\n', False)
    # Each error at the time its request began, in seconds from the kill.
    errors = [
        (round(run['started'] + t - killed.get('at', started), 3), status)
        for run in measured.values()
        for t, status in run['errors']
    ]
    cut = [e for e in errors if -IN_FLIGHT_SECONDS <= e[0] <= GRACE_SECONDS]
    other = [e for e in errors if e not in cut]
    ok = 'at' in killed and not other
    return ok, (
        f'{sum(f["requests"] for f in figures.values())} requests, instance A killed '
        f'{killed.get("at", started) - started:.1f} s into the run (warm-up included); '
        f'{len(cut)} begun from {IN_FLIGHT_SECONDS:g} s before the kill to '
        f'{GRACE_SECONDS:g} s after it failed (in flight on A: a machine that dies while '
        f'answering loses that answer), {len(other)} at any other time'
        + (f' (seconds from the kill: {other[:5]})' if other else '')
    )


def check_revocation(base, serial, token):
    """Revoke through nginx; nginx's cached 'valid' gives way to 'revoked' in time."""
    before = requests.get(f'{base}/api/v1/verify/{serial}', timeout=10)
    requests.get(f'{base}/verify/{serial}', timeout=10)  # the page is cached too
    cached = requests.get(f'{base}/api/v1/verify/{serial}', timeout=10)
    response = requests.post(
        f'{base}/api/v1/certificates/{serial}/revoke',
        json={'reason': 'Issued in error (cluster check).'},
        headers={'Authorization': f'Bearer {token}'},
        timeout=60,
    )
    if response.status_code != 200:
        return False, f'revoking through nginx answered {response.status_code}: {response.text}'
    revoked_at = time.monotonic()
    deadline = revoked_at + CACHE_SECONDS + 5
    seen = {}
    while time.monotonic() < deadline and len(seen) < 2:
        api = requests.get(f'{base}/api/v1/verify/{serial}', timeout=10)
        page = requests.get(f'{base}/verify/{serial}', timeout=10)
        if 'api' not in seen and api.json().get('status') == 'revoked':
            seen['api'] = time.monotonic() - revoked_at
        if 'page' not in seen and REVOKED_BANNER in page.text:
            seen['page'] = time.monotonic() - revoked_at
        time.sleep(1)
    ok = len(seen) == 2 and before.json().get('status') == 'valid'
    return ok, (
        f'valid before (nginx cache: {cached.headers.get("X-Cache-Status")}); revoked through '
        f'nginx, then the API showed it revoked after '
        f'{_seconds(seen.get("api"))}, the page after {_seconds(seen.get("page"))} '
        f'(must be within the cache lifetime, {CACHE_SECONDS} s, + 5 s for nginx counting '
        'whole seconds and for the polling, once a second)'
    )


def _seconds(value):
    return 'never' if value is None else f'{value:.1f} s'


def check_worker(base, database_url, email, worker):
    """A password reset asked through nginx: its e-mail is queued on Redis by a web server
    and sent by the worker (MAIL_URL=console: into the worker's log)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        before = connection.execute(text('SELECT coalesce(max(id), 0) FROM outbox')).scalar()
    session = requests.Session()
    token = _csrf(session, f'{base}/reset-password')
    asked = session.post(
        f'{base}/reset-password',
        data={'email': email, 'csrf_token': token},
        allow_redirects=False,
        timeout=30,
    )
    status, waited, started = None, None, time.monotonic()
    try:
        while time.monotonic() - started < 60:
            with engine.connect() as connection:
                status = connection.execute(
                    text(
                        'SELECT status FROM outbox WHERE to_address = :email AND id > :before '
                        'ORDER BY id DESC LIMIT 1'
                    ),
                    {'email': email, 'before': before},
                ).scalar()
            if status == 'sent':
                waited = time.monotonic() - started
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    alive = worker.poll() is None
    return status == 'sent' and alive, (
        f'reset asked through nginx ({asked.status_code}); its e-mail '
        + (f'sent by the worker {waited:.1f} s later' if waited is not None else f'is {status}')
        + f' (a new row of the outbox, after #{before})'
        + ('; the worker still runs' if alive else '; the worker stopped')
    )


# -- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seconds', type=float, default=40.0, help='of load (default 40)')
    parser.add_argument('--connections', type=int, default=64)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))  # run.sh's deadline: clean up

    nginx = os.environ.get('NGINX') or shutil.which('nginx') or '/usr/sbin/nginx'
    if not os.access(nginx, os.X_OK):
        sys.exit('nginx is missing: make cluster installs it (Debian nginx-light)')
    postgres = os.environ.get(
        'CLUSTER_POSTGRES', 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres'
    )
    redis_url = os.environ.get('CLUSTER_REDIS', 'redis://127.0.0.1:6379/13')
    name = f'lms_cluster_{os.getpid()}'
    checks = Checks()
    processes = []
    folder = Path(tempfile.mkdtemp(prefix='academy-cluster-'))
    try:
        port, port_a, port_b = free_port(), free_port(), free_port()
        base = f'http://127.0.0.1:{port}'
        a, b = f'http://127.0.0.1:{port_a}', f'http://127.0.0.1:{port_b}'
        print(f'nginx {base} -> gunicorn A {a}, B {b}; PostgreSQL {name}; Redis {redis_url}')
        _forget_queue(redis_url, name)
        database_url = create_database(postgres, name)
        print('Loading the demo academy...', flush=True)
        serial, account = prepare(database_url, folder, base)
        env = server_env(
            database_url,
            folder,
            base,
            REDIS_URL=redis_url,
            JOBS_QUEUE=name,
            PROXY_HOPS='1',
            RATELIMIT_ENABLED='true',
            # High enough for the load (which comes through nginx, from one address), low
            # enough to read the shared count in its headers.
            VERIFY_RATE_LIMIT='1000000 per minute',
            GUNICORN_WORKERS='2',
            MAIL_URL='console',
        )
        instance_a = start_gunicorn('wsgi:app', port_a, env)
        processes.append(instance_a)
        processes.append(start_gunicorn('wsgi:app', port_b, env))
        worker = subprocess.Popen(
            [sys.executable, '-m', 'flask', '--app', 'wsgi', 'worker', '--workers', '1'],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(folder / 'worker.log', 'wb'),  # noqa: SIM115 - lives as long as the worker
            start_new_session=True,
        )
        processes.append(worker)
        processes.append(start_nginx(nginx, folder, port, [port_a, port_b]))
        print('Running.\n', flush=True)

        token = admin_token(env)
        checks.run('rate limits shared', lambda: check_rate_limits(a, b, serial))
        outcome = {}

        def issued():
            ok, detail, new = check_issued_on_one(a, b, serial, token)
            outcome['serial'] = new
            return ok, detail

        checks.run('issued on A, verified on B', issued)
        checks.run('session moves between instances', lambda: check_sessions(a, b, account))
        current = outcome.get('serial', serial)
        checks.run(
            'load through nginx, A killed half-way',
            lambda: check_load(
                base,
                current,
                account,
                instance_a,
                seconds=args.seconds,
                connections=args.connections,
            ),
        )
        checks.run('revocation shows through nginx', lambda: check_revocation(base, current, token))
        checks.run('job worker', lambda: check_worker(base, database_url, account[0], worker))
    except Exception as error:
        checks.record('cluster started', False, f'{type(error).__name__}: {error}')
    finally:
        for process in reversed(processes):
            with contextlib.suppress(Exception):  # stopping the rest matters more
                stop(process)
        try:
            drop_database(postgres, name)
        except Exception as error:
            print(f'could not drop {name}: {error}')
        _forget_queue(redis_url, name)
        shutil.rmtree(folder, ignore_errors=True)

    failed = [n for n, ok, _ in checks.results if not ok]
    print(f'\n{len(checks.results) - len(failed)} of {len(checks.results)} checks passed.')
    sys.exit(1 if failed else 0)


def _forget_queue(redis_url, name):
    """Remove this run's job queue and every rate-limit counter from the Redis database
    (CLUSTER_REDIS is the cluster's own): a run must not find the counts of the last one
    (the demo participant's password resets are limited per hour)."""
    try:
        import redis

        client = redis.Redis.from_url(redis_url)
        for pattern in (f'*{name}*', 'LIMITS:*'):
            for key in client.scan_iter(match=pattern):
                client.delete(key)
    except Exception as error:
        print(f'could not clean Redis: {error}')


if __name__ == '__main__':
    main()
