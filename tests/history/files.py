"""Spreadsheets of past years for the tests: CSV and XLSX files written from rows."""

import csv
import io
from contextlib import suppress
from datetime import date

import openpyxl

#: A column order unlike API.md's, with a column the import does not know: names in any
#: order, extra columns ignored.
HEADER = (
    'full_name_ka',
    'outcome',
    'note',
    'starts_on',
    'ends_on',
    'kind',
    'course_code',
    'course_title_ka',
    'course_title_en',
    'hours',
    'municipality',
    'location',
    'email',
    'gender',
    'sector',
    'organization',
    'position',
    'full_name_en',
    'certificate_number',
    'certificate_issued_on',
)

BASE = {
    'starts_on': '2017-03-01',
    'ends_on': '2017-03-03',
    'kind': 'training',
    'course_code': 'CB-101',
    'course_title_ka': 'სამოქალაქო ბიუჯეტი',
    'course_title_en': 'Civil budget',
    'hours': '24',
    'municipality': 'ქუთაისი',
    'outcome': 'accepted',
}


def row(**values):
    """One line: BASE with `values` over it."""
    return {**BASE, **values}


def csv_bytes(rows, header=HEADER, bom=False):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, '') for name in header])
    data = out.getvalue().encode('utf-8')
    return b'\xef\xbb\xbf' + data if bom else data


def xlsx_bytes(rows, header=HEADER):
    """An .xlsx written with openpyxl: dates as real dates, hours as numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for values in rows:
        cells = []
        for name in header:
            value = values.get(name, '')
            if name.endswith('_on') and value and value[:4].isdigit():
                with suppress(ValueError):  # not a date: written as the text it is
                    value = date.fromisoformat(value)
            elif name == 'hours' and value:
                value = float(value)
            cells.append(value if value != '' else None)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write(tmp_path, rows, name='history.csv', **kwargs):
    path = tmp_path / name
    data = xlsx_bytes(rows) if name.endswith('.xlsx') else csv_bytes(rows, **kwargs)
    path.write_bytes(data)
    return str(path)
