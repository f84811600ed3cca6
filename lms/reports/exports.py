"""The reports as spreadsheets, in the reader's language.

An offering's report is one table (a few heading lines, then one row per participant),
written as XLSX and as CSV from the same cells, so the two cannot disagree. The year's
report is an XLSX of the year's offerings, one row each, and a line of totals.
"""

import io
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.completion.words import describe_all
from lms.formatting import format_datetime, format_number, format_range
from lms.i18n import academy_name, localized
from lms.labels import label
from lms.models import ATTENDANCE_STATUSES
from lms.spreadsheets import csv_file, sheet_name, workbook


def _organization(value):
    if value is None or isinstance(value, str):
        return value or ''
    return localized(value, 'name')


def offering_table(report, lang):
    """(heading, head, rows) of an offering's report: the heading lines as (label, value),
    the column names, and a row of cells (text, numbers or None) per participant."""
    offering, course = report.offering, report.offering.course
    heading = [
        (academy_name(), ''),
        (_('Course'), f'{course.code} · {localized(course, "title")}'),
        (_('Kind'), str(label(course.kind, 'course_kind'))),
        (_('Dates'), format_range(offering.starts_on, offering.ends_on)),
        (_('Place'), offering.place(lang)),
        (_('Trainers'), ', '.join(localized(t, 'full_name') for t in offering.trainers)),
        (
            _('Sessions'),
            _(
                '%(n)s sessions, %(hours)s hours',
                n=format_number(len(report.sessions)),
                hours=format_number(report.total_hours),
            ),
        ),
        (_('Minimum attendance'), f'{course.min_attendance_pct}%'),
        (_('Participants'), format_number(len(report.rows))),
        (_('As of'), format_datetime(report.now)),
    ]
    head = [
        '№',
        _('Full name in Georgian'),
        _('Full name in Latin letters'),
        _('Organisation'),
        *(format_datetime(s.starts_at) for s in report.sessions),
        *(a.title for a in report.assessments),
        _('Final attendance, %'),
        _('Eligible'),
        _('Reasons'),
        _('Certificate serial'),
    ]
    # Each word once, not once per cell: a large offering has thousands of marks.
    marks = {code: str(label(code, 'attendance_status')) for code in ATTENDANCE_STATUSES}
    rows = [
        [
            number,
            row.name_ka,
            row.name_en,
            _organization(row.organization),
            *(marks.get(mark, '') for mark in row.marks),
            *(outcome.score for outcome in row.completion.assessments),
            Decimal(str(row.completion.attendance_pct)),
            _('Yes') if row.completion.eligibility.eligible else _('No'),
            '; '.join(describe_all(row.completion.eligibility)),
            row.serial or '',
        ]
        for number, row in enumerate(report.rows, 1)
    ]
    return heading, head, rows


def _plain(value):
    """A number as a CSV cell: a point for decimals, no trailing zeros."""
    return format(value.normalize(), 'f') if isinstance(value, Decimal) else value


def offering_csv(report, lang):
    heading, head, rows = offering_table(report, lang)
    lines = [[name, value] if value else [name] for name, value in heading]
    return csv_file([*lines, [], head, *([_plain(v) for v in row] for row in rows)])


