"""Public verification: what a typed or scanned serial, or an uploaded PDF, proves.

A verification answers one of these (Verification.status):

- valid: the academy issued the certificate and has neither revoked nor replaced it; it
  has no end date (valid_until: it has one, still ahead; the API says valid for both);
- expired: its end date is before today, the academy's date in Tbilisi;
- revoked: the academy revoked it, on a date (in Tbilisi) and for a reason;
- superseded: a reissue replaced it, and the answer names the serial that did;
- not_found: the text reads as a serial, check character and all, but nobody holds it;
- typo: the text cannot be a serial, or its check character fails: the answer helps to
  find the mistake (TypoHelp) without revealing any serial;
- archived: no certificate of this system has the serial, but the text is the number of a
  certificate issued on paper before the system, recorded from the academy's archive
  (certificates/archive.py). It is found, but nothing about it is signed:
  `signature_valid` is False and the facts are the archive's (`archive`), never `claims`.
  The API answers `status: "archived"`.

Authenticity. The facts a verification shows come from the certificate's signed
credential, verified against the academy's public keys, never from the database's copy of
the claims: an edited row answers *not authentic*. A row is authentic when its credential
verifies, was issued for this very serial, and the stored claims, dates and key id agree
with what was signed. The status (revoked, superseded) lives only in the database, as does
the history; expiry is computed from the signed end date against the academy's date.

A row that is not authentic keeps the status the database gives it (and its expiry by the
database's end date), but shows no certified facts: `signature_valid` is False, `claims`
is None and `problem` names what disagreed, as one of PROBLEMS (problem_sentence puts it
in the reader's language). Pages show a red "could not be verified" banner; the API
answers `status: "invalid"` (Verification.record_status) and `signature_valid: false` with the facts
null.

Every verification of a certificate found (a typed serial, a scanned QR, an API call, an
uploaded PDF that matches) adds one to its counter, within VERIFY_COUNT_INTERVAL seconds
(verification_counts.py).

This module says what the answers are. How a row is read, how often an answer is worked
out and how the counts are written is speed, kept apart: verification_fastpath.py and
verification_counts.py. Nothing there changes an answer.
"""

import logging
from dataclasses import dataclass
from datetime import date
from hashlib import sha256
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certificates import verification_fastpath
from certificates.archive import ArchivedFacts, find_archived
from certificates.claims import Claims
from certificates.credential import (
    CredentialError,
    claims_from_payload,
    key_id_of,
    verify_credential,
)
from certificates.models import Certificate, expired
from certificates.pades import extract_credential
from certificates.serials import (
    ALPHABET,
    GEORGIAN_KEYS,
    LENGTH,
    clean,
    format_serial,
    has_valid_check,
    last_segment,
    normalise,
)
from certificates.serials import read as read_serial
from lms.extensions import db

#: What a verification can answer. valid_until: valid, with an end date still ahead.
STATUSES = (
    'valid',
    'valid_until',
    'expired',
    'revoked',
    'superseded',
    'not_found',
    'typo',
    'archived',
)
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

_VALUES = set(ALPHABET)
_GROUP = 4

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistoryEvent:
    """One step in a certificate's life: issued, reissued, superseded or revoked."""

    kind: str  # issued, reissued (this one replaced `serial`), superseded (by `serial`), revoked
    on: date
    serial: str | None = None  # the other certificate, formatted
    category: str | None = None  # why it was revoked: one of REVOCATION_CATEGORIES


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
    (see verification_fastpath.py), so the pages and the API can cache what they make of it
    cheaply.
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
    #: One of REVOCATION_CATEGORIES: the public reason (the admins' detail is never here).
    revocation_category: str | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    history: tuple[HistoryEvent, ...] = ()
    typo: TypoHelp | None = None
    archive: ArchivedFacts | None = None  # a paper certificate recorded from the archive

    @property
    def found(self):
        return self.status not in ('not_found', 'typo')

    @property
    def archived(self):
        return self.status == 'archived'

    @property
    def authentic(self):
        return self.found and self.signature_valid

    @property
    def record_status(self):
        """valid, expired, revoked, superseded, archived or invalid (API.md), or None when
        nothing was found. A record that is not authentic is invalid: never "valid" for a
        forgery. An archived one is neither: it was recorded, never signed."""
        if not self.found:
            return None
        if self.archived:
            return 'archived'
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
class SignedCredential:
    """What a certificate's signed credential (a compact JWS) proves, once checked."""

    claims: Claims | None = None
    canonical_json: str | None = None
    serial: str | None = None  # the normalised serial the credential was issued for
    key_id: str | None = None
    status_list_url: str | None = None
    problem: str | None = None  # one of PROBLEMS when it does not verify
    detail: str | None = None  # the English one-line reason, for the log


