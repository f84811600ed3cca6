"""Public verification: what a typed or scanned serial, or an uploaded PDF, proves.

The facts a verification shows come from the certificate's signed credential, verified
against the academy's public keys, never from the database's copy of the claims: an
edited row answers *not authentic*. A row is authentic when its credential verifies, was
issued for this very serial, and the stored claims, dates and key id agree with what was
signed. The status (revoked, superseded) lives only in the database, as does the
history; expiry is computed from the signed end date against the academy's date (Tbilisi).

A row that is not authentic keeps the status the database gives it (and its expiry by the
database's end date), but shows no certified facts: `signature_valid` is False, `claims`
is None and `problem` names what disagreed, as one of PROBLEMS (problem_sentence puts it
in the reader's language). Pages show a red "could not be verified" banner; the API
answers `status: "invalid"` and `signature_valid: false` with the facts null.

Every verification of an existing certificate (a typed serial, a scanned QR, an API call,
an uploaded PDF that matches) adds one to its counter, always with an atomic
`SET verification_count = verification_count + n`, so no count is lost between workers.
How soon depends on VERIFY_COUNT_INTERVAL:

- 0: in the statement that reads the row (`UPDATE ... RETURNING`), inside the caller's
  transaction: the caller commits (tests, and a deployment that wants every count at once).
- more (seconds, the default 1): counted in the worker's memory and written in one batch
  per interval by a background thread, and when the worker exits. One certificate checked
  by many people at once is one hot row; a write per request on it serialises every
  worker behind the row lock (SQLite: behind the database lock, with millisecond back-off
  sleeps), which cut the verification rate to a tenth (bench/verify.py). The price: a
  worker killed outright loses the counts of its last interval.

Speed: every verification reads the certificate's row afresh (statements built once; when
nothing is written, with the driver's own cursor, the ORM's bookkeeping being most of the
cost of a lookup this small). What follows from the row is cached per process:

- the credential check, per compact JWS: RS256 and JSON parsing cost far more than the
  rest, and a credential never changes once issued. Keys are never removed from the store
  (retired keys still verify), so a cached verdict does not go stale;
- the whole answer (a Verification, immutable and compared by identity), per row as read
  and day: a revocation, a reissue or any edit of the row changes the row, so a changed
  certificate is never answered from an older entry. The pages and the API keep what they
  make of an answer (HTML, JSON) per answer in turn.
"""

import atexit
import logging
import os
import threading
import time
from collections import Counter, OrderedDict, namedtuple
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from hashlib import sha256
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import SQLAlchemyError

from certificates.claims import Claims
from certificates.credential import (
    CredentialError,
    claims_from_payload,
    key_id_of,
    verify_credential,
)
from certificates.models import Certificate
from certificates.pades import extract_credential
from certificates.serials import (
    ALPHABET,
    LENGTH,
    clean,
    format_serial,
    has_valid_check,
    normalise,
)
from certificates.service import key_store
from lms.extensions import db

#: What a verification can answer. valid_until: valid, with an end date still ahead.
STATUSES = ('valid', 'valid_until', 'expired', 'revoked', 'superseded', 'not_found', 'typo')
#: The statuses of API.md's JSON, which folds valid_until into valid, and says invalid for
#: a record that is not authentic, whatever the database's status.
RECORD_STATUSES = ('valid', 'expired', 'revoked', 'superseded', 'invalid')
#: Why a record is not authentic (Verification.problem): the credential's own problems
#: (CredentialError codes), then the row disagreeing with a credential that verifies.
PROBLEMS = (
    'malformed',
    'unknown_key',
    'bad_signature',
    'other_serial',
    'claims_differ',
    'dates_differ',
    'key_differs',
)

#: The standard Georgian keyboard: the Latin key each Georgian letter sits on. A serial
#: typed with the keyboard left on Georgian still reads as the serial that was meant.
_GEORGIAN_KEYS = str.maketrans(
    dict(
        zip(
            'ქწერტყუიოპასდფგჰჯკლზხცვბნმჭღთშჟძჩ',
            'QWERTYUIOPASDFGHJKLZXCVBNMWRTSJZC',
            strict=True,
        )
    )
)
_VALUES = set(ALPHABET)
_GROUP = 4

