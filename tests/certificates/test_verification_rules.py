"""The rules of verification on their own: a record judged without an app or a database."""

import ast
from collections import namedtuple
from datetime import UTC, date, datetime
from pathlib import Path

from certificates.verification import SignedCredential, judge
from tests.certificates.samples import sample_claims

SERIAL = 'K7QM3XWD9P2F'
ZONE = 'Asia/Tbilisi'
Record = namedtuple(
    'Record',
    'serial status claims_json key_id pdf_sha256 issued_on valid_until revoked_at '
    'revocation_category revocation_reason',
)
Other = namedtuple('Other', 'serial issued_on')


def _signed(**claims):
    claims = sample_claims(**claims)
    return SignedCredential(
        claims=claims,
        canonical_json=claims.canonical_json().decode('utf-8'),
        serial=SERIAL,
        key_id='key-1',
        status_list_url='https://academy.example.ge/status/1',
    )


def _record(signed, **values):
    fields = {
        'serial': SERIAL,
        'status': 'valid',
        'claims_json': signed.canonical_json,
        'key_id': signed.key_id,
        'pdf_sha256': 'ab' * 32,
        'issued_on': signed.claims.issued_on,
        'valid_until': signed.claims.valid_until,
        'revoked_at': None,
        'revocation_category': None,
        'revocation_reason': None,
    }
    return Record(**{**fields, **values})


def test_expiry_is_the_signed_end_date_against_the_academy_date():
    signed = _signed(valid_until=date(2027, 3, 12))

    on_the_day = judge(_record(signed), signed, today=date(2027, 3, 12), zone=ZONE)
    the_day_after = judge(_record(signed), signed, today=date(2027, 3, 13), zone=ZONE)

    assert (on_the_day.status, on_the_day.record_status) == ('valid_until', 'valid')
    assert (the_day_after.status, the_day_after.record_status) == ('expired', 'expired')
    assert the_day_after.authentic and the_day_after.claims == signed.claims


def test_a_revocation_is_dated_in_tbilisi_and_keeps_the_facts():
    signed = _signed()
    record = _record(
        signed,
        status='revoked',
        revoked_at=datetime(2026, 3, 10, 21, 30, tzinfo=UTC),
        revocation_category='duplicate',
        revocation_reason='Issued by mistake',
    )

    result = judge(record, signed, today=date(2026, 6, 1), zone=ZONE)

    assert (result.status, result.revoked_on) == ('revoked', date(2026, 3, 11))
    assert result.authentic and result.revocation_category == 'duplicate'
    assert [(e.kind, e.category) for e in result.history] == [
        ('issued', None),
        ('revoked', 'duplicate'),
    ]
    assert 'Issued by mistake' not in repr(result)  # the detail is the admins' alone


def test_a_reissue_names_both_serials_in_the_history():
    signed = _signed(valid_until=None)
    old = Other('A' * 12, date(2025, 1, 1))
    new = Other('B' * 12, date(2026, 1, 1))

    replaced = judge(
        _record(signed, status='superseded'),
        signed,
        today=date(2026, 6, 1),
        zone=ZONE,
        successor=new,
    )
    replacing = judge(_record(signed), signed, today=date(2026, 6, 1), zone=ZONE, predecessor=old)

    assert (replaced.status, replaced.superseded_by) == ('superseded', 'BBBB-BBBB-BBBB')
    assert [e.kind for e in replaced.history] == ['issued', 'superseded']
    assert (replacing.status, replacing.supersedes) == ('valid', 'AAAA-AAAA-AAAA')
    assert [e.kind for e in replacing.history] == ['reissued']


def test_a_row_that_disagrees_with_its_credential_is_invalid_and_shows_no_facts():
    signed = _signed(valid_until=date(2027, 3, 12))
    record = _record(signed, valid_until=date(2030, 1, 1))

    result = judge(record, signed, today=date(2028, 1, 1), zone=ZONE)

    assert (result.problem, result.claims, result.record_status) == (
        'dates_differ',
        None,
        'invalid',
    )
    assert result.status == 'valid_until'  # the row's own end date; yet never called valid


def test_a_credential_that_does_not_verify_proves_nothing():
    signed = _signed()
    record = _record(signed)
    broken = SignedCredential(problem='bad_signature', detail='the signature does not match')

    result = judge(record, broken, today=date(2026, 6, 1), zone=ZONE)

    assert (result.problem, result.signature_valid, result.status_list_url) == (
        'bad_signature',
        False,
        None,
    )
    assert result.key_id == 'key-1'  # what the row says, for the operator


def test_the_rules_hold_no_speed_machinery():
    """Caches, threads and raw cursors live in verification_fastpath.py and
    verification_counts.py, so that verification.py reads as the rules alone."""
    path = Path(__file__).resolve().parents[2] / 'certificates' / 'verification.py'
    tree = ast.parse(path.read_text(encoding='utf-8'))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {'threading', 'atexit', 'functools', 'cachetools', 'time'}
    assert not names & {'lru_cache', 'cache', 'bindparam'}
    assert 'raw_connection' not in path.read_text(encoding='utf-8')
