"""Public verification: every status, from the signed credential, on the page and as a result."""

import html
import re
from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from certificates import (
    Certificate,
    KeyStore,
    build_credential,
    sign_credential,
    verify,
)
from certificates.serials import check_character
from certificates.verification import problem_sentence
from certificates.verification_counts import flush_verification_counts
from tests.certificates.samples import sample_claims
from tests.certificates.verifying import (
    EDITS,
    academy_keys,
    edit,
    future,
    issuer,
    past,
    revoke,
    set_row,
    supersede,
    tbilisi_today,
)

TODAY = date(2026, 6, 1)
#: A well-formed serial (its check character is right) that no test issues.
UNKNOWN = 'K7QM3XWD9P2' + check_character('K7QM3XWD9P2')
UNKNOWN_FORMATTED = f'K7QM-3XWD-{UNKNOWN[8:]}'


@pytest.fixture(scope='module')
def keys(tmp_path_factory):
    return academy_keys(tmp_path_factory)


@pytest.fixture
def issue(app, db, create_enrollment, keys):
    return issuer(app, db, create_enrollment, keys)


@pytest.fixture
def english(client):
    with client.session_transaction() as session:
        session['locale'] = 'en'


def _count(db, certificate):
    return db.session.scalar(
        select(Certificate.verification_count).where(Certificate.id == certificate.id)
    )


def _text(response):
    """The page's words without tags and with white space collapsed."""
    return ' '.join(re.sub(r'<[^>]+>', ' ', response.text).split())


# -- the verification itself -------------------------------------------------------------


def test_a_valid_certificate_shows_the_facts_of_its_signed_credential(app, db, issue):
    certificate = issue()

    result = verify(certificate.formatted_serial, today=TODAY)

    assert result.status == 'valid'
    assert result.record_status == 'valid'
    assert result.signature_valid and result.problem is None
    assert result.claims == sample_claims(
        issuer_url=app.config['PUBLIC_BASE_URL'], valid_until=None
    )
    assert result.key_id == certificate.key_id
    assert result.pdf_sha256 == certificate.pdf_sha256
    assert [(e.kind, e.on) for e in result.history] == [('issued', date(2025, 3, 12))]
    assert result.status_list_url == f'{app.config["PUBLIC_BASE_URL"]}/status/1'


def test_an_end_date_ahead_reads_valid_until_and_one_behind_expired(db, issue):
    certificate = issue(valid_until=date(2026, 6, 1))

    ahead = verify(certificate.serial, today=date(2026, 6, 1))
    behind = verify(certificate.serial, today=date(2026, 6, 2))

    assert (ahead.status, ahead.record_status, ahead.valid_until) == (
        'valid_until',
        'valid',
        date(2026, 6, 1),
    )
    assert (behind.status, behind.record_status) == ('expired', 'expired')
    assert behind.signature_valid and behind.claims is not None


def test_a_revoked_certificate_says_when_in_tbilisi_and_why(db, issue):
    certificate = issue()
    revoke(db, certificate, reason='Attendance was recorded wrongly', category='misconduct')

    result = verify(certificate.serial, today=TODAY)

    assert result.status == 'revoked'
    assert result.revoked_on == date(2026, 3, 11)  # 21:30 UTC is past midnight in Tbilisi
    assert result.revocation_category == 'misconduct'
    assert 'Attendance was recorded wrongly' not in repr(result)  # the admins' detail
    assert result.signature_valid  # still genuine: revoked is a status, not a forgery
    assert [e.kind for e in result.history] == ['issued', 'revoked']


def test_a_superseded_certificate_points_to_its_successor_and_back(db, issue):
    old = issue()
    new = supersede(db, issue, old, holder_name_en='Nino Gelashvili-Beridze', issued_on=TODAY)

    before = verify(old.serial, today=TODAY)
    after = verify(new.serial, today=TODAY)

    assert before.status == 'superseded'
    assert before.superseded_by == new.formatted_serial
    assert [(e.kind, e.serial) for e in before.history] == [
        ('issued', None),
        ('superseded', new.formatted_serial),
    ]
    assert after.status == 'valid' and after.supersedes == old.formatted_serial
    assert [(e.kind, e.serial) for e in after.history] == [('reissued', old.formatted_serial)]
    assert after.claims.holder_name_en == 'Nino Gelashvili-Beridze'


