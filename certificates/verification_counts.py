"""Verification counts written in batches, by a background thread (VERIFY_COUNT_INTERVAL).

Every verification of a certificate found adds one to its counter, always with an atomic
`SET verification_count = verification_count + n`, so no count is lost between workers.
How soon depends on VERIFY_COUNT_INTERVAL:

- 0: in the statement that reads the row (`UPDATE ... RETURNING`, verification_fastpath),
  inside the caller's transaction: the caller commits (tests, and a deployment that wants
  every count at once).
- more (seconds, the default 1): counted here, in the worker's memory, and written in one
  batch per interval by a background thread, and when the worker exits. One certificate
  checked by many people at once is one hot row; a write per request on it serialises
  every worker behind the row lock (SQLite: behind the database lock, with millisecond
  back-off sleeps), which cut the verification rate to a tenth (bench/verify.py). The
  price: a worker killed outright loses the counts of its last interval.
"""

import atexit
import logging
import os
import threading
import time
from collections import Counter

from sqlalchemy import bindparam
from sqlalchemy.exc import SQLAlchemyError

from certificates.models import Certificate

logger = logging.getLogger(__name__)

_table = Certificate.__table__
_ADD_COUNT = (
    _table.update()
    .where(_table.c.id == bindparam('certificate_id'))
    .values(verification_count=_table.c.verification_count + bindparam('n'))
)


class _Counts:
    """Verifications counted in this process and not yet written.

    The first count in a process starts a daemon thread that writes the counts every
    `interval` seconds; an atexit hook writes what is left when the process ends. Both
    start lazily, in the process that counts: gunicorn forks its workers from a master
    that loaded the app, and a thread does not survive a fork.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}  # engine: Counter({certificate_id: verifications})
        self._pid = None

    def add(self, engine, certificate_id, interval):
        with self._lock:
            self._pending.setdefault(engine, Counter())[certificate_id] += 1
            if self._pid != os.getpid():
                self._pid = os.getpid()
                atexit.register(self.flush)
                threading.Thread(
                    target=self._run, args=(interval,), name='verification-counts', daemon=True
                ).start()

    def flush(self):
        """Write every pending count, one atomic `+ n` per certificate and database."""
        with self._lock:
            pending, self._pending = self._pending, {}
        for engine, counts in pending.items():
            try:
                with engine.begin() as connection:
                    connection.execute(
                        _ADD_COUNT, [{'certificate_id': i, 'n': n} for i, n in counts.items()]
                    )
            except SQLAlchemyError:
                logger.exception('verification counts not written; kept for the next try')
                with self._lock:
                    self._pending.setdefault(engine, Counter()).update(counts)

    def _run(self, interval):
        while True:
            time.sleep(interval)
            self.flush()


_counts = _Counts()


def count_later(engine, certificate_id, interval):
    """Count one verification of the certificate `certificate_id` in `engine`'s database,
    written within `interval` seconds."""
    _counts.add(engine, certificate_id, interval)


def flush_verification_counts():
    """Write the verifications this process counted but has not written yet."""
    _counts.flush()
