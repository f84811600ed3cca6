"""Tamper evidence inside the certificate PDF: the signed credential travels in it as an
embedded file, and a PAdES signature made with the academy key covers every byte of it.

Both can be checked offline, from the file alone, against the academy's self-issued
certificates: no network, no database, no certificate chain.
"""

import asyncio
import hashlib
import os
from dataclasses import dataclass, replace
from datetime import timedelta
from io import BytesIO

from asn1crypto import algos, cms, core, parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from pyhanko.pdf_utils import embed, misc
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity

CREDENTIAL_FILE = 'credential.jwt'
CREDENTIAL_MIME = 'application/jwt'
SIGNATURE_FIELD = 'AcademySignature'

# The CMS container of an RSA signature is the certificate, the signature (the key's size)
# and ~370 bytes of structure and PAdES attributes, always the same for one key. Reserving
# that (with room to spare) skips pyHanko's trial signature, which only measures the size.
_CMS_OVERHEAD = 512


@dataclass(frozen=True)
class PdfSignatureCheck:
    """What `check_signature` found; true when the file is intact and ours."""

    ok: bool
    reason: str  # one line: why not, or what was verified
    certificate: x509.Certificate | None = None  # the trusted certificate that signed it
    signatures: int = 0
    entire_file: bool = False
    intact: bool = False
    valid: bool = False

    def __bool__(self):
        return self.ok


class _KeySigner(signers.Signer):
    """A pyHanko signer over an already loaded `cryptography` RSA key, with a CMS template.

    pyHanko's SimpleSigner keeps the key as DER and parses it again for every signature.
    And for a plain PAdES signature, pyHanko builds the same CMS container every time with
    asn1crypto (~7 ms): only the document digest inside the signed attributes and the
    signature value change. So the container is built by pyHanko once, as a template, and
    later signatures splice those two values into a copy of it.

    This leans on how pyHanko lays out its container, not on its documented interface:
    hence the exact pin of pyHanko in requirements.txt. The template is only used when two
    containers from pyHanko prove the layout still holds (_CmsTemplate.from_pair), and
    tests/certificates/test_pades.py fails loudly when it no longer does.
    """

    def __init__(self, private_key, certificate):
        self._private_key = private_key
        self._template = None  # a _CmsTemplate once built, False if this signer cannot have one
        super().__init__(
            signing_cert=certificate,
            signature_mechanism=algos.SignedDigestAlgorithm({'algorithm': 'sha256_rsa'}),
        )

    async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
        if digest_algorithm != 'sha256':
            raise ValueError(f'unexpected digest {digest_algorithm}')
        return self._private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    async def async_sign(
        self,
        data_digest,
        digest_algorithm,
        dry_run=False,
        use_pades=False,
        timestamper=None,
        signed_attr_settings=None,
        is_pdf_sig=True,
        encap_content_info=None,
    ):
        general = {
            'dry_run': dry_run,
            'use_pades': use_pades,
            'timestamper': timestamper,
            'signed_attr_settings': signed_attr_settings,
            'is_pdf_sig': is_pdf_sig,
            'encap_content_info': encap_content_info,
        }
        plain = (
            use_pades
            and is_pdf_sig
            and not dry_run
            and timestamper is None
            and encap_content_info is None
            and digest_algorithm == 'sha256'
            and len(data_digest) == 32
            and getattr(signed_attr_settings, 'cades_signed_attrs', None) is None
            and getattr(signed_attr_settings, 'adobe_revinfo_attr', None) is None
        )
        if plain and self._template is None:
            self._template = await self._build_template(signed_attr_settings) or False
        if not (plain and self._template):
            return await super().async_sign(data_digest, digest_algorithm, **general)
        return self._template.fill(data_digest, self._private_key)

    async def _build_template(self, settings):
        """Two containers from pyHanko a day apart: if only the digest and the signature
        differ between them, the first is the template."""
        digests = (os.urandom(32), os.urandom(32))
        later = settings
        if settings is not None and settings.signing_time is not None:
            later = replace(settings, signing_time=settings.signing_time + timedelta(days=1))
        first, second = [
            (
                await super(_KeySigner, self).async_sign(
                    digest, 'sha256', use_pades=True, signed_attr_settings=attrs
                )
            ).dump()
            for digest, attrs in zip(digests, (settings, later), strict=True)
        ]
        return _CmsTemplate.from_pair(first, digests[0], second, digests[1])