logger = logging.getLogger(__name__)

_table = Certificate.__table__
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
    _table.c.revocation_reason,
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
_BY_PDF = select(_table.c.serial, _table.c.credential_jws).where(
    _table.c.pdf_sha256 == bindparam('digest')
)
_ADD_COUNT = (
    _table.update()
    .where(_table.c.id == bindparam('certificate_id'))
    .values(verification_count=_table.c.verification_count + bindparam('n'))
)


@dataclass(frozen=True)
class HistoryEvent:
    """One step in a certificate's life: issued, reissued, superseded or revoked."""

    kind: str  # issued, reissued (this one replaced `serial`), superseded (by `serial`), revoked
    on: date
    serial: str | None = None  # the other certificate, formatted
    reason: str | None = None


@dataclass(frozen=True)
class TypoHelp:
    """Why a text is not a serial, as codes and values; words are chosen where it is shown.

    `problem` is 'length' (not 12 characters), 'characters' (some are not in a serial's
    alphabet) or 'check' (the check character does not match the others). `groups` are the
    groups (1 to 3) that one changed character would turn into an issued serial, when the
    academy can tell; the serial itself is never revealed.
    """

    problem: str
    length: int
    bad_characters: tuple[str, ...] = ()
    groups: tuple[int, ...] = ()
    georgian_keyboard: bool = False


@dataclass(frozen=True, eq=False)
class Verification:
    """The answer to "is this certificate genuine, and is it still valid?".

    Compared and hashed by identity: one answer is shared by every request that gets it
    (see _results), so the pages and the API can cache what they make of it cheaply.
    """

    status: str  # one of STATUSES
    query: str  # what was typed or scanned; for a certificate found, its serial
    serial: str | None = None  # formatted (K7QM-3XWD-9P2F) when the text reads as one
    signature_valid: bool = False
    problem: str | None = None  # why the record is not authentic: one of PROBLEMS
    claims: Claims | None = None  # from the verified credential; None unless authentic
    key_id: str | None = None
    status_list_url: str | None = None
    pdf_sha256: str | None = None
    issued_on: date | None = None
    valid_until: date | None = None
    revoked_on: date | None = None
    revocation_reason: str | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    history: tuple[HistoryEvent, ...] = ()
    typo: TypoHelp | None = None

    @property
    def found(self):
        return self.status not in ('not_found', 'typo')

    @property
    def authentic(self):
        return self.found and self.signature_valid

    @property
    def record_status(self):
        """valid, expired, revoked, superseded or invalid (API.md), or None when nothing was
        found. A record that is not authentic is invalid: never "valid" for a forgery."""
        if not self.found:
            return None
        if not self.signature_valid:
            return 'invalid'
        return 'valid' if self.status == 'valid_until' else self.status


@dataclass(frozen=True)
class PdfVerification:
    """Whether uploaded bytes are exactly a PDF the academy issued, and that certificate."""

    authentic: bool
    sha256: str
    verification: Verification | None = None  # the certificate the file was issued as

    @property
    def serial(self):
        return self.verification.serial if self.verification else None

    @property
    def status(self):
        return self.verification.record_status if self.verification else None


@dataclass(frozen=True)
class _Signed:
    """What a compact JWS proves, once verified: cached per JWS."""

    claims: Claims | None = None
    canonical_json: str | None = None
    serial: str | None = None  # the normalised serial the credential was issued for
    key_id: str | None = None
    status_list_url: str | None = None
    problem: str | None = None  # one of PROBLEMS
    detail: str | None = None  # the English one-line reason, for the log