def offering_xlsx(report, lang):
    """Two sheets: the report (heading, then the table, its names and heading frozen), and
    the sessions with their topics and hours."""
    heading, head, rows = offering_table(report, lang)
    out = io.BytesIO()
    book = workbook(out, _l('Offering report'))
    bold = book.add_format({'bold': True})
    title = book.add_format({'bold': True, 'font_size': 13})
    wrapped_head = book.add_format({'bold': True, 'text_wrap': True, 'valign': 'top'})
    percent = book.add_format({'num_format': '0.0'})
    wrapped = book.add_format({'text_wrap': True, 'valign': 'top'})

    sheet = book.add_worksheet(sheet_name(_l('Report')))
    for i, (name, value) in enumerate(heading):
        sheet.write_string(i, 0, name, title if i == 0 else bold)
        if value:
            sheet.write_string(i, 1, value)
    top = len(heading) + 1
    sheet.write_row(top, 0, head, wrapped_head)
    first_session = 4
    first_score = first_session + len(report.sessions)
    pct_column = first_score + len(report.assessments)
    for r, row in enumerate(rows, top + 1):
        for c, value in enumerate(row):
            if value is None or value == '':
                continue
            if c == pct_column:
                sheet.write_number(r, c, float(value), percent)
            elif isinstance(value, int | Decimal):
                sheet.write_number(r, c, float(value))
            else:
                sheet.write_string(r, c, value, wrapped if c == pct_column + 2 else None)
    sheet.freeze_panes(top + 1, 2)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 3, 28)
    if report.sessions:
        sheet.set_column(first_session, first_score - 1, 16)
    if report.assessments:
        sheet.set_column(first_score, pct_column - 1, 12)
    sheet.set_column(pct_column, pct_column + 1, 12)
    sheet.set_column(pct_column + 2, pct_column + 2, 48)
    sheet.set_column(pct_column + 3, pct_column + 3, 18)

    sessions = book.add_worksheet(sheet_name(_l('Sessions')))
    sessions.write_row(0, 0, ['№', _('Starts'), _('Topic'), _('Hours')], bold)
    for i, s in enumerate(report.sessions, 1):
        sessions.write_number(i, 0, i)
        sessions.write_string(i, 1, format_datetime(s.starts_at))
        sessions.write_string(i, 2, s.topic or '')
        sessions.write_number(i, 3, float(s.hours))
    sessions.set_column(1, 2, 36)
    book.close()
    return out.getvalue()


def year_head():
    return [
        _('Course code'),
        _('Course'),
        _('Kind'),
        _('Starts'),
        _('Ends'),
        _('Host municipality'),
        _('Status'),
        _('Capacity'),
        _('Applications'),
        _('Accepted'),
        _('Attended at least one session'),
        _('Sessions'),
        _('Hours'),
        _('Average final attendance, %'),
        _('Eligible for a certificate'),
        _('Certificates issued'),
    ]


#: The columns of the year's sheet that add up to a total, by their place: the figures
#: but the average attendance.
_SUMMED = (8, 9, 10, 11, 12, 14, 15)


def year_cells(row):
    o = row.offering
    return [
        o.course.code,
        localized(o.course, 'title'),
        str(label(o.course.kind, 'course_kind')),
        o.starts_on,
        o.ends_on,
        localized(o.municipality, 'name'),
        str(label(o.status, 'offering_status')),
        o.capacity,
        row.applications,
        row.accepted,
        row.attended,
        row.sessions,
        row.hours,
        row.average_attendance,
        row.eligible,
        row.certificates,
    ]


def year_xlsx(rows, year):
    """The year's offerings, one row each (dates as dates, figures as numbers), then the
    totals of the columns that add up (the average is not one of them)."""
    out = io.BytesIO()
    name = _('Offerings of %(year)s', year=year)
    book = workbook(out, name)
    title = book.add_format({'bold': True, 'font_size': 13})
    wrapped_head = book.add_format({'bold': True, 'text_wrap': True, 'valign': 'top'})
    day = book.add_format({'num_format': 'yyyy-mm-dd'})
    percent = book.add_format({'num_format': '0.0'})
    bold = book.add_format({'bold': True})

    sheet = book.add_worksheet(sheet_name(str(year)))
    sheet.write_string(0, 0, f'{academy_name()} · {name}', title)
    sheet.write_row(2, 0, year_head(), wrapped_head)
    totals = dict.fromkeys(_SUMMED, Decimal(0))
    for r, row in enumerate(rows, 3):
        for c, value in enumerate(year_cells(row)):
            if value is None or value == '':
                continue
            if c in (3, 4):
                sheet.write_datetime(r, c, value, day)
            elif c == 13:
                sheet.write_number(r, c, float(value), percent)
            elif isinstance(value, int | Decimal):
                sheet.write_number(r, c, float(value))
            else:
                sheet.write_string(r, c, value)
            if c in totals:
                totals[c] += value
    last = 3 + len(rows)
    sheet.write_string(last, 0, _('Total'), bold)
    for c, total in totals.items():
        sheet.write_number(last, c, float(total), bold)
    sheet.freeze_panes(3, 2)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 4, 11)
    sheet.set_column(5, 6, 18)
    sheet.set_column(7, 15, 12)
    book.close()
    return out.getvalue()
