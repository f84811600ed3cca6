"""Benchmark: the cost of a bearer token on an API request, and of the password rule.

Runs the app in process (Flask's test client) on a temporary SQLite file, the way a
single worker would, and prints milliseconds per request for GET /api/v1/me and GET
/api/v1/organizations with a valid token. A token's last use is written at most once a
minute, after the request, so a client calling many times a minute costs one small UPDATE
a minute rather than an UPDATE and a commit on every call. Also prints how long loading
the common-password list takes (once per process) and one check against it.

Run: .venv/bin/python bench/api_token.py [--requests 1000]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import TestConfig  # noqa: E402
from lms import create_app  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.models import User  # noqa: E402
from lms.people import passwords  # noqa: E402
from lms.people.service import issue_token  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--requests', type=int, default=1000)
    n = parser.parse_args().requests
    folder = tempfile.mkdtemp()
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f'sqlite:///{folder}/bench.sqlite',
        CERTIFICATE_KEY_DIR=f'{folder}/keys',
    )
    with app.app_context():
        db.create_all()
        admin = User(
            email='admin@bench.test', full_name_ka='ადმინი', full_name_en='Admin', role='admin'
        )
        db.session.add(admin)
        db.session.flush()
        headers = {'Authorization': f'Bearer {issue_token(admin)}'}
        db.session.commit()
    client = app.test_client()
    for _ in range(50):  # warm-up
        client.get('/api/v1/me', headers=headers)
    for path in ('/api/v1/me', '/api/v1/organizations'):
        started = time.perf_counter()
        for _ in range(n):
            assert client.get(path, headers=headers).status_code == 200
        print(f'GET {path:<24} {(time.perf_counter() - started) / n * 1e3:6.2f} ms/request')
    started = time.perf_counter()
    count = len(passwords.common_passwords())
    print(f'common passwords loaded     {(time.perf_counter() - started) * 1e3:6.1f} ms ({count})')
    started = time.perf_counter()
    for _ in range(100_000):
        passwords.is_common('correct horse battery')
    print(f'one check against the list  {(time.perf_counter() - started) / 100_000 * 1e6:6.2f} µs')


if __name__ == '__main__':
    main()
