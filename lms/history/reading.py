"""Reading a spreadsheet of past years: an .xlsx workbook (its first sheet, with openpyxl
in read-only mode, so a large file is streamed) or a CSV file (lms.csv_files: UTF-8 with
or without a byte-order mark, commas, semicolons or tabs).

Lines are counted as the spreadsheet counts them, the header being line 1; blank lines
are passed by, their numbers kept for the lines after them.
"""

import io
import zipfile
from datetime import date, datetime, time

import openpyxl
from flask_babel import lazy_gettext as _l
from openpyxl.utils.exceptions import InvalidFileException

from lms.csv_files import read_rows, read_upload
from lms.errors import Invalid

#: The most data lines one file may hold.
MAX_ROWS = 200_000
#: How every .xlsx file (a ZIP archive) begins.
_ZIP_MAGIC = b'PK\x03\x04'


def is_xlsx(data, filename=''):
    return data[:4] == _ZIP_MAGIC or (filename or '').lower().endswith('.xlsx')


def read_table(data, filename=''):
    """(header, rows): the header's names (trimmed, lower case) and (line, [cell texts])
    for each line after it that is not blank. Raises Invalid (naming the `file` field) for
    a file that cannot be read."""
    if is_xlsx(data, filename):
        header, rows = _read_xlsx(data)
    else:
        header, rows = read_rows(read_upload(data), MAX_ROWS)
    return header, [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]


def _unreadable():
    message = _l(
        'The file cannot be read as an Excel workbook (.xlsx). Save it again from the '
        'spreadsheet as .xlsx, or as “CSV UTF-8”.'
    )
    return Invalid(message, fields={'file': message})


def _read_xlsx(data):
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise _unreadable() from None
    try:
        if not book.worksheets:
            raise _unreadable()
        lines = book.worksheets[0].iter_rows(values_only=True)
        header = [_text(value).strip().lower() for value in next(lines, ())]
        rows = []
        for line, values in enumerate(lines, start=2):
            if line - 1 > MAX_ROWS:
                raise Invalid(_l('At most %(n)d rows at a time.', n=MAX_ROWS))
            rows.append((line, [_text(value) for value in values]))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _unreadable() from None
    finally:
        book.close()
    return header, rows


def _text(value):
    """A cell's value as the text a CSV file would hold: dates as YYYY-MM-DD, whole
    numbers without a decimal point."""
    if value is None:
        return ''
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(' ')
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