def test_a_well_formed_serial_nobody_holds_is_not_found(db, issue):
    issue()

    result = verify(UNKNOWN, today=TODAY)

    assert (result.status, result.serial, result.found) == ('not_found', UNKNOWN_FORMATTED, False)


def test_lookups_ignore_case_spaces_hyphens_and_read_o_as_0_i_and_l_as_1(db, issue, monkeypatch):
    data = 'K7QM0XWD1P1'
    serial = data + check_character(data)
    monkeypatch.setattr('certificates.service.new_serial', lambda: serial)
    issue()
    typed = ' k7qm oxwd-ipl' + check_character(data).lower() + ' '

    assert verify(typed, today=TODAY).serial == 'K7QM-0XWD-1P1' + check_character(data)
    assert verify(typed, today=TODAY).status == 'valid'
    assert verify(f'https://academy.example.test/v/{serial}', today=TODAY).status == 'valid'
    assert verify(f'https://academy.example.test/v/{serial}?from=qr', today=TODAY).found


def test_a_serial_typed_on_a_georgian_keyboard_is_read_as_meant(db, issue):
    certificate = issue()
    georgian = dict(zip('QWERTYUIOPASDFGHJKLZXCVBNM', 'ქწერტყუიოპასდფგჰჯკლზხცვბნმ', strict=True))
    typed = ''.join(georgian.get(c, c) for c in certificate.formatted_serial)

    assert verify(typed, today=TODAY).status == 'valid'


def _mistype(serial, position):
    """`serial` with the character at `position` changed (the check then fails)."""
    wrong = '0' if serial[position] != '0' else '1'
    return serial[:position] + wrong + serial[position + 1 :]


@pytest.mark.parametrize(('position', 'group'), [(1, 1), (6, 2), (11, 3)])
def test_a_failed_check_character_is_a_typo_that_names_the_group_to_check(
    db, issue, position, group
):
    certificate = issue()

    result = verify(_mistype(certificate.serial, position), today=TODAY)

    assert result.status == 'typo' and not result.found
    assert result.typo.problem == 'check'
    assert result.typo.groups == (group,)


def test_a_swap_of_neighbours_or_a_missing_character_also_names_the_group(db, issue):
    serial = issue().serial
    i = next(i for i in range(4, 7) if serial[i] != serial[i + 1])
    swapped = serial[:i] + serial[i + 1] + serial[i] + serial[i + 2 :]

    assert verify(swapped, today=TODAY).typo.groups == (2,)
    missing = verify(serial[:9] + serial[10:], today=TODAY).typo
    assert (missing.problem, missing.length, missing.groups) == ('length', 11, (3,))


def test_characters_a_serial_never_has_are_named(db):
    result = verify('K7QM-3XWD-9P2U', today=TODAY)

    assert result.status == 'typo'
    assert (result.typo.problem, result.typo.bad_characters) == ('characters', ('U',))


def test_a_typo_near_no_certificate_names_no_group(db):
    wrong = 'A' if UNKNOWN[-1] != 'A' else 'B'

    result = verify(UNKNOWN[:-1] + wrong, today=TODAY)

    assert (result.status, result.typo.problem, result.typo.groups) == ('typo', 'check', ())


def test_each_verification_adds_one_to_the_counter(db, issue):
    certificate = issue()

    for _ in range(3):
        verify(certificate.serial, today=TODAY)
    db.session.commit()

    assert _count(db, certificate) == 3


def _facts(result):
    return (
        result.status,
        result.serial,
        result.signature_valid,
        result.problem,
        result.claims,
        result.key_id,
        result.pdf_sha256,
        result.issued_on,
        result.valid_until,
        result.revoked_on,
        result.revocation_category,
        result.supersedes,
        result.superseded_by,
        result.history,
    )


