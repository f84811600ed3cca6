"""How a verification is answered fast: the row read, and answers kept per process.

What an answer is, is verification.py's alone (judge, check_credential); this module only
decides how the certificate's row is read, how it is counted and how often the rules run.
Nothing here changes an answer: tests/certificates/test_verification.py checks that every
state answers the same whether the row comes typed by SQLAlchemy or raw from the driver.

Every verification reads the certificate's row afresh (statements built once; when
nothing is written, with the driver's own cursor, the ORM's bookkeeping being most of the
cost of a lookup this small). What follows from the row is kept per process:

- the credential check, per compact JWS: RS256 and JSON parsing cost far more than the
  rest, and a credential never changes once issued. Keys are never removed from the store
  (retired keys still verify), so a kept verdict does not go stale;
- the whole answer (a Verification, immutable and compared by identity), per row as read
  and day: a revocation, a reissue or any edit of the row changes the row, so a changed
  certificate is never answered from an older entry. The pages and the API keep what they
  make of an answer (HTML, JSON) per answer in turn.
"""

import threading
from collections import namedtuple
from functools import lru_cache

from cachetools import LRUCache, cached
from flask import current_app
from sqlalchemy import bindparam, select

from certificates.models import Certificate
from certificates.service import key_store
from certificates.verification_counts import count_later
from lms.extensions import db

_table = Certificate.__table__
#: The columns the rules read, in this order in every statement and raw row.
_RETURNED = (
    _table.c.id,
    _table.c.serial,
    _table.c.status,
    _table.c.claims_json,
    _table.c.credential_jws,
    _table.c.key_id,
    _table.c.pdf_sha256,
    _table.c.issued_on,
    _table.c.valid_until,
    _table.c.revoked_at,
    _table.c.revocation_category,
    _table.c.supersedes_id,
)
_Row = namedtuple('_Row', [column.name for column in _RETURNED])

_READ = select(*_RETURNED).where(_table.c.serial == bindparam('s'))
_COUNT_AND_READ = (
    _table.update()
    .where(_table.c.serial == bindparam('s'))
    .values(verification_count=_table.c.verification_count + 1)
    .returning(*_RETURNED)
)
_SUCCESSOR = select(_table.c.serial, _table.c.issued_on).where(
    _table.c.supersedes_id == bindparam('id')
)
_PREDECESSOR = select(_table.c.serial, _table.c.issued_on).where(_table.c.id == bindparam('id'))


def answer(serial, *, today, judge, check_credential):
    """The Verification of the certificate with the normalised `serial` on `today`, or None
    when no certificate has it. The certificate found is counted (verification_counts).

    `judge` and `check_credential` are verification.py's rules, called here only when the
    answer is not kept yet.
    """

    def judged(connection, row, store, zone):
        return _judge_row(connection, row, today, zone, store, judge, check_credential)

    interval = current_app.config['VERIFY_COUNT_INTERVAL']
    if interval <= 0:
        # Counted in the statement that reads the row, in the caller's transaction.
        connection = db.session.connection()
        row = connection.execute(_COUNT_AND_READ, {'s': serial}).first()
        if row is None:
            return None
        return _kept(tuple(row), today, lambda store, zone: judged(connection, row, store, zone))
    # Nothing to write in the request: the driver's own cursor on a pooled connection, no
    # session; the values are typed only when the answer is not kept yet.
    engine = db.engine
    raw = _read_raw(engine, serial)
    if raw is None:
        return None
    count_later(engine, raw[0], interval)

    def build(store, zone):
        with engine.connect() as connection:
            return judged(connection, _typed(engine.dialect, raw), store, zone)

    return _kept(raw, today, build)


def _judge_row(connection, row, today, zone, store, judge, check_credential):
    """Read what the rules need besides the row, and judge it."""
    # Only a certificate no longer valid can have been replaced.
    successor = None
    if row.status != 'valid':
        successor = connection.execute(_SUCCESSOR, {'id': row.id}).first()
    predecessor = None
    if row.supersedes_id is not None:
        predecessor = connection.execute(_PREDECESSOR, {'id': row.supersedes_id}).first()
    return judge(
        row,
        _checked(store, row.credential_jws, check_credential),
        today=today,
        zone=zone,
        predecessor=predecessor,
        successor=successor,
    )


#: Answers by (key store, time zone, day, row): rows carry the credential and claims, a
#: few KB each, so a few hundred certificates in the hot set cost a few MB.
_answers = LRUCache(maxsize=512)
_answers_lock = threading.Lock()


def _kept(row, today, build):
    """The answer for `row` (its values as read) on `today`, from `build(store, zone)` once.

    The answer follows from the row (status, dates, credential and claims as stored), the
    day, the keys and the academy's time zone: for the same four, the same immutable
    Verification. Building one reads the database, so it runs outside the lock; two
    threads building the same answer at once both get the one kept first. (Written out
    rather than with cachetools.cached, whose wrapper doubles the cost of a hit, and a hit
    is every verification.)
    """
    store, zone = key_store(), current_app.config['BABEL_DEFAULT_TIMEZONE']
    key = (store, zone, today, row)
    with _answers_lock:
        try:
            return _answers[key]
        except KeyError:
            pass
    answer = build(store, zone)
    with _answers_lock:
        return _answers.setdefault(key, answer)


@cached(
    LRUCache(maxsize=1024),
    key=lambda store, token, check_credential: (store, token),
    lock=threading.Lock(),
)
def _checked(store, token, check_credential):
    """What `token` proves against `store`'s keys, checked once per process per JWS."""
    return check_credential(store, token)


def _read_raw(engine, serial):
    """The certificate's row as the driver returns it (a tuple), or None."""
    sql, positional = _raw_select(engine.dialect)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, (serial,) if positional else {'s': serial})
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        connection.close()
    return None if row is None else tuple(row)


@lru_cache(maxsize=8)
def _raw_select(dialect):
    compiled = _READ.compile(dialect=dialect)
    return compiled.string, compiled.positional


@lru_cache(maxsize=8)
def _processors(dialect):
    return tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in _RETURNED
    )


def _typed(dialect, raw):
    """A raw row with the values SQLAlchemy would give (dates, aware times), by name."""
    return _Row(
        *(
            value if f is None else f(value)
            for f, value in zip(_processors(dialect), raw, strict=True)
        )
    )
