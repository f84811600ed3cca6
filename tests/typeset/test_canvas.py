"""CompactCanvas, and the reportlab internals it leans on (typeset/canvas.py).

reportlab is pinned to one exact version for these internals. When a new version changes
one of them, a test here fails and says which: read typeset/canvas.py before moving the pin.
"""

import re
from importlib.metadata import version
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from typeset import draw_string, font_names, markup
from typeset.canvas import FIRST_CODE, CompactCanvas

REQUIREMENTS = Path(__file__).resolve().parents[2] / 'requirements.txt'


def _write(canvas_class, text='Nino ნინო', **kwargs):
    buffer = BytesIO()
    canvas = canvas_class(buffer, pagesize=A4, initialFontName=font_names()[0], **kwargs)
    draw_string(canvas, 72, 700, text, 12)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _filters(stream):
    names = stream.get('/Filter', [])
    return [str(name) for name in (names if isinstance(names, list) else [names])]


def _page(pdf):
    return PdfReader(BytesIO(pdf)).pages[0]


def _fonts(page):
    return [font.get_object() for font in page['/Resources']['/Font'].values()]


def test_reportlab_is_the_version_pinned_for_its_internals():
    pinned = re.search(r'^reportlab==(\S+)', REQUIREMENTS.read_text(), re.MULTILINE)
    assert pinned and version('reportlab') == pinned[1]


def test_page_content_is_compressed_without_ascii85():
    page = _page(_write(CompactCanvas))
    assert _filters(page['/Contents'].get_object()) == ['/FlateDecode'], (
        'reportlab no longer hands an uncompressed page to the document default filters'
    )
    assert 'ნინო' in page.extract_text()


def test_fonts_and_their_unicode_maps_stay_compressed():
    for font in _fonts(_page(_write(CompactCanvas))):
        descriptor = font['/FontDescriptor'].get_object()
        assert _filters(descriptor['/FontFile2'].get_object()) == ['/FlateDecode']
        assert _filters(font['/ToUnicode'].get_object()) == ['/FlateDecode']


def test_compact_subsets_hold_only_the_glyphs_used_from_code_33():
    """poppler draws no glyph on codes 1-31, and word spacing applies to code 32 only."""
    text = 'Nino Gela ნინო გელა'
    for font in _fonts(_page(_write(CompactCanvas, text=text))):
        cmap = font['/ToUnicode'].get_object().get_data().decode('latin-1')
        pairs = dict(re.findall(r'<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>', cmap))
        assert pairs['20'] == '0020', font['/BaseFont']  # the space keeps code 32
        # 1-31 are filled with the space by reportlab, never drawn as letters
        letters = {c: chr(int(u, 16)) for c, u in pairs.items() if u not in ('0000', '0020')}
        assert min(int(code, 16) for code in letters) == FIRST_CODE, font['/BaseFont']
        assert set(letters.values()) <= set(text), font['/BaseFont']  # not all of ASCII


def test_reportlab_settings_for_the_whole_process_are_left_alone():
    """A plain Canvas written while a CompactCanvas document is open keeps reportlab's own
    defaults: nothing process-wide was changed for the compact one."""
    before = (rl_config.useA85, rl_config.ttfAsciiReadable, rl_config.pageCompression)
    compact_buffer, plain_buffer = BytesIO(), BytesIO()
    compact = CompactCanvas(compact_buffer, initialFontName=font_names()[0])
    draw_string(compact, 72, 700, 'Nino', 12)
    plain = Canvas(plain_buffer, initialFontName=font_names()[0], pageCompression=1)
    draw_string(plain, 72, 700, 'Nino', 12)
    plain.save()
    compact.save()

    assert (rl_config.useA85, rl_config.ttfAsciiReadable, rl_config.pageCompression) == before
    assert _filters(_page(plain_buffer.getvalue())['/Contents'].get_object()) == [
        '/ASCII85Decode',
        '/FlateDecode',
    ]
    assert _filters(_page(compact_buffer.getvalue())['/Contents'].get_object()) == ['/FlateDecode']


def test_page_compression_off_is_honoured():
    page = _page(_write(CompactCanvas, pageCompression=0))
    assert _filters(page['/Contents'].get_object()) == []
    assert 'Nino' in page.extract_text()


def test_a_platypus_document_is_written_on_it():
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=font_names()[0]).build(
        [Paragraph(markup('ხელმოწერა · Signature'), ParagraphStyle('p', fontName=font_names()[0]))],
        canvasmaker=CompactCanvas,
    )
    page = _page(buffer.getvalue())
    assert _filters(page['/Contents'].get_object()) == ['/FlateDecode']
    assert 'ხელმოწერა · Signature' in page.extract_text()


def test_an_invariant_document_is_byte_identical_on_every_write():
    assert _write(CompactCanvas, invariant=1) == _write(CompactCanvas, invariant=1)
