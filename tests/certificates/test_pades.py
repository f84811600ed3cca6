import re
from importlib.metadata import version
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import cms, core, parser
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates import pades
from certificates.pades import check_signature, extract_credential, sign_pdf
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
    check = check_signature(signed, [academy[1]])
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
    check = check_signature(bytes(data), [academy[1]])
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
    check = check_signature(_with_contents(signed, change), [academy[1]])
    assert not check and check.reason


def _container(signed):
    """The CMS container in the signature gap of `signed`, parsed, without its zeros."""
    start = signed.rindex(b'/Contents <') + len(b'/Contents <')
    contents = bytes.fromhex(signed[start : signed.index(b'>', start)].decode('ascii'))
    return cms.ContentInfo.load(contents[: parser.peek(contents)], strict=True)


def _with_container(signed, der):
    """`signed` with `der` in its signature gap, padded with zeros as sign_pdf pads."""

    def change(hex_):
        assert len(der) * 2 <= len(hex_), 'the forged container does not fit the gap'
        return der.hex().upper().encode('ascii').ljust(len(hex_), b'0')

    return _with_contents(signed, change)


def _rebuilt(container, **changes):
    """The container encoded afresh with some fields of its SignedData (`signed_data`) or
    of its one SignerInfo (`signer_info`) changed."""
    signed_data = container['content']
    signer_info = signed_data['signer_infos'][0]
    info = {name: signer_info[name] for name in ('version', 'sid', 'signed_attrs', 'signature')}
    info.update(
        digest_algorithm=signer_info['digest_algorithm'],
        signature_algorithm=signer_info['signature_algorithm'],
    )
    info.update(changes.pop('signer_info', {}))
    data = {
        name: signed_data[name]
        for name in ('version', 'digest_algorithms', 'encap_content_info', 'certificates')
    }
    data.update(changes.pop('signed_data', {}), signer_infos=[cms.SignerInfo(info)])
    return cms.ContentInfo({'content_type': 'signed_data', 'content': data}).dump()


def _replaced(der, old, new):
    """`der` with each element whose encoding is `old` encoded as `new` instead, and the
    lengths of the elements around it fixed."""
    if der == old:
        return new
    class_, method, tag, _, body, _ = parser.parse(der, strict=True)
    if old not in body or not method:
        return der
    children, offset = [], 0
    while offset < len(body):
        size = parser.peek(body[offset:])
        children.append(_replaced(body[offset : offset + size], old, new))
        offset += size
    return parser.emit(class_, method, tag, b''.join(children))


def _longer_length(der, inner=None):
    """`der` with the length of its element `inner` (the whole by default) in one byte
    more than DER allows: 0x82 0x00 0xC8 for 0x81 0xC8."""
    inner = der if inner is None else inner
    _, _, _, header, body, _ = parser.parse(inner, strict=True)
    size = header[1] & 0x7F if header[1] & 0x80 else 1
    longer = header[:1] + bytes([0x80 | size + 1]) + len(body).to_bytes(size + 1, 'big') + body
    return _replaced(der, inner, longer)


def _another_revocation_list(container):
    other = cms.RevocationInfoChoice(
        name='other',
        value={'other_rev_info_format': '1.2.3.4', 'other_rev_info': core.OctetString(b'x')},
    )
    return _rebuilt(container, signed_data={'crls': [other]})


def _no_parameters(container):
    """sha256 with no parameters at all, where sign_pdf writes them as NULL."""
    with_null = container['content']['digest_algorithms'][0].dump()
    oid = core.ObjectIdentifier('2.16.840.1.101.3.4.2.1').dump()
    assert with_null == parser.emit(0, 1, 16, oid + core.Null().dump())
    return _replaced(container.dump(), with_null, parser.emit(0, 1, 16, oid))


def _another_certificate(container):
    """A certificate in a format of its own (a whole X.509 one would not fit the gap)."""
    other = cms.CertificateChoices(
        name='other',
        value={'other_cert_format': '1.2.3.4', 'other_cert': core.OctetString(b'x')},
    )
    certificates = [*container['content']['certificates'], other]
    return _rebuilt(container, signed_data={'certificates': certificates})


def _longer_signed_attributes_header(container):
    signer_info = container['content']['signer_infos'][0]
    return _longer_length(container.dump(), signer_info['signed_attrs'].dump())