def verify(text, *, today):
    """Verify a typed or scanned serial (or the QR's URL) on `today` (the academy's date).

    Reads the serial the way people type it (any case, spaces, hyphens, O for 0, I and L
    for 1, even on a Georgian keyboard). A text that cannot be a serial, or whose check
    character fails, answers 'typo' with help; a well-formed serial nobody holds answers
    'not_found'. A certificate found is counted (module docstring); with
    VERIFY_COUNT_INTERVAL 0 in the caller's transaction, which the caller commits.
    """
    text = text if isinstance(text, str) else ''
    serial = read_serial(text)
    if serial is None or not has_valid_check(serial):
        return Verification('typo', text, typo=_typo_help(text))
    interval = current_app.config['VERIFY_COUNT_INTERVAL']
    if interval <= 0:
        connection = db.session.connection()
        row = connection.execute(_COUNT_AND_READ, {'s': serial}).first()
        if row is None:
            return Verification('not_found', text, serial=format_serial(serial))
        return _cached(tuple(row), today, lambda store: _build(connection, row, today, store))
    # Nothing to write in the request: the driver's own cursor on a pooled connection, no
    # session; the values are typed only when the answer is not cached yet.
    engine = db.engine
    raw = _read_raw(engine, serial)
    if raw is None:
        return Verification('not_found', text, serial=format_serial(serial))
    _counts.add(engine, raw[0], interval)

    def build(store):
        with engine.connect() as connection:
            return _build(connection, _typed(engine.dialect, raw), today, store)

    return _cached(raw, today, build)


def verify_pdf(data, *, today):
    """Whether `data` are exactly the bytes of an issued certificate's PDF.

    Authentic when their SHA-256 is an issued PDF's, that certificate's record is
    authentic (see the module docstring), and the file carries the same signed credential.
    Any other file, including an issued PDF with a single byte changed, is not. A match
    counts as a verification of that certificate.
    """
    digest = sha256(data).hexdigest()
    match = db.session.connection().execute(_BY_PDF, {'digest': digest}).first()
    if match is None:
        return PdfVerification(False, digest)
    verification = verify(match.serial, today=today)
    authentic = verification.authentic and extract_credential(data) == match.credential_jws
    return PdfVerification(authentic, digest, verification)


def problem_sentence(problem):
    """Why a record is not authentic, in the reader's language (lazy); None for no problem."""
    if problem is None:
        return None
    sentences = {
        'malformed': _l(
            'The signed credential stored for this serial is damaged or is not one the '
            'academy issues.'
        ),
        'unknown_key': _l(
            "The credential stored for this serial was not signed with any of the academy's keys."
        ),
        'bad_signature': _l(
            'The signature of the credential stored for this serial does not match its '
            'content: the credential was changed after it was signed.'
        ),
        'other_serial': _l(
            'The signed credential stored for this serial was issued for another serial number.'
        ),
        'claims_differ': _l(
            "The certificate's details in the academy's records differ from the details "
            'the academy signed.'
        ),
        'dates_differ': _l(
            "The dates in the academy's records (issue or end of validity) differ from the "
            'signed dates.'
        ),
        'key_differs': _l(
            "The key named in the academy's records is not the key that signed the credential."
        ),
    }
    return sentences.get(problem, sentences['malformed'])


def typo_hints(typo):
    """The help for a mistyped serial, in the reader's language: a list of sentences."""
    if typo is None:
        return []
    hints = []
    if typo.georgian_keyboard:
        hints.append(
            _l('It contains Georgian letters: switch the keyboard to English (Latin letters).')
        )
    if typo.problem == 'length':
        hints.append(
            _l(
                'A serial has 12 characters in three groups of four, like K7QM-3XWD-9P2F; '
                'this has %(n)d.',
                n=typo.length,
            )
        )
    elif typo.problem == 'characters':
        hints.append(
            _l(
                'Serials use only the digits and the Latin letters A–Z without U; '
                'these characters do not belong: %(chars)s.',
                chars=' '.join(typo.bad_characters),
            )
        )
    else:
        hints.append(
            _l(
                'Its last character, a check character, does not match the others, so one '
                'character was probably mistyped or two were swapped.'
            )
        )
    if len(typo.groups) == 1:
        hints.append(_l('Check group %(group)d of the serial.', group=typo.groups[0]))
    elif typo.groups:
        hints.append(
            _l('Check groups %(groups)s of the serial.', groups=', '.join(map(str, typo.groups)))
        )
    else:
        hints.append(_l('Compare each group with the serial printed on the certificate.'))
    return hints


