import re
from io import BytesIO

import pytest
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


@pytest.mark.parametrize('where', ['page content', 'first byte', 'middle', 'signature container',
                                   'reserved zeros', 'last byte'])  # fmt: skip
def test_flipping_one_byte_anywhere_fails(signed, academy, where):
    data = bytearray(signed)
    offset = _offsets(signed)[where]
    data[offset] = ord('1') if data[offset] == ord('0') else data[offset] ^ 0x01
    check = verify_pdf_signature(bytes(data), [academy[1]])
    assert not check and check.reason
    assert '\n' not in check.reason


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


def test_one_signature_per_file_and_the_signer_is_built_once(pdf, academy, monkeypatch):
    """The fast path: no trial signature to size the container, no key parsed per file."""
    key, certificate = academy
    sign_pdf(pdf, private_key=key, certificate=certificate)
    signer = pades._signing_for(key, certificate).signer
    calls = []
    original = type(signer).async_sign_raw

    async def counting(self, *args, **kwargs):
        calls.append(self)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(type(signer), 'async_sign_raw', counting)
    for _ in range(3):
        assert verify_pdf_signature(
            sign_pdf(pdf, private_key=key, certificate=certificate), [certificate]
        )
    assert calls == [signer] * 3
