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


def draw_string(canvas, x, y, text, size, family='Sans', bold=False, align='left'):
    """Draw one line of mixed-script text on a canvas at (x, y)."""
    latin, georgian = font_names(family, bold)
    pieces = [(georgian if g else latin, chunk) for g, chunk in runs(text)]
    width = sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in pieces)
    if align == 'center':
        x -= width / 2
    elif align == 'right':
        x -= width
    for font, chunk in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)
    return width