def test_counting_in_batches_reads_every_status_the_same_and_writes_the_counts_later(
    app, db, issue
):
    """Production counts in batches and reads through the driver's cursor (the values
    typed by hand): it must give exactly the answers of the ORM path, for every state."""
    plain, ahead, behind, revoked, old = (
        issue(),
        issue(valid_until=future()),
        issue(valid_until=past()),
        issue(),
        issue(),
    )
    revoke(db, revoked, reason='Wrong person')
    new = supersede(db, issue, old)
    edited = issue()
    set_row(db, edited, claims_json=edited.claims_json.replace('Nino', 'Nana'))
    certificates = [plain, ahead, behind, revoked, old, new, edited]
    today = tbilisi_today()
    at_once = [_facts(verify(c.serial, today=today)) for c in certificates]
    db.session.commit()
    app.config['VERIFY_COUNT_INTERVAL'] = 3600

    in_batches = [_facts(verify(c.serial, today=today)) for c in certificates]
    again = verify(plain.serial, today=today)

    assert in_batches == at_once
    assert [f[0] for f in in_batches] == [
        'valid',
        'valid_until',
        'expired',
        'revoked',
        'superseded',
        'valid',
        'valid',
    ]
    assert again is verify(plain.serial, today=today)  # the same answer, cached
    assert _count(db, plain) == 1  # not written yet
    flush_verification_counts()
    assert _count(db, plain) == 4
    assert _count(db, edited) == 2
    assert verify(UNKNOWN, today=today).status == 'not_found'


def test_a_cached_answer_follows_the_row_when_it_changes(app, db, issue):
    app.config['VERIFY_COUNT_INTERVAL'] = 3600
    certificate = issue()
    before = verify(certificate.serial, today=TODAY)

    revoke(db, certificate)
    after = verify(certificate.serial, today=TODAY)
    set_row(db, certificate, claims_json=certificate.claims_json.replace('Nino', 'Nana'))
    edited = verify(certificate.serial, today=TODAY)

    assert (before.status, after.status) == ('valid', 'revoked')
    assert not edited.signature_valid
    flush_verification_counts()


# -- a changed database row ------------------------------------------------------------------


def test_edited_claims_in_the_database_are_not_authentic(db, issue):
    certificate = issue()
    set_row(db, certificate, claims_json=certificate.claims_json.replace('Nino', 'Nana'))

    result = verify(certificate.serial, today=TODAY)

    assert not result.signature_valid and not result.authentic
    assert result.claims is None  # nothing unverified is shown as certified
    assert result.problem == 'claims_differ'
    assert result.status == 'valid'  # the banner's status stays what the database says
    assert result.record_status == 'invalid'  # ... but nobody is told "valid"


def test_a_credential_signed_by_another_key_is_not_authentic(app, db, issue, tmp_path):
    certificate = issue()
    stranger = KeyStore(tmp_path / 'stranger', academy_name='Someone else').current()
    base = app.config['PUBLIC_BASE_URL']
    forged = sign_credential(
        build_credential(
            sample_claims(holder_name_en='Mallory'), certificate.serial, base_url=base
        ),
        stranger,
        base_url=base,
    )
    set_row(db, certificate, credential_jws=forged)

    result = verify(certificate.serial, today=TODAY)

    assert not result.signature_valid and result.claims is None
    assert result.problem == 'unknown_key'


def test_another_certificates_genuine_credential_is_not_authentic(db, issue):
    mine, theirs = issue(), issue(holder_name_en='Someone Else')
    set_row(db, mine, credential_jws=theirs.credential_jws, claims_json=theirs.claims_json)

    result = verify(mine.serial, today=TODAY)

    assert not result.signature_valid
    assert result.problem == 'other_serial'


def test_an_extended_end_date_in_the_database_is_not_authentic_and_not_believed(db, issue):
    certificate = issue(valid_until=date(2026, 1, 1))
    set_row(db, certificate, valid_until=date(2030, 1, 1))

    result = verify(certificate.serial, today=TODAY)

    assert not result.signature_valid
    assert result.problem == 'dates_differ'


@pytest.mark.parametrize('how', list(EDITS))
def test_every_hand_edit_is_named_by_its_reason_and_is_invalid(db, issue, tmp_path, how):
    certificate = issue()
    edit(db, certificate, how, issue=issue, tmp_path=tmp_path)

    result = verify(certificate.serial, today=TODAY)

    assert (result.problem, result.record_status) == (EDITS[how], 'invalid')
    assert not result.signature_valid and result.claims is None


# -- the pages -------------------------------------------------------------------------------


