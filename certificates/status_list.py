"""The revocation list as a W3C Bitstring Status List credential (statusPurpose revocation).

Each certificate's credential names one bit of this list (its `status_index`, assigned at
random at issue). Bit i is 1 when that certificate is revoked. Counting starts at the most
significant bit of the first byte (Bitstring Status List v1.0, "Bitstring Encoding"). The
`encodedList` is the bitstring GZIP-compressed, base64url without padding, behind the
multibase prefix 'u'.

Only revocation sets a bit. A superseded certificate (replaced by a reissue, e.g. after a
name correction) was not withdrawn for cause: what it certified still holds, and its
successor says so in full. The status list is for the status purpose `revocation`, so its
bit stays 0; the verification page and API say *superseded* with a link to the new serial.

Pure: no app, no database. The service signs and caches the list (service.py).
"""

import base64
import binascii
import gzip
import zlib

STATUS_PURPOSE = 'revocation'
CREDENTIAL_TYPE = ['VerifiableCredential', 'BitstringStatusListCredential']
#: The media type of a credential secured as a JWS (VC-JOSE-COSE, registered with IANA).
MEDIA_TYPE = 'application/vc+jwt'
#: The JWS header's typ for that media type.
JWS_TYPE = 'vc+jwt'

#: A decoded list larger than this is refused (a gzip bomb would otherwise fill memory).
_MAX_DECODED = 16 * 1024 * 1024


def encode_bitstring(indexes, size):
    """The `encodedList` of a list of `size` bits where the bits at `indexes` are 1.

    Deterministic: the same indexes give the same string (the GZIP header carries no
    time), so every worker signs the same bytes.
    """
    if size % 8:
        raise ValueError('the size of a status list is a whole number of bytes')
    bits = bytearray(size // 8)
    for index in indexes:
        if not 0 <= index < size:
            raise ValueError(f'status index {index} is outside the list of {size} bits')
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return 'u' + base64.urlsafe_b64encode(compressed).rstrip(b'=').decode('ascii')


def decode_encoded_list(encoded):
    """The bitstring (bytes) of an `encodedList`; ValueError when it is not one."""
    if not isinstance(encoded, str) or not encoded.startswith('u'):
        raise ValueError('an encodedList starts with the multibase prefix "u" (base64url)')
    body = encoded[1:]
    try:
        padded = (body + '=' * (-len(body) % 4)).encode('ascii')
        compressed = base64.b64decode(padded, altchars=b'-_', validate=True)
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
        bits = decompressor.decompress(compressed, _MAX_DECODED)
    except (binascii.Error, UnicodeEncodeError, zlib.error) as error:
        raise ValueError(f'not a GZIP-compressed base64url bitstring: {error}') from None
    if decompressor.unconsumed_tail:
        raise ValueError('the status list is larger than any list this academy publishes')
    if not decompressor.eof:
        raise ValueError('not a GZIP-compressed bitstring: the stream is cut short')
    return bits


def bit_at(bitstring, index):
    """The bit at `index` (0 or 1), counting from the most significant bit of byte 0."""
    if not 0 <= index < 8 * len(bitstring):
        raise IndexError(f'status index {index} is outside the list')
    return (bitstring[index // 8] >> (7 - index % 8)) & 1


def build_status_list_credential(*, list_url, issuer_id, encoded_list, valid_from):
    """The BitstringStatusListCredential for `list_url`: a dict, ready for signing.

    `valid_from` is an XML Schema dateTime ('2026-03-02T10:00:00Z'): the time of the
    latest revocation it reflects, so that the same revocations give the same credential.
    """
    return {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        'id': list_url,
        'type': list(CREDENTIAL_TYPE),
        'issuer': issuer_id,
        'validFrom': valid_from,
        'credentialSubject': {
            'id': f'{list_url}#list',
            'type': 'BitstringStatusList',
            'statusPurpose': STATUS_PURPOSE,
            'encodedList': encoded_list,
        },
    }