# -- what a serial and a PDF prove ------------------------------------------------------


def verify(text, *, today):
    """Verify a typed or scanned serial (or the QR's URL) on `today` (the academy's date).

    Reads the serial the way people type it (any case, spaces, hyphens, O for 0, I and L
    for 1, even on a Georgian keyboard). A text that cannot be a serial, or whose check
    character fails, answers 'typo' with help; a well-formed serial nobody holds answers
    'not_found'; either, when the text is the number of a paper certificate recorded
    from the archive, answers 'archived' instead. A certificate found is judged (judge)
    and counted (module docstring); with VERIFY_COUNT_INTERVAL 0 in the caller's
    transaction, which the caller commits.
    """
    text = text if isinstance(text, str) else ''
    serial = read_serial(text)
    if serial is None or not has_valid_check(serial):
        return _archived(text) or Verification('typo', text, typo=_typo_help(text))
    found = verification_fastpath.answer(
        serial, today=today, judge=judge, check_credential=check_credential
    )
    if found is None:
        return _archived(text) or Verification('not_found', text, serial=format_serial(serial))
    return found


def _archived(text):
    """The answer for a paper certificate's number recorded from the archive, or None.
    Asked only once no certificate of this system has the serial, so serials answer
    exactly as before."""
    facts = find_archived(text)
    if facts is None:
        return None
    return Verification('archived', facts.number, issued_on=facts.issued_on, archive=facts)


def verify_issued_pdf(data, *, today):
    """Whether `data` are exactly the bytes of an issued certificate's PDF.

    Authentic when their SHA-256 is an issued PDF's, that certificate's record is
    authentic (see the module docstring), and the file carries the same signed credential.
    Any other file, including an issued PDF with a single byte changed, is not. A match
    counts as a verification of that certificate.
    """
    digest = sha256(data).hexdigest()
    match = db.session.execute(
        select(Certificate.serial, Certificate.credential_jws).where(
            Certificate.pdf_sha256 == digest
        )
    ).first()
    if match is None:
        return PdfVerification(False, digest)
    verification = verify(match.serial, today=today)
    authentic = verification.authentic and extract_credential(data) == match.credential_jws
    return PdfVerification(authentic, digest, verification)


# -- how a certificate's record is judged -----------------------------------------------


def judge(record, signed, *, today, zone, predecessor=None, successor=None):
    """The Verification of a certificate's `record` on `today`.

    `record` is its row (attributes named as Certificate's columns); `signed` what its
    credential proves (check_credential); `zone` the academy's time zone; `predecessor`
    the certificate it replaced and `successor` the one that replaced it, if any, each
    with its `serial` and `issued_on`. Pure: reads nothing, writes nothing.
    """
    problem, detail = (
        (signed.problem, signed.detail) if signed.problem else _disagreement(record, signed)
    )
    authentic = problem is None
    if not authentic:
        # The operator's clue; answers are kept (verification_fastpath), so this is logged
        # about once per row, day and process.
        logger.warning('certificate %s does not verify: %s', format_serial(record.serial), detail)
    # Expiry by the signed end date; without a trustworthy one, by what the row says.
    valid_until = signed.claims.valid_until if authentic else record.valid_until
    revoked_on = _academy_date(record.revoked_at, zone) if record.revoked_at else None
    revoked = record.status == 'revoked'
    return Verification(
        _status(record.status, valid_until, today),
        format_serial(record.serial),
        serial=format_serial(record.serial),
        signature_valid=authentic,
        problem=problem,
        claims=signed.claims if authentic else None,
        key_id=signed.key_id if authentic else record.key_id,
        status_list_url=signed.status_list_url if authentic else None,
        pdf_sha256=record.pdf_sha256,
        issued_on=record.issued_on,
        valid_until=valid_until,
        revoked_on=revoked_on if revoked else None,
        revocation_category=(record.revocation_category or 'other') if revoked else None,
        supersedes=format_serial(predecessor.serial) if predecessor else None,
        superseded_by=format_serial(successor.serial) if successor else None,
        history=_history(record, predecessor, successor, revoked_on),
    )


