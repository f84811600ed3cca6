"""Georgian and Latin text in reportlab PDFs.

The Noto Georgian fonts have no Latin letters and the plain Noto fonts no Georgian, so
text is split into runs by script and each run is set in its own font. Fonts are
registered once per process; every one of them is embedded (as a subset) in the PDF.
"""

import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / 'fonts'

FAMILIES = {
    # family: (latin regular, latin bold, georgian regular, georgian bold)
    'Sans': (
        'NotoSans-Regular',
        'NotoSans-Bold',
        'NotoSansGeorgian-Regular',
        'NotoSansGeorgian-Bold',
    ),
    'Serif': (
        'NotoSerif-Regular',
        'NotoSerif-Bold',
        'NotoSerifGeorgian-Regular',
        'NotoSerifGeorgian-Bold',
    ),
}

# Georgian letters, with the spaces and hyphens between Georgian words (the Georgian fonts
# have those two, but no digits or other punctuation).
_GEORGIAN = re.compile(
    r'([\u10A0-\u10FF\u1C90-\u1CBF\u2D00-\u2D2F]+(?:[ \-]+'
    r'[\u10A0-\u10FF\u1C90-\u1CBF\u2D00-\u2D2F]+)*)'
)


@cache
def register_fonts():
    """Register every font once per process (loading them per document halves the speed)."""
    for names in FAMILIES.values():
        for name in names:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f'{name}.ttf')))
    return True


def font_names(family='Sans', bold=False):
    """(latin font, georgian font) names of a family."""
    register_fonts()
    latin_regular, latin_bold, georgian_regular, georgian_bold = FAMILIES[family]
    return (latin_bold, georgian_bold) if bold else (latin_regular, georgian_regular)


def runs(text):
    """Split text into (is_georgian, chunk) runs."""
    parts = _GEORGIAN.split(text or '')
    return [(i % 2 == 1, part) for i, part in enumerate(parts) if part]


def markup(text, family='Sans', bold=False):
    """Paragraph markup for `text` with each Georgian run in the Georgian font."""
    latin, georgian = font_names(family, bold)
    out = []
    for is_georgian, chunk in runs(text):
        out.append(f'<font name="{georgian if is_georgian else latin}">{escape(chunk)}</font>')
    return ''.join(out)


def pieces(text, family='Sans', bold=False):
    """[(font, chunk, width at size 1)] for the script runs of `text` (widths are linear in
    the size, so a line is measured once and scaled)."""
    latin, georgian = font_names(family, bold)
    return [
        (font, chunk, pdfmetrics.stringWidth(chunk, font, 1))
        for is_georgian, chunk in runs(text)
        for font in (georgian if is_georgian else latin,)
    ]


def text_width(text, size, family='Sans', bold=False, tracking=0.0):
    """The width of one line of mixed-script text at `size`, with `tracking` points of
    extra space between letters."""
    found = pieces(text, family, bold)
    letters = sum(len(chunk) for _, chunk, _ in found)
    return size * sum(w for *_, w in found) + tracking * max(letters - 1, 0)


def draw_string(
    canvas, x, y, text, size, family='Sans', *, bold=False, align='left', color=None, tracking=0.0
):
    """Draw one line of mixed-script text at (x, y); returns its width.

    Every PDF of the academy draws its lines here. The runs of a line go into one text
    object, so that text extraction reads the line as one (and the page is written with
    fewer operators). `tracking` is extra space between letters, in points.
    """
    found = pieces(text, family, bold)
    letters = sum(len(chunk) for _, chunk, _ in found)
    width = size * sum(w for *_, w in found) + tracking * max(letters - 1, 0)
    if align == 'center':
        x -= width / 2
    elif align == 'right':
        x -= width
    line = canvas.beginText(x, y)
    if color is not None:
        line.setFillColor(color)
    if tracking:
        line.setCharSpace(tracking)
    for font, chunk, _ in found:
        line.setFont(font, size)
        line.textOut(chunk)
    if tracking:
        line.setCharSpace(0)  # character spacing outlives the text object in PDF
    canvas.drawText(line)
    return width
