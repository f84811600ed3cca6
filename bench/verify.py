"""Benchmark: public verification under gunicorn against a Flask hello world, same settings.

Both servers run the project's own gunicorn.conf.py (workers, gthread threads, keep-alive,
preloading, access log), on loopback, bind overridden to a free port. The academy runs on
a temporary SQLite database holding one issued certificate, with RATELIMIT_ENABLED=false.
A small asyncio load generator keeps C connections busy (keep-alive, one request at a
time per connection) for D seconds per target after a short warm-up, and prints requests
per second, p50 and p99 latency for:

    hello world                      GET /
    verification JSON                GET /api/v1/verify/<serial>
    verification JSON, revalidated   the same with If-None-Match (304)
    verification page                GET /verify/<serial>

and the ratios to hello world. Targets (issue 5): JSON >= 0.6x, page >= 0.5x, p99 < 50 ms
at 32 connections. The load generator runs on the same machine and takes CPU from the
servers; it does so for every target alike.

Run: .venv/bin/python bench/verify.py [--duration 10] [--connections 32] [--clients 1]
"""

import argparse
import asyncio
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

#: The hello world gunicorn serves beside the academy: `verify:hello` with bench/ on the path.
hello = Flask('hello')


@hello.get('/')
def hello_world():
    return 'Hello, World!'


_LENGTH = re.compile(rb'\r\ncontent-length:\s*(\d+)', re.IGNORECASE)
_CLOSE = re.compile(rb'\r\nconnection:\s*close', re.IGNORECASE)


# -- the academy's data ------------------------------------------------------------------


def prepare(folder, base_url):
    """A SQLite database in `folder` with the schema and one issued certificate."""
    from certificates import Claims, ClaimsSignatory, issue_certificate
    from config import Config
    from lms import create_app
    from lms.extensions import db
    from lms.models import Course, Enrollment, Offering, User

    settings = _settings(folder, base_url)
    app = create_app(
        Config,
        instance_path=str(folder / 'instance'),
        SQLALCHEMY_DATABASE_URI=settings['DATABASE_URL'],
        CERTIFICATE_KEY_DIR=settings['CERTIFICATE_KEY_DIR'],
        SECRET_KEY=settings['SECRET_KEY'],
        PUBLIC_BASE_URL=base_url,
    )
    with app.app_context():
        db.create_all()
        person = User(
            email='nino@example.ge',
            full_name_ka='ნინო ბერიძე',
            full_name_en='Nino Beridze',
            role='participant',
            sector='civil_servant',
        )
        course = Course(
            code='PB-101',
            title_ka='მონაწილეობითი ბიუჯეტირება',
            title_en='Participatory budgeting',
            kind='training',
            hours=Decimal(16),
        )
        offering = Offering(
            course=course,
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 3, 3),
            location='ქუთაისი',
        )
        enrollment = Enrollment(offering=offering, user=person, status='accepted')
        db.session.add_all([person, course, offering, enrollment])
        db.session.flush()
        claims = Claims(
            holder_name_ka='ნინო ბერიძე',
            holder_name_en='Nino Beridze',
            course_code='PB-101',
            course_title_ka='მონაწილეობითი ბიუჯეტირება',
            course_title_en='Participatory budgeting',
            course_kind='training',
            hours=Decimal(16),
            sessions_attended=4,
            sessions_total=4,
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 3, 3),
            place_ka='ქუთაისი',
            place_en='Kutaisi',
            issuer_name_ka=app.config['ACADEMY_NAME_KA'],
            issuer_name_en=app.config['ACADEMY_NAME_EN'],
            issuer_url=base_url,
            issued_on=date(2026, 3, 4),
            valid_until=date(2036, 3, 4),
            signatories=(
                ClaimsSignatory('თამარ ბერიძე', 'Tamar Beridze', 'დირექტორი', 'Director'),
            ),
        )
        certificate = issue_certificate(claims, enrollment_id=enrollment.id)
        db.session.commit()
        serial = certificate.formatted_serial
        db.engine.dispose()
    return serial