def test_the_page_of_a_valid_certificate_shows_banner_facts_evidence_and_links(
    client, db, issue, english
):
    certificate = issue()

    response = client.get(f'/verify/{certificate.formatted_serial}')

    assert response.status_code == 200
    assert response.headers['Cache-Control'] == 'no-cache'
    text = _text(response)
    assert 'Valid This certificate is genuine and valid.' in text
    assert text.index('genuine and valid') < text.index('Nino Gelashvili')  # banner first
    for fact in (
        'ნინო გელაშვილი',
        'Nino Gelashvili',
        'Certificate of completion',
        'Participatory Budgeting in Municipalities',
        'Training · PB-101',
        '3–7 March 2025',
        'Kutaisi, City Council',
        '9 of 10',
        'Tamar Beridze',
        'Director',
        certificate.formatted_serial,
        f'Verified with the academy key {certificate.key_id}.',
        certificate.pdf_sha256,
        '12 March 2025: issued',
        'Trust a verification result only on the academy',
        'https://academy.example.test',
    ):
        assert fact in text, fact
    html = response.text
    for link in (
        f'/api/v1/verify/{certificate.formatted_serial}',
        f'/verify/{certificate.formatted_serial}/credential.jwt',
        '/issuer',
        '/.well-known/jwks.json',
        f'/.well-known/jwks/{certificate.key_id}',
        'https://academy.example.test/status/1',
    ):
        assert f'href="{link}"' in html, link
    assert 'bi-patch-check-fill' in html and 'alert-success' in html  # colour, icon and words


@pytest.mark.parametrize(
    ('setup', 'words', 'style'),
    [
        ('valid_until', 'Valid until', 'alert-success'),
        ('expired', 'Expired on', 'alert-warning'),
        ('revoked', 'Revoked on 11 March 2026', 'alert-danger'),
        ('superseded', 'Superseded by', 'alert-secondary'),
    ],
)
def test_every_status_has_its_banner(client, db, issue, english, setup, words, style):
    certificate = issue(
        valid_until={'valid_until': future(), 'expired': past()}.get(setup),
    )
    if setup == 'revoked':
        revoke(
            db, certificate, reason='The clerk typed the wrong offering', category='issued_in_error'
        )
    if setup == 'superseded':
        new = supersede(db, issue, certificate)

    response = client.get(f'/verify/{certificate.serial}')

    assert response.status_code == 200
    text = _text(response)
    assert words in text
    assert f'alert {style}' in response.text
    if setup == 'revoked':
        assert 'Reason: Issued in error' in text
        assert '(Issued in error)' in text  # the history says it too
        assert 'wrong offering' not in response.text  # the admins' detail stays theirs
    if setup == 'superseded':
        assert f'href="/verify/{new.formatted_serial}"' in response.text
        assert new.formatted_serial in text


def test_an_unknown_serial_and_a_typo_get_404_pages_that_say_so(client, db, issue, english):
    certificate = issue()

    unknown = client.get(f'/verify/{UNKNOWN}')
    typo = client.get(f'/verify/{_mistype(certificate.serial, 6)}')

    assert unknown.status_code == 404
    assert f'Not found No certificate has the serial {UNKNOWN_FORMATTED}.' in _text(unknown)
    assert typo.status_code == 404
    text = _text(typo)
    assert 'This looks like a typo' in text
    assert 'Check group 2 of the serial.' in text
    assert certificate.formatted_serial not in text  # never reveals the near serial


def test_a_changed_row_shows_a_not_authentic_banner_and_no_facts(client, db, issue, english):
    certificate = issue()
    set_row(db, certificate, claims_json=certificate.claims_json.replace('Nino', 'Nana'))

    response = client.get(f'/verify/{certificate.serial}')

    text = _text(response)
    assert 'Not authentic: this record could not be verified' in text
    assert 'alert-danger' in response.text
    assert 'Nana' not in text and 'Nino' not in text
    assert 'Not verified' in text


@pytest.mark.parametrize('how', list(EDITS))
def test_a_georgian_page_gives_the_reason_in_georgian_and_no_english(
    app, client, db, issue, tmp_path, how
):
    certificate = issue()
    edit(db, certificate, how, issue=issue, tmp_path=tmp_path)
    with force_locale('ka'):
        georgian = str(problem_sentence(EDITS[how]))
    with force_locale('en'):
        english = str(problem_sentence(EDITS[how]))

    response = client.get(f'/verify/{certificate.serial}')

    text = _text(response)
    assert 'alert-danger' in response.text
    assert 'არ არის ნამდვილი: ჩანაწერის გადამოწმება ვერ მოხერხდა' in text
    assert georgian != english and georgian in text
    assert english not in text
    evidence = text[text.index('მტკიცებულება') : text.index('PDF-ის SHA-256')]
    assert not re.search(r'[A-Za-z]{3,}', evidence), evidence  # no English words at all


