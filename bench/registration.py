"""Benchmark: /register answers a known and an unknown address in the same time.

The page is the same for both (lms/people/registration.py); this measures that the time
does not tell them apart either. Runs the app in process (Flask's test client) on a
temporary SQLite file with production's password hashing (scrypt), and posts the form
alternately with an address that has an account and with fresh ones; prints the median
and the 10th and 90th percentiles of each, in milliseconds, and their difference.

Run: .venv/bin/python bench/registration.py [--requests 40]
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import TestConfig  # noqa: E402
from lms import create_app  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.people.service import create_user  # noqa: E402

FORM = {
    'full_name_ka': 'ნინო ბერიძე',
    'sector': 'citizen',
    'password': 'a long bench secret',
    'confirm': 'a long bench secret',
}


def _post(client, email):
    started = time.perf_counter()
    response = client.post('/register', data={**FORM, 'email': email})
    elapsed = (time.perf_counter() - started) * 1e3
    assert response.status_code == 200, re.findall(r'invalid-feedback[^>]*>([^<]*)', response.text)
    return elapsed


def _figures(times):
    deciles = statistics.quantiles(times, n=10)
    return statistics.median(times), deciles[0], deciles[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--requests', type=int, default=40)
    n = parser.parse_args().requests
    folder = tempfile.mkdtemp()
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f'sqlite:///{folder}/bench.sqlite',
        CERTIFICATE_KEY_DIR=f'{folder}/keys',
        # Production's hashing cost, which is what could tell the two apart.
        PASSWORD_HASH_METHOD='scrypt',  # noqa: S106 - a method's name
        MAIL_URL='',  # the mail is written to the outbox; nothing is delivered
    )
    with app.app_context():
        db.create_all()
        create_user(
            {'email': 'known@example.ge', 'full_name_ka': 'ცნობილი', 'password': 'x' * 12},
            actor=None,
        )
        db.session.commit()
    client = app.test_client()
    for i in range(5):  # warm-up
        _post(client, 'known@example.ge')
        _post(client, f'warm{i}@example.ge')
    known, unknown = [], []
    for i in range(n):
        known.append(_post(client, 'known@example.ge'))
        unknown.append(_post(client, f'new{i}@example.ge'))
    for label, times in (('known address', known), ('unknown address', unknown)):
        median, low, high = _figures(times)
        print(
            f'POST /register, {label:<16} median {median:6.1f} ms  (p10 {low:.1f}, p90 {high:.1f})'
        )
    difference = statistics.median(unknown) - statistics.median(known)
    print(f'difference of the medians        {difference:+6.1f} ms')


if __name__ == '__main__':
    main()
