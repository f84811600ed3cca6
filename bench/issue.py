"""Benchmark: issuing 200 certificates in one request, against a bare reportlab render.

The issue path does everything: claims, Open Badges credential signed as a VC-JWT, PDF
with its vector QR code, the credential embedded, the PAdES signature, storage. The bare
render is a comparable page with qrcode's default PNG drawn with drawImage: no database,
no signing. Target: issuing at least as many certificates per second as the bare render,
each PDF at most 100 KB.

Run: .venv/bin/python bench/issue.py
"""

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qrcode
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from bench._attended import attended_offering
from certificates import CertificatePdf, key_store
from config import TestConfig
from lms import create_app
from lms.extensions import db
from lms.people.service import issue_token
from typeset import draw_string, font_names

N = 200


def bare_render(name_ka, name_en, url):
    """A comparable certificate page, the plain way: qrcode's PNG and drawImage."""
    latin, _ = font_names('Serif')
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), initialFontName=latin)
    width, height = landscape(A4)
    canvas.rect(20, 20, width - 40, height - 40)
    draw_string(
        canvas,
        width / 2,
        height - 120,
        'სერტიფიკატი · Certificate',
        30,
        family='Serif',
        bold=True,
        align='center',
    )
    draw_string(canvas, width / 2, height - 220, name_ka, 26, family='Serif', align='center')
    draw_string(canvas, width / 2, height - 255, name_en, 20, family='Serif', align='center')
    draw_string(
        canvas,
        width / 2,
        height - 320,
        'მონაწილეობითი ბიუჯეტირება · Participatory budgeting',
        14,
        family='Serif',
        align='center',
    )
    png = io.BytesIO()
    qrcode.make(url).save(png)
    png.seek(0)
    canvas.drawImage(ImageReader(png), width - 160, 40, 110, 110)
    draw_string(canvas, 60, 60, url, 9)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def bench_bare():
    bare_render('ნინო ბერიძე', 'Nino Beridze', 'https://academy.example.ge/v/K7QM-3XWD-9P2F')
    started = time.perf_counter()
    sizes = [
        len(
            bare_render(
                f'მონაწილე {i}',
                f'Participant {i}',
                f'https://academy.example.ge/v/K7QM-3XWD-{i:04d}',
            )
        )
        for i in range(N)
    ]
    seconds = time.perf_counter() - started
    return N / seconds, max(sizes)


def make_offering():
    offering, admin = attended_offering(
        N,
        code='BENCH-1',
        title_ka='მონაწილეობითი ბიუჯეტირება',
        title_en='Participatory budgeting',
        kind='training',
        hours=16,
        name_ka='ნინო ბერიძე',
        name_en='Nino Beridze',
    )
    token = issue_token(admin)
    db.session.commit()
    return offering, token


def bench_issue(folder):
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f'sqlite:///{folder}/bench.sqlite',
        CERTIFICATE_KEY_DIR=f'{folder}/keys',
        MAIL_URL='none',  # e-mails are written, and delivered nowhere
    )
    with app.app_context():
        db.create_all()
        offering, token = make_offering()
        client = app.test_client()
        headers = {'Authorization': f'Bearer {token}'}
        # The key is made on first use: outside the timing, as on a running academy.
        key_store().current()
        started = time.perf_counter()
        response = client.post(
            f'/api/v1/offerings/{offering.id}/certificates', json={}, headers=headers
        )
        seconds = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)
        assert len(response.json['issued']) == N
        sizes = [len(pdf) for pdf in db.session.scalars(select(CertificatePdf.content))]
        return N / seconds, max(sizes), statistics.mean(sizes)


def main():
    bare_rate, bare_size = bench_bare()
    with tempfile.TemporaryDirectory() as folder:
        rate, largest, mean = bench_issue(folder)
    print(
        f'bare reportlab render (PNG QR, drawImage):  {bare_rate:7.1f} pages/s, '
        f'{1000 / bare_rate:5.1f} ms each, {bare_size / 1024:5.1f} KB'
    )
    print(
        f'issue {N} certificates in one request:      {rate:7.1f} certificates/s, '
        f'{1000 / rate:5.1f} ms each, largest PDF {largest / 1024:5.1f} KB '
        f'(mean {mean / 1024:.1f} KB)'
    )
    print(
        f'ratio issue / bare: {rate / bare_rate:.2f} (target ≥ 1.00), '
        f'largest PDF ≤ 100 KB: {"yes" if largest <= 100 * 1024 else "NO"}'
    )


if __name__ == '__main__':
    main()