@dataclass(frozen=True)
class _CmsTemplate:
    der: bytes
    digest_at: int
    attrs_at: int
    attrs_length: int
    signature_at: int
    signature_length: int

    @classmethod
    def from_pair(cls, first, first_digest, second, second_digest):
        """The template, or None if anything but digest and signature varies."""
        signer_info = _signer_info(first)
        attrs = signer_info['signed_attrs'].dump()
        signature = signer_info['signature'].native
        second_signature = _signer_info(second)['signature'].native
        places = [
            (whole.find(part), whole.count(part), len(part))
            for whole, part in (
                (first, first_digest),
                (second, second_digest),
                (first, signature),
                (second, second_signature),
                (first, attrs),
            )
        ]
        (digest_at, *_), _, (signature_at, *_), _, (attrs_at, *_) = places
        varying = {i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b}
        expected = set(range(digest_at, digest_at + 32)) | set(
            range(signature_at, signature_at + len(signature))
        )
        if (
            len(first) != len(second)
            or any(count != 1 for _, count, _ in places)
            or places[0][0] != places[1][0]
            or places[2][0] != places[3][0]
            or not attrs_at < digest_at < attrs_at + len(attrs)
            or not varying <= expected
        ):
            return None
        return cls(first, digest_at, attrs_at, len(attrs), signature_at, len(signature))

    def fill(self, digest, private_key):
        der = bytearray(self.der)
        der[self.digest_at : self.digest_at + 32] = digest
        # The signature covers the attributes encoded as a SET, not as the [0] they are
        # tagged with inside SignerInfo (RFC 5652, 5.4).
        attrs = bytearray(der[self.attrs_at : self.attrs_at + self.attrs_length])
        attrs[0] = 0x31
        signature = private_key.sign(bytes(attrs), padding.PKCS1v15(), hashes.SHA256())
        if len(signature) != self.signature_length:  # pragma: no cover - RSA sizes are fixed
            raise ValueError('unexpected signature length')
        der[self.signature_at : self.signature_at + self.signature_length] = signature
        return cms.ContentInfo.load(bytes(der), strict=True)


def _signer_info(der):
    return cms.ContentInfo.load(der, strict=True)['content']['signer_infos'][0]


@dataclass(frozen=True)
class _Signing:
    private_key: object
    signer: _KeySigner
    bytes_reserved: int


_SIGNING = {}  # certificate fingerprint -> _Signing