def _settings(folder, base_url):
    return {
        'DATABASE_URL': f'sqlite:///{folder / "academy.sqlite"}',
        'CERTIFICATE_KEY_DIR': str(folder / 'keys'),
        'SECRET_KEY': 'bench-secret-key',
        'PUBLIC_BASE_URL': base_url,
        'RATELIMIT_ENABLED': 'false',
    }


# -- servers -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_gunicorn(app_spec, port, env, *extra):
    """gunicorn with the project's gunicorn.conf.py, bound to 127.0.0.1:port."""
    command = [
        sys.executable,
        '-m',
        'gunicorn',
        '--no-control-socket',
        '--config',
        str(ROOT / 'gunicorn.conf.py'),
        '--bind',
        f'127.0.0.1:{port}',
        *extra,
        app_spec,
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'gunicorn {app_spec} stopped:\n{process.stderr.read().decode()}')
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError(f'gunicorn {app_spec} did not start')


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# -- load ----------------------------------------------------------------------------------


async def _connection(port, request, expected, deadline, latencies, failures):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b'\r\n\r\n')
            match = _LENGTH.search(head)
            if match:
                await reader.readexactly(int(match.group(1)))
            latencies.append(time.perf_counter() - started)
            if int(head[9:12]) != expected:
                failures.append(head[:12])
            if _CLOSE.search(head):
                writer.close()
                reader, writer = await asyncio.open_connection('127.0.0.1', port)
    finally:
        writer.close()


async def _load(port, request, expected, connections, duration):
    latencies, failures = [], []
    deadline = time.perf_counter() + duration
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _connection(port, request, expected, deadline, latencies, failures)
            for _ in range(connections)
        )
    )
    return latencies, len(failures), time.perf_counter() - started


def _client(port, request, expected, connections, duration, results):
    results.put(asyncio.run(_load(port, request, expected, connections, duration)))


def request_bytes(port, path, headers=()):
    lines = [f'GET {path} HTTP/1.1', f'Host: 127.0.0.1:{port}', *headers, '', '']
    return '\r\n'.join(lines).encode('latin-1')