# -- helpers -------------------------------------------------------------------------------


def read_serial(text):
    """The normalised serial in `text` (or in a pasted URL ending with it), or None."""
    text = _last_segment(text)
    serial = normalise(text)
    if serial is None:
        serial = normalise(text.translate(_GEORGIAN_KEYS))
    return serial


def _cached(row, today, build):
    """The Verification of `row` (its values as read) on `today`, from `build(store)` once.

    The answer follows from the row (status, dates, credential and claims as stored) and
    the day: the same row on the same day gives the same, immutable Verification.
    """
    store, zone = key_store(), current_app.config['BABEL_DEFAULT_TIMEZONE']
    key = (store, zone, today, row)
    result = _results.get(key)
    if result is None:
        result = _results.put(key, build(store))
    return result


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


def _build(connection, row, today, store):
    signed = _signed(store, row.credential_jws)
    problem, detail = (
        (signed.problem, signed.detail) if signed.problem else _disagreement(row, signed)
    )
    authentic = problem is None
    if not authentic:
        # Once per row, day and process (the answer is cached): the operator's clue.
        logger.warning('certificate %s does not verify: %s', format_serial(row.serial), detail)
    # Expiry by the signed end date; without a trustworthy one, by what the row says.
    valid_until = signed.claims.valid_until if authentic else row.valid_until
    successor = predecessor = None
    if row.status != 'valid':
        successor = connection.execute(_SUCCESSOR, {'id': row.id}).first()
    if row.supersedes_id is not None:
        predecessor = connection.execute(_PREDECESSOR, {'id': row.supersedes_id}).first()
    revoked_on = _academy_date(row.revoked_at) if row.revoked_at else None
    return Verification(
        _status(row.status, valid_until, today),
        format_serial(row.serial),
        serial=format_serial(row.serial),
        signature_valid=authentic,
        problem=problem,
        claims=signed.claims if authentic else None,
        key_id=signed.key_id if authentic else row.key_id,
        status_list_url=signed.status_list_url if authentic else None,
        pdf_sha256=row.pdf_sha256,
        issued_on=row.issued_on,
        valid_until=valid_until,
        revoked_on=revoked_on if row.status == 'revoked' else None,
        revocation_reason=row.revocation_reason if row.status == 'revoked' else None,
        supersedes=format_serial(predecessor.serial) if predecessor else None,
        superseded_by=format_serial(successor.serial) if successor else None,
        history=_history(row, predecessor, successor, revoked_on),
    )


def _status(stored, valid_until, today):
    if stored in ('revoked', 'superseded'):
        return stored
    if valid_until is None:
        return 'valid'
    return 'expired' if valid_until < today else 'valid_until'


def _history(row, predecessor, successor, revoked_on):
    events = [
        HistoryEvent('reissued', row.issued_on, format_serial(predecessor.serial))
        if predecessor
        else HistoryEvent('issued', row.issued_on)
    ]
    if successor:
        events.append(
            HistoryEvent('superseded', successor.issued_on, format_serial(successor.serial))
        )
    if revoked_on:
        events.append(HistoryEvent('revoked', revoked_on, reason=row.revocation_reason))
    return tuple(sorted(events, key=lambda e: e.on))


def _academy_date(moment):
    """The academy's date (Tbilisi) at an aware moment."""
    return moment.astimezone(ZoneInfo(current_app.config['BABEL_DEFAULT_TIMEZONE'])).date()