@pytest.mark.parametrize(
    'forge',
    [
        _another_revocation_list,
        _no_parameters,
        _another_certificate,
        lambda container: _longer_length(container.dump()),
        _longer_signed_attributes_header,
    ],
    ids=[
        'a revocation list added',
        'algorithm parameters left out',
        'another certificate added',
        'the outer length in a longer form',
        'the signed attributes length in a longer form',
    ],
)
def test_a_container_changed_where_its_signature_does_not_reach_fails(signed, academy, forge):
    """Each of these keeps the signature valid (pyHanko's own validator, trusting the key,
    still says so) but is not the container sign_pdf wrote."""
    container = _container(signed)
    forged_der = forge(container)
    assert forged_der != container.dump()
    forged = _with_container(signed, forged_der)
    assert check_signature(_with_container(signed, container.dump()), [academy[1]])

    check = check_signature(forged, [academy[1]])

    assert not check and check.reason == 'the signature container was altered'
    assert _pyhanko_judges_valid(forged, academy[1])


def _pyhanko_judges_valid(data, certificate):
    der = certificate.public_bytes(serialization.Encoding.DER)
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)], allow_fetching=False)
    [signature] = PdfFileReader(BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(signature, context, key_usage_settings=None)
    return status.bottom_line and status.coverage.name == 'ENTIRE_FILE'


def test_a_pdf_signed_by_another_key_is_not_trusted(pdf, academy, impostor):
    key, certificate = impostor
    forged = sign_pdf(pdf, private_key=key, certificate=certificate, credential_jws=JWS)
    check = check_signature(forged, [academy[1]])
    assert not check and check.intact and check.valid
    assert 'untrusted' in check.reason
    assert check_signature(forged, [academy[1], certificate])


def test_anything_appended_after_signing_is_caught(signed, academy):
    check = check_signature(signed + b'\n%% an incremental update\n', [academy[1]])
    assert not check and not check.entire_file


def test_unsigned_twice_signed_and_unreadable_files_fail(pdf, signed, academy, monkeypatch):
    key, certificate = academy
    monkeypatch.setattr(pades, 'SIGNATURE_FIELD', 'Countersignature')
    twice = sign_pdf(signed, private_key=key, certificate=certificate)
    for data, reason in [(pdf, 'found 0'), (twice, 'found 2'), (b'%PDF-garbage', 'readable')]:
        check = check_signature(data, [certificate])
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
        assert check_signature(signed, [certificate])
    assert len(fills) == 3


def test_without_a_template_pyhanko_builds_each_container(pdf, monkeypatch):
    monkeypatch.setattr(pades._CmsTemplate, 'from_pair', classmethod(lambda *args: None))
    key, certificate = throwaway_key()
    for _ in range(2):
        signed = sign_pdf(pdf, private_key=key, certificate=certificate, credential_jws=JWS)
        assert check_signature(signed, [certificate])
    assert pades._signing_for(key, certificate).signer._template is False


def test_pyhanko_own_validator_trusting_the_certificate_judges_it_valid(signed, academy):
    der = academy[1].public_bytes(serialization.Encoding.DER)
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)], allow_fetching=False)
    [signature] = PdfFileReader(BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(signature, context, key_usage_settings=None)
    assert status.bottom_line and status.coverage.name == 'ENTIRE_FILE'


# -- what pades.py leans on in pyHanko (pinned in requirements.txt) ------------------------


def test_pyhanko_is_the_version_pinned_for_its_container_layout():
    requirements = (Path(__file__).resolve().parents[2] / 'requirements.txt').read_text()
    pinned = re.search(r'^pyHanko==(\S+)', requirements, re.MULTILINE)
    assert pinned and version('pyHanko') == pinned[1]


def test_pyhanko_own_container_is_the_one_the_check_expects(pdf, monkeypatch):
    """Signed by pyHanko alone (no template), the container is byte for byte what
    check_signature rebuilds: if a new pyHanko writes another layout, the files it
    signs would no longer verify, and the files signed before must still."""
    monkeypatch.setattr(pades._CmsTemplate, 'from_pair', classmethod(lambda *args: None))
    key, certificate = throwaway_key()
    signed = sign_pdf(pdf, private_key=key, certificate=certificate, credential_jws=JWS)
    [signature] = PdfFileReader(BytesIO(signed)).embedded_signatures

    rebuilt = pades._container_as_written(signature.signer_cert, signature.signer_info)

    assert _container(signed).dump() == rebuilt, 'pyHanko writes another CMS container'