def _signing_for(private_key, certificate):
    """The signer of a key, built once per process (a handful of keys ever exist).

    The same key loaded again (an equal public key) keeps the signer and its template.
    """
    fingerprint = certificate.fingerprint(hashes.SHA256())
    signing = _SIGNING.get(fingerprint)
    if signing is None or (
        signing.private_key is not private_key
        and signing.private_key.public_key() != private_key.public_key()
    ):
        if private_key.public_key() != certificate.public_key():
            raise ValueError('the private key does not belong to the certificate')
        der = certificate.public_bytes(serialization.Encoding.DER)
        signing = _Signing(
            private_key=private_key,
            signer=_KeySigner(private_key, asn1_x509.Certificate.load(der)),
            # hex digits in the file: two per byte
            bytes_reserved=2 * (len(der) + private_key.key_size // 8 + _CMS_OVERHEAD),
        )
        _SIGNING[fingerprint] = signing
    return signing


def sign_pdf(pdf_bytes, *, private_key, certificate, credential_jws=None, name=None):
    """Embed the credential and sign the PDF with PAdES (ETSI.CAdES.detached); return bytes.

    `private_key` is a `cryptography` RSA private key and `certificate` its self-issued
    X.509 certificate. The credential (a compact JWS) becomes the embedded file
    'credential.jwt' in the same incremental update as the signature, so the signature
    covers it too. The signature field is invisible; `name` is the signer's name that PDF
    readers show in their signature panel. A file that already carries the signature is
    refused (pyHanko's SigningError): a certificate is signed once, at issue.
    """
    signing = _signing_for(private_key, certificate)
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    if credential_jws is not None:
        _embed_credential(writer, credential_jws)
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            md_algorithm='sha256',
            subfilter=fields.SigSeedSubFilter.PADES,
            name=name,
        ),
        signer=signing.signer,
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD),
    )
    output = BytesIO()
    # pdf_signer.sign_pdf would do the same through asyncio.run, plus a trial signature
    # when bytes_reserved is not given.
    asyncio.run(
        pdf_signer.async_sign_pdf(writer, bytes_reserved=signing.bytes_reserved, output=output)
    )
    return output.getvalue()


def _embed_credential(writer, credential_jws):
    data = credential_jws.encode('ascii') if isinstance(credential_jws, str) else credential_jws
    stream = embed.EmbeddedFileObject.from_file_data(
        writer,
        data=data,
        mime_type=CREDENTIAL_MIME,
        # no dates: the signature's own time is the one that counts
        params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=True),
    )
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string=CREDENTIAL_FILE,
            file_name=CREDENTIAL_FILE,
            embedded_data=stream,
            description='Open Badges 3.0 credential, signed (VC-JWT)',
        ),
    )


def extract_credential(pdf_bytes):
    """The compact JWS embedded as 'credential.jwt', or None when the file has none.

    Says nothing about whether it is authentic: verify the JWS, and the PDF signature.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        names = reader.root['/Names']['/EmbeddedFiles']['/Names']
    except (KeyError, ValueError, TypeError, misc.PdfError):
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) != CREDENTIAL_FILE:
            continue
        try:
            return names[index + 1].get_object()['/EF']['/F'].get_object().data.decode('ascii')
        except (KeyError, UnicodeDecodeError, misc.PdfError):
            return None
    return None


def check_signature(pdf_bytes, trusted_certificates):
    """Check that the PDF carries exactly one intact signature, covering the whole file, by
    one of `trusted_certificates` (cryptography x509 objects; trust is an exact match).

    Returns a PdfSignatureCheck, truthy when all holds; otherwise its `reason` says in one
    line what failed. Never raises for a damaged or foreign file.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:
        return PdfSignatureCheck(False, f'not a readable PDF ({_brief(exc)})')
    if len(embedded) != 1:
        return PdfSignatureCheck(
            False, f'expected one signature, found {len(embedded)}', signatures=len(embedded)
        )
    try:
        return _check(pdf_bytes, embedded[0], trusted_certificates)
    except Exception as exc:
        return PdfSignatureCheck(False, f'unreadable signature ({_brief(exc)})', signatures=1)


def _check(pdf_bytes, signature, trusted_certificates):
    entire_file = signature.evaluate_signature_coverage().name == 'ENTIRE_FILE'
    if not entire_file:
        return PdfSignatureCheck(False, 'the signature does not cover the whole file', signatures=1)
    problem = _envelope_problem(pdf_bytes, signature)
    if problem:
        return PdfSignatureCheck(False, problem, signatures=1, entire_file=True)
    signer_der = signature.signer_cert.dump()
    try:
        intact, valid = validate_sig_integrity(
            signature.signer_info,
            signature.signer_cert,
            expected_content_type='data',
            actual_digest=signature.compute_digest(),
        )
    except SignatureValidationError as exc:
        intact, valid = False, False
        reason = _brief(exc)
    else:
        reason = ''
    state = {'signatures': 1, 'entire_file': True, 'intact': intact, 'valid': valid}
    if not intact:
        return PdfSignatureCheck(False, reason or 'the file was changed after signing', **state)
    if not valid:
        return PdfSignatureCheck(False, reason or 'the signature value is invalid', **state)
    for certificate in trusted_certificates:
        if certificate.public_bytes(serialization.Encoding.DER) == signer_der:
            return PdfSignatureCheck(
                True,
                f'signed by {certificate.subject.rfc4514_string()}',
                certificate=certificate,
                **state,
            )
    subject = signature.signer_cert.subject.human_friendly
    digest = hashlib.sha256(signer_der).hexdigest()[:16]
    return PdfSignatureCheck(
        False, f'signed by an untrusted certificate ({subject}, SHA-256 {digest}…)', **state
    )


