import re
from io import BytesIO

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates import pades
from certificates.pades import extract_credential, sign_pdf, verify_pdf_signature
from certificates.pdf import render
from tests.certificates.samples import SERIAL, URL, sample_claims, throwaway_key

# The shape of a compact JWS; its content does not matter here.
JWS = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.' + 'eyJpc3MiOiJ0ZXN0In0' * 60 + '.c2lnbmF0dXJl'


@pytest.fixture(scope='module')
def academy():
    return throwaway_key()


@pytest.fixture(scope='module')
def impostor():
    return throwaway_key()


@pytest.fixture(scope='module')
def pdf():
    return render(sample_claims(), SERIAL, URL, invariant=True)


@pytest.fixture(scope='module')
def signed(pdf, academy):
    key, certificate = academy
    return sign_pdf(
        pdf, private_key=key, certificate=certificate, credential_jws=JWS, name='Academy'
    )


def test_the_signature_verifies_and_covers_the_whole_file(signed, academy):
    check = verify_pdf_signature(signed, [academy[1]])
    assert check.ok and check
    assert (check.signatures, check.entire_file, check.intact, check.valid) == (1, True, True, True)
    assert check.certificate is academy[1]


def test_it_is_an_invisible_pades_signature(signed):
    [field] = [
        f.get_object() for f in PdfReader(BytesIO(signed)).trailer['/Root']['/AcroForm']['/Fields']
    ]
    assert field['/FT'] == '/Sig'
    assert field['/V'].get_object()['/SubFilter'] == '/ETSI.CAdES.detached'
    assert [float(v) for v in field['/Rect']] == [0, 0, 0, 0]


def test_the_embedded_credential_comes_back_unchanged(signed, pdf):
    assert extract_credential(signed) == JWS
    assert extract_credential(pdf) is None
    assert extract_credential(b'not a pdf') is None


def test_the_signed_file_is_small_and_still_reads_as_text(signed):
    assert len(signed) <= 100_000
    text = PdfReader(BytesIO(signed)).pages[0].extract_text()
    assert 'ნინო გელაშვილი' in text and 'Nino Gelashvili' in text and SERIAL in text


def _offset_of_page_content(data):
    reader = PdfReader(BytesIO(data))
    reference = reader.pages[0].raw_get('/Contents')
    start = re.search(rb'\n%d 0 obj' % reference.idnum, data).end()
    body = data.index(b'stream', start) + len(b'stream\n')
    return (body + data.index(b'endstream', body)) // 2


def _offsets(data):
    contents = data.rindex(b'/Contents <') + len(b'/Contents <')
    end = data.index(b'>', contents)
    return {
        'page content': _offset_of_page_content(data),
        'first byte': 0,
        'middle': len(data) // 2,
        'signature container': contents + 40,
        'reserved zeros': end - 10,
        'last byte': len(data) - 1,
    }


@pytest.mark.parametrize(
    'where',
    ['page content', 'first byte', 'middle', 'signature container', 'reserved zeros', 'last byte'],
)
def test_flipping_one_byte_anywhere_fails(signed, academy, where):
    data = bytearray(signed)
    offset = _offsets(signed)[where]
    data[offset] = ord('1') if data[offset] == ord('0') else data[offset] ^ 0x01
    check = verify_pdf_signature(bytes(data), [academy[1]])
    assert not check and check.reason
    assert '\n' not in check.reason


def _with_contents(signed, change):
    start = signed.rindex(b'/Contents <') + len(b'/Contents <')
    end = signed.index(b'>', start)
    return signed[:start] + change(signed[start:end]) + signed[end:]


@pytest.mark.parametrize(
    'change',
    [
        # PDF readers skip white space in a hex string and read either case: the decoded
        # bytes stay the same
        lambda hex_: hex_[:-20] + b' ' + hex_[-19:],
        lambda hex_: hex_.lower(),  # all of it: the first bytes may be written in digits alone
        # the container's outer length reaches into the reserved zeros
        lambda hex_: hex_[:6] + b'%02X' % ((int(hex_[6:8], 16) + 1) % 256) + hex_[8:],
        # one of the zeros after the container
        lambda hex_: hex_[:-2] + b'10',
    ],
    ids=['space among the zeros', 'lower case', 'longer container', 'a zero changed'],
)
def test_the_signature_gap_must_hold_exactly_what_was_written(signed, academy, change):
    check = verify_pdf_signature(_with_contents(signed, change), [academy[1]])
    assert not check and check.reason


def test_a_pdf_signed_by_another_key_is_not_trusted(pdf, academy, impostor):
    key, certificate = impostor
    forged = sign_pdf(pdf, private_key=key, certificate=certificate, credential_jws=JWS)
    check = verify_pdf_signature(forged, [academy[1]])
    assert not check and check.intact and check.valid
    assert 'untrusted' in check.reason
    assert verify_pdf_signature(forged, [academy[1], certificate])


def test_anything_appended_after_signing_is_caught(signed, academy):
    check = verify_pdf_signature(signed + b'\n%% an incremental update\n', [academy[1]])
    assert not check and not check.entire_file


def test_unsigned_twice_signed_and_unreadable_files_fail(pdf, signed, academy, monkeypatch):
    key, certificate = academy
    monkeypatch.setattr(pades, 'SIGNATURE_FIELD', 'Countersignature')
    twice = sign_pdf(signed, private_key=key, certificate=certificate)
    for data, reason in [(pdf, 'found 0'), (twice, 'found 2'), (b'%PDF-garbage', 'readable')]:
        check = verify_pdf_signature(data, [certificate])
        assert not check and reason in check.reason


def test_a_key_that_does_not_match_the_certificate_is_refused(pdf, academy, impostor):
    with pytest.raises(ValueError, match='does not belong'):
        sign_pdf(pdf, private_key=impostor[0], certificate=academy[1])


def test_after_the_first_file_each_signature_is_a_filled_in_template(pdf, academy, monkeypatch):
    """The fast path: no trial signature, no key parsed, no CMS rebuilt by asn1crypto."""
    key, certificate = academy
    sign_pdf(pdf, private_key=key, certificate=certificate)
    assert isinstance(pades._signing_for(key, certificate).signer._template, pades._CmsTemplate)
    fills = []
    fill = pades._CmsTemplate.fill

    def counting_fill(self, *args):
        fills.append(self)
        return fill(self, *args)

    async def general_path(*args, **kwargs):
        raise AssertionError("pyHanko's general CMS path ran")

    monkeypatch.setattr(pades._CmsTemplate, 'fill', counting_fill)
    monkeypatch.setattr(signers.Signer, 'async_sign', general_path)
    for _ in range(3):
        signed = sign_pdf(pdf, private_key=key, certificate=certificate, credential_jws=JWS)
        assert verify_pdf_signature(signed, [certificate])
    assert len(fills) == 3


def test_without_a_template_pyhanko_builds_each_container(pdf, monkeypatch):
    monkeypatch.setattr(pades._CmsTemplate, 'from_pair', classmethod(lambda *args: None))
    key, certificate = throwaway_key()
    for _ in range(2):
        signed = sign_pdf(pdf, private_key=key, certificate=certificate, credential_jws=JWS)
        assert verify_pdf_signature(signed, [certificate])
    assert pades._signing_for(key, certificate).signer._template is False


def test_pyhanko_own_validator_trusting_the_certificate_judges_it_valid(signed, academy):
    der = academy[1].public_bytes(serialization.Encoding.DER)
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)], allow_fetching=False)
    [signature] = PdfFileReader(BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(signature, context, key_usage_settings=None)
    assert status.bottom_line and status.coverage.name == 'ENTIRE_FILE'
