import re
import zlib
from io import BytesIO

import qrcode
import zxingcpp
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from certificates.qr import MASK_PATTERN, QUIET_ZONE, draw_qr, qr_matrix, verification_url
from tests.certificates.samples import SERIAL, URL


def test_the_url_is_the_base_then_v_then_the_formatted_serial():
    assert verification_url('https://academy.example.ge', SERIAL) == URL
    assert verification_url('https://academy.example.ge/', SERIAL) == URL


def _image(matrix, scale=6):
    side = len(matrix) + 2 * QUIET_ZONE
    image = Image.new('L', (side, side), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x + QUIET_ZONE, y + QUIET_ZONE), 0)
    return image.resize((side * scale, side * scale), Image.NEAREST)


def test_the_matrix_decodes_to_the_url_with_error_correction_q():
    matrix = qr_matrix(URL)
    assert len(matrix) == len(matrix[0]) and (len(matrix) - 17) % 4 == 0
    assert all(isinstance(dark, bool) for row in matrix for dark in row)
    [barcode] = zxingcpp.read_barcodes(_image(matrix))
    assert barcode.text == URL
    assert barcode.ec_level == 'Q'


def test_the_mask_is_fixed_so_the_eight_patterns_are_never_scored(monkeypatch):
    def score(self):
        raise AssertionError('mask scoring ran')

    monkeypatch.setattr(qrcode.QRCode, 'best_mask_pattern', score)
    reference = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_Q, border=0, mask_pattern=MASK_PATTERN
    )
    reference.add_data(URL)
    assert qr_matrix(URL) == reference.get_matrix()


def test_draw_qr_fills_one_path_of_row_runs_inside_the_quiet_zone():
    buffer = BytesIO()
    canvas = Canvas(buffer, pageCompression=0, initialFontName='Courier')
    module = draw_qr(canvas, URL, 100, 200, 120)
    canvas.showPage()
    canvas.save()
    matrix = qr_matrix(URL)
    assert module == 120 / (len(matrix) + 2 * QUIET_ZONE)

    [stream] = re.findall(rb'stream\r?\n(.*?)endstream', buffer.getvalue(), re.S)
    ops = (zlib.decompress(stream) if stream.startswith(b'x') else stream).decode('latin-1')
    runs = sum(len(re.findall(r'1+', ''.join('1' if d else '0' for d in row))) for row in matrix)
    assert len(re.findall(r'\bre\b', ops)) == runs
    assert len(re.findall(r'(?m)^f$', ops)) == 1  # filled once
    # one module per unit, origin at the top left corner of the symbol, inside the quiet zone
    inset = QUIET_ZONE * module
    a, b, c, d, e, f = map(float, re.findall(r'(\S+) (\S+) (\S+) (\S+) (\S+) (\S+) cm', ops)[-1])
    assert (b, c) == (0, 0) and abs(a - module) < 1e-3 and abs(d + module) < 1e-3
    assert abs(e - (100 + inset)) < 1e-3 and abs(f - (200 + 120 - inset)) < 1e-3
