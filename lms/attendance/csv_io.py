"""A session's attendance as CSV: export for spreadsheets, import with a dry run.

Columns: enrollment_id, email, full_name_ka, full_name_en, status, note. On import a row
names its person by enrollment_id or, when that is empty, by e-mail; statuses are the
codes present, late, excused, absent (or their Georgian and English words).
"""

import codecs
import csv
import io
import re

from flask_babel import lazy_gettext as _l

from lms.attendance.service import (
    check_roster,
    check_started,
    save_roster,
    session_attendance,
)
from lms.errors import Invalid
from lms.labels import LABELS

COLUMNS = ('enrollment_id', 'email', 'full_name_ka', 'full_name_en', 'status', 'note')
MAX_ROWS = 5000
#: The longest text an import takes: a full roster of MAX_ROWS lines fits many times over.
MAX_TEXT_LENGTH = 1_000_000


#: What a spreadsheet reads as a formula when a cell begins with it (CSV injection), and
#: the apostrophe that escapes them, which must itself be escaped to come back unchanged.
_FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
_ESCAPED_STARTS = (*_FORMULA_STARTS, "'")
#: The separators a spreadsheet may write: Excel uses the list separator of its locale,
#: which is a semicolon wherever the decimal mark is a comma (Georgia among them), and a
#: tab in "Unicode text" files.
_DELIMITERS = (',', ';', '\t')
_LINE_BREAK = re.compile('\r\n|\r|\n')


def _cell(value):
    """`value` as an exported cell: text a spreadsheet would run as a formula gets an
    apostrophe in front, which spreadsheets show as text and the import takes off."""
    text = '' if value is None else str(value)
    return "'" + text if text.startswith(_ESCAPED_STARTS) else text


def _uncell(text):
    """The value of an imported cell: without the apostrophe `_cell` put in front."""
    if text.startswith("'") and text[1:].startswith(_ESCAPED_STARTS):
        return text[1:]
    return text


def export_csv(enrollments, attendance):
    """CSV text of the roster: every accepted person, with their record when there is one.

    Cells that a spreadsheet would read as a formula are escaped (see `_cell`); importing
    the file gives back exactly what was exported.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(COLUMNS)
    for e in enrollments:
        record = attendance.get(e.id)
        writer.writerow(
            [
                _cell(value)
                for value in (
                    e.id,
                    e.user.email,
                    e.user.full_name_ka,
                    e.user.full_name_en,
                    record.status if record else '',
                    record.note if record else '',
                )
            ]
        )
    # A byte-order mark lets spreadsheet programs read the Georgian letters as UTF-8.
    return '\ufeff' + out.getvalue()


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


def _rows(text):
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
            if reading - 1 > MAX_ROWS:
                raise Invalid(_l('At most %(n)d rows at a time.', n=MAX_ROWS))
            rows.append((reading, [_uncell(cell) for cell in cells]))
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


def _missing_columns(header):
    missing = []
    if not {'enrollment_id', 'email'} & set(header):
        missing.append(_l('enrollment_id or email'))
    if 'status' not in header:
        missing.append('status')
    return missing


def _status_code(value):
    text = (value or '').strip()
    lowered = text.lower()
    if lowered in LABELS['attendance_status']:
        return lowered
    for code, word in LABELS['attendance_status'].items():
        if text and text.lower() == str(word).lower():
            return code
    return text


def parse_csv(text, enrollments):
    """Rows of the CSV as roster records, and errors for rows whose person is unknown.

    Comma-, semicolon- and tab-separated text is read (the header line decides which).
    Returns (records, line numbers, errors) where errors are {'index': line, 'errors'}.
    Line numbers count the header as line 1, as spreadsheets do. Raises Invalid, naming
    the `file` field, when there is nothing to read, when columns are missing, or when a
    line cannot be read.
    """
    text = text.lstrip('\ufeff')
    if not text.strip():
        message = _l('There is nothing to import: choose a CSV file or paste its lines.')
        raise Invalid(message, fields={'file': message})
    header, rows = _rows(text)
    missing = _missing_columns(header)
    if missing:
        message = _l(
            'The first line lacks the columns %(missing)s. It names the columns, as in the '
            'exported file: %(columns)s.',
            missing=', '.join(str(name) for name in missing),
            columns=', '.join(COLUMNS),
        )
        raise Invalid(message, fields={'file': message})
    by_id = {str(e.id): e.id for e in enrollments}
    by_email = {e.user.email.lower(): e.id for e in enrollments}
    records, lines, errors = [], [], []
    for line, cells in rows:
        row = dict(zip(header, cells, strict=False))
        if not any(cell.strip() for cell in cells):
            continue
        key_id = (row.get('enrollment_id') or '').strip()
        key_email = (row.get('email') or '').strip().lower()
        enrollment_id = by_id.get(key_id) if key_id else by_email.get(key_email)
        if enrollment_id is None:
            errors.append(
                {
                    'index': line,
                    'errors': {
                        'person': _l(
                            'Unknown person: not an accepted participant of this offering.'
                        )
                    },
                }
            )
            continue
        records.append(
            {
                'enrollment_id': enrollment_id,
                'status': _status_code(row.get('status')),
                'note': (row.get('note') or '').strip(),
            }
        )
        lines.append(line)
    return records, lines, errors


def import_csv(offering_session, text, enrollments, *, actor, dry_run, before_start=False):
    """Check a CSV and, unless `dry_run`, save every row or none.

    Raises Invalid with a `rows` report by line number (unknown person, unknown status,
    duplicate), and when saving for a session that has not started unless `before_start`
    (service.check_started). Returns (rows in the file, rows that would change or did
    change). Flushes, never commits.
    """
    if not dry_run:
        check_started(offering_session, before_start=before_start)
    records, lines, errors = parse_csv(text, enrollments)
    try:
        rows = check_roster(offering_session, records)
    except Invalid as exc:
        errors += [{'index': lines[row['index']], 'errors': row['errors']} for row in exc.rows]
    if errors:
        errors.sort(key=lambda row: row['index'])
        raise Invalid(
            _l('%(n)d lines have problems; nothing was saved.', n=len(errors)), rows=errors
        )
    if dry_run:
        existing = {
            a.enrollment_id: (a.status, a.note)
            for a in session_attendance(offering_session).values()
        }
        changes = sum(
            1 for r in rows if existing.get(r['enrollment_id']) != (r['status'], r['note'])
        )
        return len(rows), changes
    changes = save_roster(offering_session, rows, actor=actor, action='attendance.imported')
    return len(rows), changes