def test_an_english_page_gives_the_reason_in_english(client, db, issue, english):
    certificate = issue()
    set_row(db, certificate, valid_until=date(2099, 12, 31))

    text = html.unescape(_text(client.get(f'/verify/{certificate.serial}')))

    assert (
        "Not verified. The dates in the academy's records (issue or end of validity) differ "
        'from the signed dates.'
    ) in text


def test_the_page_speaks_georgian_by_default(client, db, issue):
    certificate = issue()

    text = _text(client.get(f'/verify/{certificate.serial}'))

    assert 'მოქმედი' in text
    assert 'ეს სერტიფიკატი ნამდვილი და მოქმედია.' in text


def test_the_page_states_nothing_about_the_holder_beyond_the_certificate(
    client, db, issue, create_user, create_enrollment
):
    person = create_user(email='nino.private@example.ge', phone='+995 555 12 34 56')
    certificate = issue(enrollment=create_enrollment(user=person))

    html = client.get(f'/verify/{certificate.serial}').text

    # The phone as written, not its digits alone: the page shows hex digests, which may hold '555'.
    assert 'nino.private' not in html and '555 12 34 56' not in html and '+995' not in html


def test_a_stranger_gets_the_kept_page_without_a_session_and_can_switch_language(app, db, issue):
    """The page is rendered once for strangers; it sets no cookie, and the language link
    works for each visitor on their own."""
    certificate = issue()
    first, second = app.test_client(), app.test_client()

    one = first.get(f'/verify/{certificate.serial}')
    assert 'Set-Cookie' not in one.headers
    assert 'csrf_token' not in one.text
    switched = second.get(f'/language/en?next=/verify/{certificate.serial}')
    assert switched.status_code == 302
    assert 'This certificate is genuine and valid.' in second.get(switched.location).text
    assert 'ეს სერტიფიკატი ნამდვილი და მოქმედია.' in first.get(f'/verify/{certificate.serial}').text


def test_a_signed_in_visitor_gets_their_own_layout(client, db, issue, login, create_user):
    certificate = issue()
    client.get(f'/verify/{certificate.serial}')  # kept for strangers
    login(create_user(full_name_ka='ადმინი', role='admin'))

    html = client.get(f'/verify/{certificate.serial}').text

    assert '/logout' in html and '/admin/' in html
    assert 'This certificate' in html or 'ეს სერტიფიკატი' in html


def test_the_short_address_of_the_qr_code_redirects_to_the_page(client):
    response = client.get('/v/K7QM-3XWD-9P2F')

    assert response.status_code == 302
    assert response.headers['Location'] == '/verify/K7QM-3XWD-9P2F'


def test_the_form_sends_a_typed_serial_to_its_page(client, db, issue, english):
    certificate = issue()

    response = client.get('/verify', query_string={'serial': certificate.serial.lower()})

    assert response.status_code == 302
    assert response.headers['Location'] == f'/verify/{certificate.formatted_serial}'
    garbage = client.get('/verify', query_string={'serial': 'hello?'})
    assert garbage.status_code == 200
    assert 'This looks like a typo' in _text(garbage)


def test_the_verify_page_has_both_forms_and_works_without_javascript(client, english):
    html = client.get('/verify').text

    assert 'method="get" action="/verify"' in html and 'name="serial"' in html
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert '@media print' in html


def test_an_uploaded_pdf_is_authentic_only_byte_for_byte(client, db, issue, english):
    certificate = issue()
    pdf = certificate.pdf

    exact = client.post('/verify', data={'file': (BytesIO(pdf), 'c.pdf')})
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    edited = client.post('/verify', data={'file': (BytesIO(bytes(changed)), 'c.pdf')})

    assert exact.status_code == 200
    assert 'Authentic file' in _text(exact)
    assert certificate.formatted_serial in _text(exact)
    assert 'Not an authentic file' in _text(edited)
    assert _count(db, certificate) == 1  # the match counted as a verification


