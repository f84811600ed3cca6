"""The certificate as a PDF: one A4 landscape page, Georgian and English side by side.

It prints the frozen claims and nothing else, so that the page, the signed credential and
the verification page state the same facts. Fonts are typeset's Noto faces, registered
once per process and embedded as subsets; the canvas starts on one of them, so that the
unembedded Helvetica is never referenced. The canvas is typeset's CompactCanvas: what
makes the file small and quick to write lives there, this module only lays out the page.
"""

import math
from decimal import Decimal
from functools import lru_cache
from io import BytesIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from certificates.qr import QUIET_ZONE, draw_qr
from typeset import draw_string, font_names, register_fonts, text_width
from typeset.canvas import CompactCanvas
from typeset.dates import format_date, format_range, format_until

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

ACCENT = HexColor('#0b5c7a')
ACCENT_LIGHT = HexColor('#a9c7d3')
INK = HexColor('#1c2327')
MUTED = HexColor('#56626a')

#: Side of the QR square, quiet zone included. For any URL up to 74 characters (version 6
#: at error correction Q) the symbol is 33-35 mm and a module at least 0.85 mm, which a
#: phone photo of a printout resolves easily.
QR_SIZE = 42 * mm

TYPES = {
    'completion': ('დასრულების სერტიფიკატი', 'Certificate of Completion'),
    'participation': ('მონაწილეობის სერტიფიკატი', 'Certificate of Participation'),
}
# What the holder is certified for. Phrased around the name rather than as a sentence with
# it, because a Georgian sentence would need the name in the ergative or dative case.
ACHIEVEMENTS = {
    'training': ('ტრენინგის წარმატებით დასრულებისთვის', 'for successfully completing the training'),
    'seminar': ('სემინარში მონაწილეობისთვის', 'for taking part in the seminar'),
    'conference': ('კონფერენციაში მონაწილეობისთვის', 'for taking part in the conference'),
    'forum': ('ფორუმში მონაწილეობისთვის', 'for taking part in the forum'),
}


#: How every PDF file begins (ISO 32000-1, 7.5.2); the academy's begin exactly so.
PDF_HEADER = b'%PDF-'


def is_pdf(data):
    """Whether `data` begin as a PDF file does: anything else cannot be a certificate,
    and is answered so before it is compared with any."""
    return data.startswith(PDF_HEADER)


