"""Sample claims and throwaway keys for the PDF, QR and PAdES tests (no app, no database)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw

from certificates.claims import Claims, Signatory

SERIAL = 'K7QM-3XWD-9P2F'
URL = f'https://academy.example.ge/v/{SERIAL}'


def sample_claims(**overrides):
    values = {
        'holder_name_ka': 'ნინო გელაშვილი',
        'holder_name_en': 'Nino Gelashvili',
        'course_code': 'PB-101',
        'course_title_ka': 'მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
        'course_title_en': 'Participatory Budgeting in Municipalities',
        'course_kind': 'training',
        'hours': Decimal('24'),
        'sessions_attended': 9,
        'sessions_total': 10,
        'starts_on': date(2025, 3, 3),
        'ends_on': date(2025, 3, 7),
        'place_ka': 'ქუთაისი, ქალაქის საკრებულო',
        'place_en': 'Kutaisi, City Council',
        'issuer_name_ka': 'სამოქალაქო ჩართულობის აკადემია',
        'issuer_name_en': 'Civic Participation Academy',
        'issuer_url': 'https://academy.example.ge',
        'issued_on': date(2025, 3, 12),
        'valid_until': date(2027, 3, 12),
        'signatories': (
            Signatory('თამარ ბერიძე', 'Tamar Beridze', 'აკადემიის დირექტორი', 'Director'),
            Signatory('დავით კაპანაძე', 'Davit Kapanadze', 'ტრენერი', 'Trainer'),
        ),
    }
    values.update(overrides)
    return Claims(**values)


def throwaway_key(common_name='Civic Participation Academy'):
    """An RSA 2048 key and its self-issued certificate, as the academy key will have."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def png(width, height, draw):
    """A transparent PNG with whatever `draw(ImageDraw)` puts on it."""
    image = Image.new('RGBA', (width, height), (255, 255, 255, 0))
    draw(ImageDraw.Draw(image))
    buffer = BytesIO()
    image.save(buffer, 'PNG')
    return buffer.getvalue()
