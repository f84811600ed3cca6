"""A reportlab canvas that writes smaller files faster, with settings of its own document.

Both of the academy's PDFs (the certificate and the sign-in sheet) are written on it. It
differs from reportlab's Canvas in two ways, neither visible on the page:

- page content is compressed without the ASCII85 layer reportlab adds by default: that
  layer makes the stream 25% bigger and costs ~2 ms in pure Python, for 7-bit mail
  transports nobody uses;
- the fonts of typeset are embedded as compact subsets, with only the glyphs the document
  uses (10 KB smaller and 1.5 ms faster for a certificate).

reportlab offers neither per document: ASCII85 is the process-wide `rl_config.useA85`,
read while a document is written, and a font's compact mode hands out codes 1-31 first,
which poppler (pdftoppm, most Linux viewers) does not draw. So this canvas leans on
reportlab internals, which is why reportlab is pinned to one exact version in
requirements.txt and tests/typeset/test_canvas.py checks each of them:

- `Canvas._doc` (its PDFDocument) and `Canvas._pageCompression`;
- a page whose compression is off leaves its content stream's filters unset, and a
  stream without filters takes its document's `defaultStreamFilters`;
- the font files and ToUnicode maps follow the document's `compression`, not the page's;
- `TTFont._assignState(doc, asciiReadable=False)` makes the font's per-document state,
  whose `nextCode` is the next code handed out.

Nothing process-wide is changed: every setting here belongs to one document (a font keeps
its state per document), so documents can be written at the same time on other threads,
with this canvas or reportlab's own.
"""

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from typeset import FAMILIES, register_fonts

#: The first code of a compact subset: 1-31 are control codes poppler does not draw, and
#: 32 stays the space, so that word spacing still applies to it.
FIRST_CODE = 33


class CompactCanvas(Canvas):
    """reportlab's Canvas, same arguments, writing compact PDFs (module docstring).

    Use it as a canvas, or as `canvasmaker=CompactCanvas` of a platypus document's build().
    `pageCompression=0` is honoured: the page content is then written uncompressed.
    """

    def __init__(self, *args, pageCompression=1, **kwargs):
        super().__init__(*args, pageCompression=pageCompression, **kwargs)
        if self._pageCompression:
            # The document stays compressed (fonts, ToUnicode maps); its pages hand their
            # content to the document's default filters, which here are Flate alone.
            self._doc.defaultStreamFilters = [pdfdoc.PDFZCompress]
            self._pageCompression = 0
        _compact_subsets(self._doc)


def _compact_subsets(doc):
    """Give each typeset font a compact subset state in `doc`, before any text is drawn."""
    register_fonts()
    for names in FAMILIES.values():
        for name in names:
            state = pdfmetrics.getFont(name)._assignState(doc, asciiReadable=False)
            state.nextCode = FIRST_CODE