def render(claims, serial, url, *, logo=None, signature_images=None, invariant=False):
    """The certificate PDF of `claims`, as bytes.

    `serial` is printed as given (formatted, with hyphens) and `url` is what the QR code
    encodes and the page spells out. `logo` is an image (PNG or JPEG bytes, a path or a
    file object) drawn above the title; without one a plain vector emblem is drawn.
    `signature_images` runs parallel to `claims.signatories`, one image or None each.
    With `invariant=True` the output is byte-identical on every call (no clock, fixed
    document id); otherwise only the creation date and id differ.
    """
    register_fonts()
    buffer = BytesIO()
    canvas = CompactCanvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1 if invariant else 0,
        pageCompression=1,
        initialFontName=font_names('Serif')[0],  # or the page starts on unembedded Helvetica
        lang='ka',
    )
    _metadata(canvas, claims, serial)
    _frame(canvas)
    _header(canvas, claims, logo)
    _body(canvas, claims)
    footer_left = _footer(canvas, claims, serial, url)
    _signatories(canvas, claims.signatories, list(signature_images or ()), footer_left - 8 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# Dates and numbers ------------------------------------------------------------------------


def _hours(value, decimal_mark):
    value = Decimal(str(value)).normalize()
    text = f'{value:f}'
    return text.replace('.', decimal_mark)


def hours_en(value):
    text = _hours(value, '.')
    return f'{text} hour' if text == '1' else f'{text} hours'


def hours_ka(value):
    # Georgian keeps the noun singular after a numeral.
    return f'{_hours(value, ",")} საათი'


# Text ---------------------------------------------------------------------------------
# One family, Noto Serif with its Georgian companion, in two weights: four embedded subsets
# keep the file small and the page calm. Widths are linear in the size, so text is measured
# once at size 1 and scaled.


def _width(text, size, bold=False, tracking=0.0):
    return text_width(text, size, 'Serif', bold, tracking)


def _text(canvas, x, y, text, size, *, bold=False, color=INK, align='left', tracking=0.0):
    """One line of the certificate's mixed-script text (typeset.draw_string, in Serif)."""
    draw_string(
        canvas, x, y, text, size, 'Serif', bold=bold, align=align, color=color, tracking=tracking
    )


def _wrap(text, size, width, bold=False):
    """Greedy line breaks at spaces."""
    space = stringWidth(' ', font_names('Serif', bold)[0], size)
    lines, line, line_width = [], [], 0.0
    for word in text.split():
        word_width = _width(word, size, bold)
        if line and line_width + space + word_width > width:
            lines.append(' '.join(line))
            line, line_width = [], 0.0
        line_width += (space if line else 0) + word_width
        line.append(word)
    return [*lines, ' '.join(line)] if line else lines


def _fit(text, size, width, bold=False, smallest=6):
    """The largest size up to `size`, in half points, at which `text` fits in `width`."""
    natural = _width(text, 1, bold)
    return max(smallest, min(size, int(2 * width / natural) / 2)) if natural else size


def _fit_lines(text, size, width, max_lines, bold=False, smallest=9):
    """The largest size, in half points, at which `text` wraps into `max_lines` lines."""
    while True:
        lines = _wrap(text, size, width, bold)
        if len(lines) <= max_lines or size <= smallest:
            return size, lines
        size -= 0.5


# The page -----------------------------------------------------------------------------

MARGIN = 20 * mm  # from the paper's edge to the content
COLUMN_GAP = 16 * mm
COLUMN_WIDTH = (PAGE_WIDTH - 2 * MARGIN - COLUMN_GAP) / 2
KA_CENTER = MARGIN + COLUMN_WIDTH / 2
EN_CENTER = PAGE_WIDTH - MARGIN - COLUMN_WIDTH / 2


def _metadata(canvas, claims, serial):
    type_ka, type_en = TYPES[claims.certificate_type]
    canvas.setTitle(f'{type_en}: {claims.holder_name_en} · {type_ka}: {claims.holder_name_ka}')
    canvas.setAuthor(f'{claims.issuer_name_en} · {claims.issuer_name_ka}')
    canvas.setSubject(f'{claims.course_title_en} · {claims.course_title_ka}')
    canvas.setKeywords(f'{serial}, {claims.course_code}, certificate, სერტიფიკატი')
    canvas.setCreator('Academy LMS')


def _frame(canvas):
    """A thin double rule in the accent colour."""
    canvas.setStrokeColor(ACCENT)
    outer, inner = 9 * mm, 11 * mm
    canvas.setLineWidth(1.6)
    canvas.rect(outer, outer, PAGE_WIDTH - 2 * outer, PAGE_HEIGHT - 2 * outer)
    canvas.setLineWidth(0.5)
    canvas.rect(inner, inner, PAGE_WIDTH - 2 * inner, PAGE_HEIGHT - 2 * inner)


def _emblem(canvas, cx, cy, radius):
    """The academy's plain vector mark: a hemicycle of seats, an assembly, in a ring."""
    canvas.setStrokeColor(ACCENT)
    canvas.setFillColor(ACCENT)
    canvas.setLineWidth(1.1)
    canvas.circle(cx, cy, radius)
    canvas.setLineWidth(0.4)
    canvas.circle(cx, cy, radius - 2.4)
    base = cy - radius * 0.2
    # Each seat is a zero-length stroke with round caps: a dot in two coordinates, where a
    # circle takes four curves.
    seats = canvas.beginPath()
    for row, count in enumerate((5, 7, 9)):
        distance = radius * (0.3 + 0.17 * row)
        for seat in range(count):
            angle = math.pi * seat / (count - 1)
            x = round(cx + distance * math.cos(angle), 2)
            y = round(base + distance * math.sin(angle), 2)
            seats.moveTo(x, y)
            seats.lineTo(x, y)
    canvas.saveState()
    canvas.setLineCap(1)
    canvas.setLineWidth(radius * 0.11)
    canvas.drawPath(seats, stroke=1, fill=0)
    canvas.restoreState()
    canvas.rect(
        cx - radius * 0.14, base - radius * 0.2, radius * 0.28, radius * 0.12, stroke=0, fill=1
    )
    canvas.rect(cx - radius * 0.5, base - radius * 0.3, radius, radius * 0.035, stroke=0, fill=1)


def _image(source):
    if isinstance(source, bytes | bytearray):
        return _image_from_bytes(bytes(source))
    return source if isinstance(source, ImageReader) else ImageReader(source)


@lru_cache(maxsize=16)
def _image_from_bytes(data):
    # The same logo and signatures appear on every certificate of a run: decode them once.
    return ImageReader(BytesIO(data))


def _draw_image(canvas, source, cx, bottom, max_width, max_height):
    image = _image(source)
    width, height = image.getSize()
    scale = min(max_width / width, max_height / height)
    canvas.drawImage(
        image,
        cx - width * scale / 2,
        bottom,
        width * scale,
        height * scale,
        mask='auto',
    )


def _header(canvas, claims, logo):
    cx = PAGE_WIDTH / 2
    if logo is None:
        _emblem(canvas, cx, 525, 19)
    else:
        _draw_image(canvas, logo, cx, 506, 130, 40)
    _text(
        canvas,
        cx,
        486,
        claims.issuer_name_ka,
        10.5,
        bold=True,
        color=ACCENT,
        align='center',
        tracking=0.3,
    )
    _text(
        canvas,
        cx,
        473,
        claims.issuer_name_en.upper(),
        7.5,
        color=MUTED,
        align='center',
        tracking=1.6,
    )
    _text(canvas, cx, 424, 'სერტიფიკატი', 36, color=ACCENT, align='center', tracking=1)
    _text(canvas, cx, 401, 'CERTIFICATE', 12.5, color=ACCENT, align='center', tracking=6)
    # a short rule broken by a small diamond
    y = 385
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.5)
    canvas.line(cx - 46, y, cx - 7, y)
    canvas.line(cx + 7, y, cx + 46, y)
    diamond = canvas.beginPath()
    diamond.moveTo(cx, y + 2.6)
    diamond.lineTo(cx + 2.6, y)
    diamond.lineTo(cx, y - 2.6)
    diamond.lineTo(cx - 2.6, y)
    diamond.close()
    canvas.setFillColor(ACCENT)
    canvas.drawPath(diamond, stroke=0, fill=1)