def test_an_upload_without_a_file_asks_for_one(client, english):
    response = client.post('/verify', data={})

    assert response.status_code == 422
    assert 'Choose the PDF file to check.' in _text(response)


def test_the_credential_is_published_for_offline_checks(client, db, issue):
    certificate = issue()

    response = client.get(f'/verify/{certificate.formatted_serial}/credential.jwt')

    assert response.status_code == 200
    assert response.text == certificate.credential_jws
    assert client.get(f'/verify/{UNKNOWN}/credential.jwt').status_code == 404


def test_pages_count_verifications(client, db, issue):
    certificate = issue()

    client.get(f'/verify/{certificate.serial}')
    client.get(f'/v/{certificate.formatted_serial}', follow_redirects=True)

    assert _count(db, certificate) == 2


@pytest.mark.app_config(RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT='2 per minute')
def test_verification_is_rate_limited_per_address_with_a_clear_page(client, db, issue, english):
    certificate = issue()

    assert client.get(f'/verify/{certificate.serial}').status_code == 200
    assert client.get(f'/api/v1/verify/{certificate.serial}').status_code == 200  # one budget
    response = client.get(f'/verify/{certificate.serial}')

    assert response.status_code == 429
    assert 'Too many attempts. Please wait a minute and try again.' in response.text
    assert int(response.headers['Retry-After']) > 0
    assert _count(db, certificate) == 2


@pytest.mark.app_config(RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT='1 per minute')
def test_the_429_page_speaks_georgian_too(client):
    client.get('/verify')

    response = client.get('/verify')

    assert response.status_code == 429
    assert 'ძალიან ბევრი მცდელობა' in response.text


NOT_PDFS = {
    'a PNG image': b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR',
    'a Word file': b'PK\x03\x04\x14\x00\x06\x00word/document.xml',
    'text': 'სერტიფიკატი K7QM-3XWD-9P2F'.encode(),
    'a PDF header further in': b' %PDF-1.7\n',
}


@pytest.mark.parametrize('data', NOT_PDFS.values(), ids=NOT_PDFS)
def test_a_file_that_is_not_a_pdf_is_answered_so_on_the_page(client, db, issue, data):
    certificate = issue()

    georgian = client.post('/verify', data={'file': (BytesIO(data), 'c.pdf')})
    client.get('/language/en')
    english = client.post('/verify', data={'file': (BytesIO(data), 'c.pdf')})

    assert georgian.status_code == english.status_code == 422
    assert 'ეს PDF ფაილი არ არის.' in _text(georgian)
    assert 'This is not a PDF file.' in _text(english)
    assert 'type="file"' in english.text and 'name="serial"' in english.text
    assert 'Not an authentic file' not in _text(english)  # not compared with any
    assert _count(db, certificate) == 0


def test_an_issued_pdf_is_well_under_the_upload_limit(app, issue):
    assert len(issue().pdf) < app.config['MAX_CONTENT_LENGTH'] / 4


@pytest.mark.parametrize('csrf', [False, True], ids=['without CSRF', 'with CSRF'])
def test_a_file_over_1_mb_is_answered_on_the_verify_page_in_the_reader_s_language(
    app, client, csrf
):
    app.config['WTF_CSRF_ENABLED'] = csrf  # with CSRF, the body is refused before the view
    big = _multipart(b'%PDF-1.7\n' + b'0' * (1024 * 1024))

    georgian = client.post('/verify', **big)
    client.get('/language/en')
    english = client.post('/verify', **big)

    assert georgian.status_code == english.status_code == 413
    assert 'ფაილი 1 MB-ზე დიდია' in _text(georgian)
    assert 'The file is larger than 1 MB' in _text(english)
    for response in (georgian, english):
        assert 'type="file"' in response.text and 'name="serial"' in response.text
        assert 'is-invalid' in response.text
        assert response.headers['Cache-Control'] == 'no-cache'


def _multipart(pdf):
    """A request body with `pdf` as the field `file`, built in memory: the test client would
    spool a large upload to a temporary file it never closes when the app refuses the body
    unread."""
    boundary, body = encode_multipart({'file': FileStorage(BytesIO(pdf), 'c.pdf')})
    return {'data': body, 'content_type': f'multipart/form-data; boundary={boundary}'}