def _envelope_problem(pdf_bytes, signature):
    """What is wrong with the parts of the signature that its own signature does not cover.

    The byte range leaves out the /Contents string; inside it, the signature covers only
    the signed attributes. The rest of the CMS container (its encoding, the algorithms, the
    certificates, any optional field) and the zeros reserved after it could change without
    breaking the signature, so they are held to exactly what sign_pdf writes: then no byte
    of the file can change unnoticed.
    """
    contents = signature.pkcs7_content
    # The gap in the byte range holds the container as sign_pdf wrote it: upper-case hex,
    # nothing else. A PDF reader would also accept spaces or lower case there.
    _, before, after, _ = signature.byte_range
    if pdf_bytes[before:after] != b'<' + contents.hex().upper().encode('ascii') + b'>':
        return 'the space reserved for the signature was altered'
    expected = _container_as_written(signature.signer_cert, signature.signer_info)
    if contents[: len(expected)] != expected:
        return 'the signature container was altered'
    if contents[len(expected) :].strip(b'\x00'):
        return 'the space reserved for the signature was altered'
    return ''


def _container_as_written(certificate, signer_info):
    """The DER of the container sign_pdf writes around `certificate`, the signed attributes
    and the signature value of `signer_info`, encoded afresh by asn1crypto.

    asn1crypto, like pyHanko, reads BER: it accepts lengths in a longer form than DER's, so
    a parse, strict or not, does not tell a container in canonical form from one that is
    not; re-encoding the whole of it would (dump(force=True)), but costs ~300 ms. So only
    the values that vary are taken from the file, and everything else, the framing
    included, is what sign_pdf writes with pyHanko 0.38 (requirements.txt): a container
    with any other field, algorithm or encoding does not match. The certificate must then
    be byte for byte a trusted one (_check), and the signature covers the attributes'
    content; their [0] header, which it does not cover, is written here in DER. The values
    are loaded afresh from their bytes, so that pyHanko's parsed objects stay untouched.
    """
    sha256 = {'algorithm': 'sha256', 'parameters': core.Null()}
    tbs = certificate['tbs_certificate']
    attributes = parser.emit(0, 1, 17, signer_info['signed_attrs'].contents)  # a SET
    return cms.ContentInfo(
        {
            'content_type': 'signed_data',
            'content': {
                'version': 'v1',
                'digest_algorithms': [sha256],
                'encap_content_info': {'content_type': 'data'},
                'certificates': [asn1_x509.Certificate.load(certificate.dump(), strict=True)],
                'signer_infos': [
                    {
                        'version': 'v1',
                        'sid': {
                            'issuer_and_serial_number': {
                                'issuer': asn1_x509.Name.load(tbs['issuer'].dump(), strict=True),
                                'serial_number': tbs['serial_number'].native,
                            }
                        },
                        'digest_algorithm': sha256,
                        'signed_attrs': cms.CMSAttributes.load(attributes, strict=True),
                        'signature_algorithm': {
                            'algorithm': 'sha256_rsa',
                            'parameters': core.Null(),
                        },
                        'signature': signer_info['signature'].native,
                    }
                ],
            },
        }
    ).dump()


def _brief(exc):
    text = ' '.join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:119] + '…'
