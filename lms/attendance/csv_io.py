"""A session's attendance as CSV: export for spreadsheets, import with a dry run.

Columns: enrollment_id, email, full_name_ka, full_name_en, status, note. On import a row
names its person by enrollment_id or, when that is empty, by e-mail; statuses are the
codes present, late, excused, absent (or their Georgian and English words).
"""

import csv
import io

from flask_babel import lazy_gettext as _l

from lms.attendance.service import (
    ROW_FIELDS,
    accepted_enrollment_ids,
    roster_row_check,
    session_attendance,
)
from lms.batch import check_rows, upsert_by_enrollment
from lms.errors import Invalid
from lms.labels import LABELS
from lms.models import Attendance

COLUMNS = ('enrollment_id', 'email', 'full_name_ka', 'full_name_en', 'status', 'note')
MAX_ROWS = 5000
#: The longest text an import takes: a full roster of MAX_ROWS lines fits many times over.
MAX_TEXT_LENGTH = 1_000_000


def export_csv(enrollments, attendance):
    """CSV text of the roster: every accepted person, with their record when there is one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(COLUMNS)
    for e in enrollments:
        record = attendance.get(e.id)
        writer.writerow(
            [
                e.id,
                e.user.email,
                e.user.full_name_ka,
                e.user.full_name_en,
                record.status if record else '',
                record.note if record else '',
            ]
        )
    # A byte-order mark lets spreadsheet programs read the Georgian letters as UTF-8.
    return '\ufeff' + out.getvalue()


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

    Returns (records, line numbers, errors) where errors are {'index': line, 'errors'}.
    Line numbers count the header as line 1, as spreadsheets do.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip('\ufeff')))
    missing = {'status'} - set(reader.fieldnames or ())
    if missing or not ({'enrollment_id', 'email'} & set(reader.fieldnames or ())):
        raise Invalid(
            _l('The first line must name the columns: %(columns)s.', columns=', '.join(COLUMNS)),
            fields={'file': _l('Columns missing.')},
        )
    by_id = {str(e.id): e.id for e in enrollments}
    by_email = {e.user.email.lower(): e.id for e in enrollments}
    records, lines, errors = [], [], []
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise Invalid(_l('At most %(n)d rows at a time.', n=MAX_ROWS))
        if not any((value or '').strip() for value in row.values() if isinstance(value, str)):
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


def import_csv(offering_session, text, enrollments, *, actor, dry_run):
    """Check a CSV and, unless `dry_run`, save every row or none.

    Raises Invalid with a `rows` report by line number (unknown person, unknown status,
    duplicate). Returns (rows in the file, rows that would change or did change).
    Flushes, never commits.
    """
    records, lines, errors = parse_csv(text, enrollments)
    accepted = accepted_enrollment_ids(offering_session.offering)
    try:
        rows = check_rows(records, ROW_FIELDS, roster_row_check(accepted))
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
    changes = (
        upsert_by_enrollment(
            Attendance,
            (Attendance.session_id, offering_session.id),
            rows,
            ('status', 'note'),
            actor=actor,
            action='attendance.imported',
        )
        if rows
        else 0
    )
    return len(rows), changes