def drive(port, request, *, connections, duration, clients, expected=200):
    """(latencies in seconds, failures, elapsed seconds) of `clients` processes sharing
    `connections` connections for `duration` seconds."""
    if clients == 1:
        return asyncio.run(_load(port, request, expected, connections, duration))
    results = multiprocessing.Queue()
    shares = [connections // clients + (i < connections % clients) for i in range(clients)]
    workers = [
        multiprocessing.Process(
            target=_client, args=(port, request, expected, share, duration, results)
        )
        for share in shares
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    return (
        [x for outcome in outcomes for x in outcome[0]],
        sum(outcome[1] for outcome in outcomes),
        max(outcome[2] for outcome in outcomes),
    )


def cpu_seconds(process):
    """User + system CPU time of a gunicorn (its process group: master and workers), from
    /proc; None where there is no /proc."""
    ticks = os.sysconf('SC_CLK_TCK')
    total = 0
    try:
        entries = os.listdir('/proc')
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == process.pid:  # process group
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def etag_of(port, path):
    with socket.create_connection(('127.0.0.1', port)) as s:
        s.sendall(f'GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'.encode())
        answer = b''
        while chunk := s.recv(65536):
            answer += chunk
    return re.search(rb'\r\netag:\s*(\S+)', answer, re.IGNORECASE).group(1).decode()


# -- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--duration', type=float, default=10.0, help='seconds per target')
    parser.add_argument('--connections', type=int, default=32)
    parser.add_argument('--clients', type=int, default=1, help='load generator processes')
    parser.add_argument('--rounds', type=int, default=5, help='the duration split in rounds')
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix='verify-bench-') as name:
        folder = Path(name)
        academy_port, hello_port = free_port(), free_port()
        base_url = f'http://127.0.0.1:{academy_port}'
        serial = prepare(folder, base_url)
        env = {**os.environ, **_settings(folder, base_url)}
        env.pop('GUNICORN_CMD_ARGS', None)
        academy = start_gunicorn('wsgi:app', academy_port, env)
        try:
            hello_server = start_gunicorn('verify:hello', hello_port, env, '--pythonpath', 'bench')
            try:
                print(
                    f'gunicorn.conf.py settings, {args.connections} connections, '
                    f'{args.duration:g} s per target in {args.rounds} rounds, '
                    f'{args.clients} load process(es), {os.cpu_count()} CPUs; '
                    f'certificate {serial}\n'
                )
                run = {'connections': args.connections, 'clients': args.clients}
                json_path = f'/api/v1/verify/{serial}'
                etag = etag_of(academy_port, json_path)
                targets = [
                    ('hello world', hello_port, '/', 200, (), hello_server),
                    ('verify JSON', academy_port, json_path, 200, (), academy),
                    (
                        'verify JSON 304',
                        academy_port,
                        json_path,
                        304,
                        (f'If-None-Match: {etag}',),
                        academy,
                    ),
                    ('verify page', academy_port, f'/verify/{serial}', 200, (), academy),
                ]
                rounds = max(1, args.rounds)
                share = args.duration / rounds
                measured = {label: [] for label, *_ in targets}
                for _, port, path, expected, headers, _server in targets:  # warm-up
                    request = request_bytes(port, path, headers)
                    drive(port, request, expected=expected, **{**run, 'duration': 1.0})
                # Round after round, each target in turn: a change in the machine's other
                # load (it is shared) hits every target alike instead of one of them.
                for _ in range(rounds):
                    for label, port, path, expected, headers, server in targets:
                        request = request_bytes(port, path, headers)
                        before = cpu_seconds(server)
                        latencies, failures, elapsed = drive(
                            port, request, expected=expected, **{**run, 'duration': share}
                        )
                        after = cpu_seconds(server)
                        cpu = None if before is None else after - before
                        measured[label].append((latencies, failures, elapsed, cpu))
            finally:
                stop(hello_server)
        finally:
            stop(academy)
    report(measured, rounds)


def report(measured, rounds):
    print(
        f'{"target":<18}{"req/s":>9}{"p50 ms":>9}{"p99 ms":>9}{"errors":>8}'
        f'{"server CPU":>12}  (µs per request)'
    )
    rates, cpus, round_rates = {}, {}, {}
    for label, runs in measured.items():
        latencies = sorted(x for run in runs for x in run[0])
        elapsed = sum(run[2] for run in runs)
        rates[label] = len(latencies) / elapsed
        round_rates[label] = [len(run[0]) / run[2] for run in runs]
        cpu = None if runs[0][3] is None else sum(run[3] for run in runs) / len(latencies)
        cpus[label] = cpu
        print(
            f'{label:<18}{rates[label]:>9.0f}'
            f'{1000 * statistics.median(latencies):>9.2f}'
            f'{1000 * percentile(latencies, 0.99):>9.2f}'
            f'{sum(run[1] for run in runs):>8}'
            f'{"" if cpu is None else f"{1e6 * cpu:.0f}":>12}'
        )
    print(f'\nratio to hello world (requests/s; median of {rounds} rounds; by server CPU):')
    hello = 'hello world'
    for label, target in (('verify JSON', 0.6), ('verify JSON 304', 0.6), ('verify page', 0.5)):
        ratio = rates[label] / rates[hello]
        per_round = statistics.median(
            a / b for a, b in zip(round_rates[label], round_rates[hello], strict=True)
        )
        by_cpu = '' if cpus[label] is None else f'{cpus[hello] / cpus[label]:.2f}x'
        verdict = 'meets' if ratio >= target else 'below'
        print(
            f'{label:<18}{ratio:>6.2f}x  {per_round:>5.2f}x  {by_cpu:>6}'
            f'   ({verdict} the {target}x target)'
        )
    load = os.getloadavg() if hasattr(os, 'getloadavg') else None
    if load:
        print(f'\nload average at the end: {load[0]:.2f} (the load generator counts as ~1)')


if __name__ == '__main__':
    main()