BODY_TOP = 362
BODY_BOTTOM = 172  # clear of the signatures and the footer


def _body(canvas, claims):
    """The two columns, Georgian on the left and English on the right, line for line.

    Both columns share their sizes and row heights, so that each Georgian line stands
    level with its English counterpart however long either is. When long titles or places
    would run into the footer, the whole body is set a little smaller until it fits.
    """
    for scale in (1, 0.93, 0.86, 0.8, 0.74, 0.68):
        ops, bottom = _body_ops(claims, scale)
        if bottom >= BODY_BOTTOM:
            break
    canvas.setStrokeColor(ACCENT_LIGHT)
    canvas.setLineWidth(0.5)
    canvas.line(PAGE_WIDTH / 2, BODY_TOP + 4, PAGE_WIDTH / 2, min(bottom, BODY_TOP - 180))
    for draw, args, kwargs in ops:
        draw(canvas, *args, **kwargs)


def _body_ops(claims, scale):
    """The drawing operations of the body at `scale`, and the lowest baseline they reach."""
    ops = []

    def text(*args, **kwargs):
        ops.append((_text, args, kwargs))

    type_ka, type_en = TYPES[claims.certificate_type]
    achievement_ka, achievement_en = ACHIEVEMENTS[claims.course_kind]
    centres = (KA_CENTER, EN_CENTER)
    width = COLUMN_WIDTH - 8 * mm

    y = BODY_TOP
    for cx, kind in zip(centres, (type_ka, type_en.upper()), strict=True):
        text(cx, y, kind, 8.5, bold=True, color=ACCENT, align='center', tracking=1.4)

    y -= 36 * scale
    names = (claims.holder_name_ka, claims.holder_name_en)
    size = min(_fit(name, 26 * scale, width, bold=True, smallest=12) for name in names)
    for cx, name in zip(centres, names, strict=True):
        text(cx, y, name, size, bold=True, align='center')
        ops.append((_rule, (cx - 24, cx + 24, y - 12 * scale), {}))

    y -= 29 * scale
    for cx, achievement in zip(centres, (achievement_ka, achievement_en), strict=True):
        text(cx, y, achievement, 10.5 * scale, color=MUTED, align='center')

    y -= 21 * scale
    titles = (f'„{claims.course_title_ka}“', f'“{claims.course_title_en}”')
    size = min(_fit_lines(title, 15 * scale, width, 2, bold=True)[0] for title in titles)
    wrapped = [_wrap(title, size, width, bold=True) for title in titles]
    for cx, lines in zip(centres, wrapped, strict=True):
        for index, line in enumerate(lines):
            text(cx, y - index * size * 1.3, line, size, bold=True, color=ACCENT, align='center')
    y -= max(map(len, wrapped)) * size * 1.3 + 9 * scale

    # Label and value rows, the labels right-aligned on an axis a little left of centre;
    # a long value wraps onto up to three lines, smaller if need be.
    axis_offset = -width * 0.14
    value_width = width / 2 - axis_offset - 5
    for row in _detail_rows(claims):
        size = min(
            _fit_lines(value, 9.5 * scale, value_width, 3, smallest=7)[0] for _, value in row
        )
        leading = size * 1.47
        height = 0
        for cx, (label, value) in zip(centres, row, strict=True):
            axis = cx + axis_offset
            text(axis - 5, y, label, 8 * scale, color=MUTED, align='right', tracking=0.2)
            lines = _wrap(value, size, value_width)
            for index, line in enumerate(lines):
                text(axis + 5, y - index * leading, line, size)
            height = max(height, len(lines) * leading)
        y -= height
    return ops, y + leading


