"""Reading the CSV files people upload, and writing ones spreadsheets open safely.

Shared by every import (attendance, invitations): UTF-8 with or without a byte-order
mark, or UTF-16 with one (Excel's "Unicode text"); commas, semicolons or tabs (the header
line decides); lines counted as spreadsheets count rows; cells a spreadsheet would run
as a formula escaped on the way out and unescaped on the way in.
"""

import codecs
import csv
import io
import re

from flask_babel import lazy_gettext as _l

from lms.errors import Invalid

#: What a spreadsheet reads as a formula when a cell begins with it (CSV injection), and
#: the apostrophe that escapes them, which must itself be escaped to come back unchanged.
_FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
_ESCAPED_STARTS = (*_FORMULA_STARTS, "'")
#: The separators a spreadsheet may write: Excel uses the list separator of its locale,
#: which is a semicolon wherever the decimal mark is a comma (Georgia among them), and a
#: tab in "Unicode text" files.
_DELIMITERS = (',', ';', '\t')
_LINE_BREAK = re.compile('\r\n|\r|\n')


def cell(value):
    """`value` as an exported cell: text a spreadsheet would run as a formula gets an
    apostrophe in front, which spreadsheets show as text and the import takes off."""
    text = '' if value is None else str(value)
    return "'" + text if text.startswith(_ESCAPED_STARTS) else text


def uncell(text):
    """The value of an imported cell: without the apostrophe `cell` put in front."""
    if text.startswith("'") and text[1:].startswith(_ESCAPED_STARTS):
        return text[1:]
    return text


_SAVE_AS_CSV_UTF8 = _l(
    'In Excel choose File → Save As, and as the type “CSV UTF-8 (Comma delimited)”; '
    'then upload that file.'
)


def read_upload(data):
    """The text of an uploaded file: UTF-8 with or without a byte-order mark, or UTF-16
    with one (Excel's "Unicode text"). Raises Invalid, naming the `file` field, for an
    empty file and for one that is not text in these encodings; there is no guessing at
    other encodings, which would turn Georgian letters into others without a word.
    """
    if not data:
        raise Invalid(_l('The file is empty.'), fields={'file': _l('The file is empty.')})
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = 'utf-16'
    else:
        encoding = 'utf-8-sig'
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = None
    if text is None or '\x00' in text:
        binary = text is not None or b'\x00' in data
        message = (
            _l('This is not a CSV file: it does not hold text. %(how)s', how=_SAVE_AS_CSV_UTF8)
            if binary
            else _l('The file is not in UTF-8. %(how)s', how=_SAVE_AS_CSV_UTF8)
        )
        raise Invalid(message, fields={'file': message})
    return text


def _delimiter(header_line):
    """The separator the header line uses most: comma, semicolon or tab (comma if none)."""
    return max(_DELIMITERS, key=header_line.count)


def read_rows(text, max_rows):
    """The header's column names (trimmed, lower case), and (line, [cells]) for each row
    after it.

    Lines count as a spreadsheet counts rows: the header is line 1. Raises Invalid naming
    the line that the csv module cannot read.
    """
    header_line = _LINE_BREAK.split(text, maxsplit=1)[0]
    # newline='': line breaks inside quoted cells stay as they are, and a file with a
    # carriage return alone at each line end (Excel for Mac) is read line by line too.
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=_delimiter(header_line))
    reading = 1  # the line the reader is at, as spreadsheets count them
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        rows = []
        reading = 2
        for cells in reader:
            if reading - 1 > max_rows:
                raise Invalid(_l('At most %(n)d rows at a time.', n=max_rows))
            rows.append((reading, [uncell(value) for value in cells]))
            reading += 1
    except csv.Error:
        # The field size limit, or a quotation mark never closed (which makes the rest of
        # the file one field): either way this line cannot be read, and nothing after it.
        message = _l(
            'Line %(line)d cannot be read: a value is longer than %(n)d characters, '
            'or a quotation mark is not closed.',
            line=reading,
            n=csv.field_size_limit(),
        )
        raise Invalid(message, fields={'file': message}) from None
    return header, rows