def check_credential(store, token):
    """What the compact JWS `token` proves, checked against `store`'s public keys.

    A credential that does not verify proves nothing: only its problem (a CredentialError
    code) and why, for the log.
    """
    try:
        payload = verify_credential(token, store.public_keys())
        claims = claims_from_payload(payload)
    except CredentialError as error:
        return SignedCredential(problem=error.code, detail=str(error))
    status = payload.get('credentialStatus')
    return SignedCredential(
        claims=claims,
        canonical_json=claims.canonical_json().decode('utf-8'),
        serial=normalise(str(payload.get('id', '')).rstrip('/').rsplit('/', 1)[-1]),
        key_id=key_id_of(token),
        status_list_url=status.get('statusListCredential') if isinstance(status, dict) else None,
    )


def _disagreement(record, signed):
    """Why the record does not match its verified credential, as (problem, English
    detail), or (None, None) when it does."""
    if signed.serial != record.serial:
        return 'other_serial', 'the signed credential was issued for another serial'
    if signed.canonical_json != record.claims_json:
        return 'claims_differ', 'the stored claims differ from the signed claims'
    dates = (record.issued_on, record.valid_until)
    if dates != (signed.claims.issued_on, signed.claims.valid_until):
        return 'dates_differ', 'the stored dates differ from the signed dates'
    if record.key_id != signed.key_id:
        return 'key_differs', 'the stored key id differs from the signing key'
    return None, None


def _status(stored, valid_until, today):
    """Revoked and superseded as stored; otherwise valid, until its end date passes."""
    if stored in ('revoked', 'superseded'):
        return stored
    if valid_until is None:
        return 'valid'
    return 'expired' if expired(valid_until, today) else 'valid_until'


def _history(record, predecessor, successor, revoked_on):
    events = [
        HistoryEvent('reissued', record.issued_on, format_serial(predecessor.serial))
        if predecessor
        else HistoryEvent('issued', record.issued_on)
    ]
    if successor:
        events.append(
            HistoryEvent('superseded', successor.issued_on, format_serial(successor.serial))
        )
    if revoked_on:
        events.append(
            HistoryEvent('revoked', revoked_on, category=record.revocation_category or 'other')
        )
    return tuple(sorted(events, key=lambda e: e.on))


def _academy_date(moment, zone):
    """The academy's date (in `zone`, Tbilisi) at an aware moment."""
    return moment.astimezone(ZoneInfo(zone)).date()


# -- in the reader's language -----------------------------------------------------------


def revocation_category_label(category):
    """The public reason of a revocation in the reader's language (lazy); None for none."""
    if category is None:
        return None
    labels = {
        'issued_in_error': _l('Issued in error'),
        'name_corrected': _l("The holder's name was corrected"),
        'misconduct': _l('Misconduct'),
        'duplicate': _l('A duplicate of another certificate'),
        'other': _l('Another reason'),
    }
    return labels.get(category, labels['other'])


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


# -- reading a serial, and help with a mistyped one -------------------------------------


def _typo_help(text):
    georgian = text.translate(GEORGIAN_KEYS) != text
    candidate = clean(last_segment(text.translate(GEORGIAN_KEYS)))
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
    issued = db.session.scalars(
        select(Certificate.serial).where(Certificate.serial.in_(list(near)))
    )
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