def _detail_rows(claims):
    """((Georgian label, value), (English label, value)) for each line of facts."""
    single_day = claims.starts_on == claims.ends_on
    dates = (claims.starts_on, claims.ends_on)
    rows = [
        (('ხანგრძლივობა', hours_ka(claims.hours)), ('Duration', hours_en(claims.hours))),
        (
            ('თარიღი' if single_day else 'თარიღები', format_range(*dates, 'ka')),
            ('Date' if single_day else 'Dates', format_range(*dates, 'en')),
        ),
        (('ადგილი', claims.place_ka), ('Place', claims.place_en)),
    ]
    sessions, attended = claims.sessions_total, claims.sessions_attended
    if sessions:
        rows.append(
            (
                ('დასწრება', f'{sessions}-დან {attended} სესია'),
                ('Attendance', f'{attended} of {sessions} session{"s" if sessions > 1 else ""}'),
            )
        )
    return rows


def _rule(canvas, x1, x2, y):
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.6)
    canvas.line(x1, y, x2, y)


def _footer(canvas, claims, serial, url):
    """The QR code in the bottom right corner, the serial, dates and address beside it.

    Returns the left edge of the text, which the signatories must stay clear of.
    """
    qr_x = PAGE_WIDTH - MARGIN - QR_SIZE + 5 * mm  # its quiet zone may reach into the margin
    qr_y = 15 * mm
    canvas.setFillColor(INK)
    module = draw_qr(canvas, url, qr_x, qr_y, QR_SIZE)

    right = qr_x - 1 * mm  # clear of the quiet zone
    y = qr_y + QR_SIZE - QUIET_ZONE * module - 7
    left = right

    def line(text, size, gap, bold=False, color=INK, tracking=0.0):
        nonlocal y, left
        _text(
            canvas, right, y, text, size, bold=bold, color=color, align='right', tracking=tracking
        )
        left = min(left, right - _width(text, size, bold, tracking))
        y -= gap

    issued, until = claims.issued_on, claims.valid_until
    line('სერიული ნომერი · Serial number', 7.5, 17, color=MUTED, tracking=0.3)
    line(serial, 14, 16, bold=True, color=ACCENT, tracking=1.6)
    line(
        f'გაცემის თარიღი: {format_date(issued, "ka")} · Issued on {format_date(issued, "en")}',
        7.5,
        11,
    )
    if until:
        line(
            f'ძალაშია {format_until(until, "ka")} · Valid until {format_date(until, "en")}',
            7.5,
            11,
            bold=True,
        )
    line(f'გადაამოწმეთ: {url}', 7.5, 11, color=MUTED)
    line(f'Verify at: {url}', 7.5, 11, color=MUTED)
    return left


def _signatories(canvas, signatories, images, right):
    """Up to three signatories side by side, between the left margin and `right`."""
    count = min(len(signatories), 3)
    if not count:
        return
    slot = min(62 * mm, (right - MARGIN) / count)
    line_y = 37 * mm
    for index, signatory in enumerate(signatories[:count]):
        cx = MARGIN + slot * (index + 0.5)
        width = slot - 8 * mm
        image = images[index] if index < len(images) else None
        if image is not None:
            _draw_image(canvas, image, cx, line_y + 2, width, 14 * mm)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.4)
        canvas.line(cx - width / 2, line_y, cx + width / 2, line_y)
        y = line_y - 12
        _text(
            canvas,
            cx,
            y,
            signatory.name_ka,
            _fit(signatory.name_ka, 9.5, width, bold=True),
            bold=True,
            align='center',
        )
        y -= 11.5
        _text(canvas, cx, y, signatory.name_en, _fit(signatory.name_en, 9, width), align='center')
        for title in (signatory.title_ka, signatory.title_en):
            if title:
                y -= 10.5
                _text(canvas, cx, y, title, _fit(title, 7.5, width), color=MUTED, align='center')
