"""Benchmark: one certificate PDF, three ways, in milliseconds per certificate.

(a) a bare reportlab render of a comparable page: the same texts in the same fonts, drawn
    the plain way (a canvas with reportlab's defaults, typeset.draw_string), with qrcode's
    default PNG drawn by drawImage; no signing;
(b) certificates.pdf.render: the vector QR code with a fixed mask, compact font subsets;
(c) render + certificates.pades.sign_pdf: the credential embedded and a PAdES signature.
It also prints the size of each file. No database, no app.

Run: .venv/bin/python bench/pdf.py [certificates per run, default 200]
"""

import io
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qrcode
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from certificates.claims import Claims, Signatory
from certificates.pades import check_signature, sign_pdf
from certificates.pdf import render
from certificates.qr import verification_url
from typeset import draw_string, font_names

BASE = 'https://academy.example.ge'
# A VC-JWT of the size the academy's credentials have (~2.5 KB).
JWS = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIn0.' + 'x' * 2100 + '.' + 's' * 342


def claims(i):
    return Claims(
        holder_name_ka=f'ნინო გელაშვილი {i}',
        holder_name_en=f'Nino Gelashvili {i}',
        course_code='PB-101',
        course_title_ka='მონაწილეობითი ბიუჯეტირება მუნიციპალიტეტებში',
        course_title_en='Participatory Budgeting in Municipalities',
        course_kind='training',
        hours=Decimal(24),
        sessions_attended=9,
        sessions_total=10,
        starts_on=date(2025, 3, 3),
        ends_on=date(2025, 3, 7),
        place_ka='ქუთაისი, ქალაქის საკრებულო',
        place_en='Kutaisi, City Council',
        issuer_name_ka='სამოქალაქო ჩართულობის აკადემია',
        issuer_name_en='Civic Participation Academy',
        issuer_url=BASE,
        issued_on=date(2025, 3, 12),
        valid_until=date(2027, 3, 12),
        signatories=(
            Signatory('თამარ ბერიძე', 'Tamar Beridze', 'აკადემიის დირექტორი', 'Director'),
            Signatory('დავით კაპანაძე', 'Davit Kapanadze', 'ტრენერი', 'Trainer'),
        ),
    )


def serial(i):
    return f'K7QM-3XWD-{i:04d}'


def bare_render(claims, serial, url):
    """The comparable page the plain way: default canvas, qrcode's PNG and drawImage."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=font_names('Serif')[0])
    canvas.rect(25, 25, width - 50, height - 50)
    canvas.rect(31, 31, width - 62, height - 62)
    left, right, centre = width / 4, 3 * width / 4, width / 2
    lines = [
        (centre, 486, claims.issuer_name_ka, 10.5, True),
        (centre, 473, claims.issuer_name_en.upper(), 7.5, False),
        (centre, 424, 'სერტიფიკატი', 36, False),
        (centre, 401, 'CERTIFICATE', 12.5, False),
        (left, 362, 'დასრულების სერტიფიკატი', 8.5, True),
        (right, 362, 'CERTIFICATE OF COMPLETION', 8.5, True),
        (left, 326, claims.holder_name_ka, 26, True),
        (right, 326, claims.holder_name_en, 26, True),
        (left, 297, 'ტრენინგის წარმატებით დასრულებისთვის', 10.5, False),
        (right, 297, 'for successfully completing the training', 10.5, False),
        (left, 276, claims.course_title_ka, 13, True),
        (right, 276, claims.course_title_en, 15, True),
        (left, 240, 'ხანგრძლივობა 24 საათი', 9.5, False),
        (right, 240, 'Duration 24 hours', 9.5, False),
        (left, 226, 'თარიღები 2025 წლის 3–7 მარტი', 9.5, False),
        (right, 226, 'Dates 3–7 March 2025', 9.5, False),
        (left, 212, f'ადგილი {claims.place_ka}', 9.5, False),
        (right, 212, f'Place {claims.place_en}', 9.5, False),
        (left, 198, 'დასწრება 10-დან 9 სესია', 9.5, False),
        (right, 198, 'Attendance 9 of 10 sessions', 9.5, False),
        (560, 150, 'სერიული ნომერი · Serial number', 7.5, False),
        (560, 133, serial, 14, True),
        (560, 117, 'გაცემის თარიღი: 2025 წლის 12 მარტი · Issued on 12 March 2025', 7.5, False),
        (560, 106, 'ძალაშია 2027 წლის 12 მარტამდე · Valid until 12 March 2027', 7.5, True),
        (560, 95, f'გადაამოწმეთ: {url}', 7.5, False),
        (560, 84, f'Verify at: {url}', 7.5, False),
    ]
    for x, y, text, size, bold in lines:
        draw_string(canvas, x, y, text, size, family='Serif', bold=bold, align='center')
    for index, person in enumerate(claims.signatories):
        x = 140 + index * 180
        canvas.line(x - 70, 105, x + 70, 105)
        for offset, text in enumerate((person.name_ka, person.name_en, person.title_ka)):
            draw_string(canvas, x, 93 - 11 * offset, text, 9, family='Serif', align='center')
    png = io.BytesIO()
    qrcode.make(url).save(png)
    png.seek(0)
    canvas.drawImage(ImageReader(png), width - 176, 42, 119, 119)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def academy_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'Civic Participation Academy')])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def timed(make, inputs, runs=3):
    """Best milliseconds per certificate over `runs` passes (the machine may be shared),
    and the outputs of the last pass."""
    make(*inputs[0])  # warm up: fonts, imports, caches
    best = float('inf')
    for _ in range(runs):
        started = time.perf_counter()
        outputs = [make(*args) for args in inputs]
        best = min(best, (time.perf_counter() - started) * 1000 / len(inputs))
    return best, outputs


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    key, certificate = academy_key()
    inputs = [(claims(i), serial(i), verification_url(BASE, serial(i))) for i in range(n)]

    def render_and_sign(claims, serial, url):
        pdf = render(claims, serial, url)
        return sign_pdf(pdf, private_key=key, certificate=certificate, credential_jws=JWS)

    bare_ms, bare = timed(bare_render, inputs)
    render_ms, rendered = timed(render, inputs)
    signed_ms, signed = timed(render_and_sign, inputs)
    assert all(check_signature(pdf, [certificate]) for pdf in signed[:5])

    def sizes(pdfs):
        lengths = [len(pdf) / 1024 for pdf in pdfs]
        return f'{statistics.mean(lengths):5.1f} KB (max {max(lengths):.1f})'

    print(f'{n} certificates each, best of 3 runs')
    print(f'(a) bare reportlab, PNG QR via drawImage: {bare_ms:6.2f} ms  {sizes(bare)}')
    print(f'(b) certificates.pdf.render:              {render_ms:6.2f} ms  {sizes(rendered)}')
    print(f'(c) render + sign_pdf (PAdES, JWS inside): {signed_ms:6.2f} ms  {sizes(signed)}')
    print(f'    sign_pdf alone ≈ {signed_ms - render_ms:.2f} ms')
    print(f'    (c) is {bare_ms / signed_ms:.2f}× the bare rate (target ≥ 1)')


if __name__ == '__main__':
    main()
