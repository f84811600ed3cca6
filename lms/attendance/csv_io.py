"""A session's attendance as CSV: export for spreadsheets, import with a dry run.

Columns: enrollment_id, email, full_name_ka, full_name_en, status, note. On import a row
names its person by enrollment_id or, when that is empty, by e-mail; statuses are the
codes present, late, excused, absent (or their Georgian and English words).
"""

import csv
import io

from flask_babel import lazy_gettext as _l

from lms.attendance.service import (
    check_roster,
    check_started,
    save_roster,
    session_attendance,
)
from lms.csv_files import cell as _cell
from lms.csv_files import read_rows
from lms.csv_files import read_upload as read_upload
from lms.errors import Invalid
from lms.labels import LABELS

COLUMNS = ('enrollment_id', 'email', 'full_name_ka', 'full_name_en', 'status', 'note')
MAX_ROWS = 5000
#: The longest text an import takes: a full roster of MAX_ROWS lines fits many times over.
MAX_TEXT_LENGTH = 1_000_000


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
    header, rows = read_rows(text, MAX_ROWS)
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
