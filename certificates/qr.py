"""The QR code of a certificate: its data (the verification URL), its module matrix and
its drawing on a reportlab canvas, kept apart so that each can be tested on its own.

Error correction is Q (25% of the symbol recoverable), not the usual M (15%). The code is
read from printouts: framed behind glass, folded, photographed at an angle under office
lights, where glare and creases wipe out patches of modules. On a short URL, Q costs at
most one version (4 more modules a side), and in the 42 mm square the certificate gives
it a module stays between 0.85 and 1.1 mm, far above what a phone camera resolves.
"""

import qrcode
from qrcode.constants import ERROR_CORRECT_Q

#: Modules of white around the symbol (ISO/IEC 18004 asks for 4).
QUIET_ZONE = 4

# A fixed mask skips qrcode's scoring of all 8 patterns (~3.5 ms per code): the mask only
# evens out dark and light areas, and decoders read whichever one the format bits name.
MASK_PATTERN = 2


def verification_url(base_url, serial):
    """`<base>/v/<serial>`: the short public address the QR code and the page print.

    The serial is used as given (the caller passes it formatted with its hyphens); a
    trailing slash on the base is dropped.
    """
    return f'{base_url.rstrip("/")}/v/{serial}'


def qr_matrix(data):
    """The module matrix of `data` as rows of booleans (True = dark), without quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas, data, x, y, size):
    """Draw the QR code of `data` in the square (x, y, size) of a reportlab canvas.

    The square includes the quiet zone, which is left unpainted: keep it white. The dark
    modules are one vector path, each run of a row one rectangle, filled once in the
    current fill colour: sharp at any zoom, a few hundred operators, no image to encode.
    Returns the side of one module in points.
    """
    matrix = qr_matrix(data)
    module = size / (len(matrix) + 2 * QUIET_ZONE)
    rects = []
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                rects.append(f'{start} {row_index} {col - start} 1 re')
                start = None
    canvas.saveState()
    # One unit per module, origin at the symbol's top left corner, rows counted downwards:
    # the path is written in small integers instead of formatting ~1,000 floats.
    inset = QUIET_ZONE * module
    canvas.transform(module, 0, 0, -module, x + inset, y + size - inset)
    canvas.addLiteral('\n'.join(rects) + '\nf')
    canvas.restoreState()
    return module