@lru_cache(maxsize=1024)
def _signed(store, token):
    """Verify `token` against `store`'s public keys, once per process per JWS."""
    try:
        payload = verify_credential(token, store.public_keys())
        claims = claims_from_payload(payload)
    except CredentialError as error:
        return _Signed(problem=error.code, detail=str(error))
    status = payload.get('credentialStatus')
    return _Signed(
        claims=claims,
        canonical_json=claims.canonical_json().decode('utf-8'),
        serial=normalise(str(payload.get('id', '')).rstrip('/').rsplit('/', 1)[-1]),
        key_id=key_id_of(token),
        status_list_url=status.get('statusListCredential') if isinstance(status, dict) else None,
    )


def _disagreement(row, signed):
    """Why the row does not match its verified credential, as (problem, English detail),
    or (None, None) when it does."""
    if signed.serial != row.serial:
        return 'other_serial', 'the signed credential was issued for another serial'
    if signed.canonical_json != row.claims_json:
        return 'claims_differ', 'the stored claims differ from the signed claims'
    if (row.issued_on, row.valid_until) != (signed.claims.issued_on, signed.claims.valid_until):
        return 'dates_differ', 'the stored dates differ from the signed dates'
    if row.key_id != signed.key_id:
        return 'key_differs', 'the stored key id differs from the signing key'
    return None, None


def _last_segment(text):
    """What follows the last slash of a pasted address (its query and fragment dropped)."""
    if '/' not in text:
        return text.strip()
    return text.split('#', 1)[0].split('?', 1)[0].strip().rstrip('/').rsplit('/', 1)[-1]


def _typo_help(text):
    georgian = text.translate(_GEORGIAN_KEYS) != text
    candidate = clean(_last_segment(text.translate(_GEORGIAN_KEYS)))
    bad = tuple(dict.fromkeys(c for c in candidate if c not in _VALUES))
    if bad:
        problem = 'characters'
    elif len(candidate) != LENGTH:
        problem = 'length'
    else:
        problem = 'check'
    return TypoHelp(
        problem,
        len(candidate),
        bad_characters=bad,
        groups=_groups_of_near_misses(candidate),
        georgian_keyboard=georgian,
    )


def _groups_of_near_misses(candidate):
    """The groups where one edit (a character changed, added, dropped or two swapped)
    turns `candidate` into a serial the academy issued: () when none, or too many."""
    if abs(len(candidate) - LENGTH) > 1 or len(candidate) == 0:
        return ()
    near = {}
    for variant, position in _edits(candidate):
        if len(variant) == LENGTH and has_valid_check(variant):
            near.setdefault(variant, min(position // _GROUP + 1, LENGTH // _GROUP))
    if not near:
        return ()
    issued = db.session.scalars(select(_table.c.serial).where(_table.c.serial.in_(list(near))))
    groups = sorted({near[serial] for serial in issued})
    return tuple(groups) if len(groups) <= 2 else ()


def _edits(s):
    """Every string one edit away from `s`, with the position of the edit."""
    for i in range(len(s)):
        for c in ALPHABET:
            if c != s[i]:
                yield s[:i] + c + s[i + 1 :], i
        yield s[:i] + s[i + 1 :], i
        if i + 1 < len(s) and s[i] != s[i + 1]:
            yield s[:i] + s[i + 1] + s[i] + s[i + 2 :], i
    for i in range(len(s) + 1):
        for c in ALPHABET:
            yield s[:i] + c + s[i:], i


# -- counting ------------------------------------------------------------------------------


class _Counts:
    """Verifications counted in this process and not yet written (VERIFY_COUNT_INTERVAL > 0).

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


class _LRU:
    """A small thread-safe least-recently-used map (functools.lru_cache cannot be given
    the database connection a miss needs without making it part of the key)."""

    def __init__(self, size):
        self._size = size
        self._data = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            if len(self._data) > self._size:
                self._data.popitem(last=False)
        return value


#: Verifications by (key store, time zone, day, row): rows carry the credential and claims,
#: a few KB each, so a few hundred certificates in the hot set cost a few MB.
_results = _LRU(512)


def flush_verification_counts():
    """Write the verifications this process counted but has not written yet."""
    _counts.flush()
