"""The paper sign-in sheet of a session: an A4 PDF with names, organisations and a
signature column, because many rooms still sign on paper first."""

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from typeset import draw_string, font_names, markup
from typeset.canvas import CompactCanvas


def render_sign_in_sheet(*, title, subtitle, heading, columns, rows, footer):
    """An A4 sign-in sheet; `columns` are the header words, `rows` the people.

    Each row is (number, Georgian name, Latin name, organization). Texts arrive already
    in the reader's language; this function only lays them out.
    """
    latin, _ = font_names()
    body = ParagraphStyle('body', fontName=latin, fontSize=9, leading=11)
    small = ParagraphStyle(
        'small', parent=body, fontSize=8, leading=10, textColor=colors.HexColor('#444444')
    )
    head = ParagraphStyle('head', parent=body, fontSize=14, leading=18, alignment=TA_CENTER)
    sub = ParagraphStyle('sub', parent=body, fontSize=10, leading=13, alignment=TA_CENTER)

    data = [[Paragraph(markup(c, bold=True), small) for c in columns]]
    for number, name_ka, name_en, organization in rows:
        data.append(
            [
                Paragraph(str(number), body),
                Paragraph(markup(name_ka) + '<br/>' + markup(name_en), body),
                Paragraph(markup(organization), small),
                '',
            ]
        )
    table = Table(data, colWidths=[10 * mm, 70 * mm, 55 * mm, 45 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ('FONTNAME', (0, 0), (-1, -1), latin),
                ('GRID', (0, 0), (-1, -1), 0.5, colors.HexColor('#888888')),
                ('BACKGROUND', (0, 0), (-1, 0), colors.HexColor('#e8f1f5')),
                ('VALIGN', (0, 0), (-1, -1), 'MIDDLE'),
                ('ROWBACKGROUNDS', (0, 1), (-1, -1), [colors.white, colors.HexColor('#f7f7f7')]),
                ('TOPPADDING', (0, 1), (-1, -1), 7),
                ('BOTTOMPADDING', (0, 1), (-1, -1), 7),
            ]
        )
    )

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author=heading,
        subject=subtitle,
        initialFontName=latin,  # or the canvas starts on Helvetica, which is not embedded
    )

    def page_footer(canvas, doc):
        canvas.saveState()
        draw_string(canvas, A4[0] - 15 * mm, 8 * mm, f'{footer} · {doc.page}', 8, align='right')
        canvas.restoreState()

    doc.build(
        [
            Paragraph(markup(heading, bold=True), head),
            Paragraph(markup(title, bold=True), sub),
            Paragraph(markup(subtitle), sub),
            Spacer(1, 6 * mm),
            table,
        ],
        onFirstPage=page_footer,
        onLaterPages=page_footer,
        canvasmaker=CompactCanvas,  # the certificate's compact output, per document
    )
    return buffer.getvalue()
