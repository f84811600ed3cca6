"""Downloads that open in a spreadsheet: XLSX workbooks (XlsxWriter) and CSV files.

Shared by the statistics and the reports, so every download opens the same way: CSV in
UTF-8 with a byte-order mark (without it Excel reads the file in the computer's code page
and shows Georgian as gibberish), lines ending in CR LF, cells a spreadsheet would run as
a formula escaped; workbooks that keep text as text (a name typed as "=1+1" or
"http://…" stays those letters, never a formula or a link).
"""

import csv
import io

import xlsxwriter
from flask import Response

from lms.csv_files import cell

XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
CSV = 'text/csv; charset=utf-8'


def csv_file(rows):
    """`rows` (lists of cells: text, numbers or None) as a CSV file Excel opens right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerows([cell(value) for value in row] for row in rows)
    return '\ufeff'.encode() + out.getvalue().encode('utf-8')


def workbook(out, title):
    """A workbook writing into the file object `out`; text is written as text. Its
    creation time is left out, so the same figures give the same file."""
    book = xlsxwriter.Workbook(
        out,
        {
            'in_memory': True,
            'strings_to_formulas': False,
            'strings_to_urls': False,
            'strings_to_numbers': False,
        },
    )
    book.set_properties({'title': str(title), 'created': None})
    return book


def sheet_name(word):
    """A worksheet's name from `word`: at most 31 characters, none of those Excel refuses."""
    name = ''.join(' ' if c in '[]:*?/\\' else c for c in str(word)).strip()
    return name[:31] or 'Sheet'


def attachment(body, content_type, filename):
    """A download response; `filename` is ASCII (the content names the rest)."""
    response = Response(body, content_type=content_type)
    response.headers['Content-Disposition'] = f'attachment; filename="{filename}"'
    return response
