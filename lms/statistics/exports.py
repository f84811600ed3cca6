"""The figures as tables: what the page shows under each chart, and the CSV and XLSX
downloads. One list of sections feeds all three, so they cannot disagree."""

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.labels import label
from lms.spreadsheets import csv_file, sheet_name, workbook


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    rows: list  # (code, label, value)
    horizontal: bool = True  # how its chart lays the bars

    @property
    def values(self):
        return [value for _, _, value in self.rows]

    @property
    def labels(self):
        return [str(word) for _, word, _ in self.rows]


def headline(f):
    return [
        ('applications', _l('applications'), f.applications),
        ('participants', _l('participants'), f.participants),
        ('municipalities', _l('municipalities reached'), f.municipalities),
        ('certificates_issued', _l('certificates issued'), f.certificates_issued),
        ('consultations', _l('expert consultations'), f.consultations),
        ('organizations_consulted', _l('organisations consulted'), f.organizations_consulted),
    ]


def _unknown(code, group):
    return _l('Not known') if code == 'unknown' else label(code, group)


def sections(f):
    """The figures of `f` as titled tables, in the order the page shows them."""
    return [
        Section(
            'applications_by_kind',
            _l('Applications by kind of event'),
            [(k, label(k, 'course_kind'), n) for k, n in f.applications_by_kind.items()],
        ),
        Section(
            'participants_by_year',
            _l('Participants per year'),
            [(str(y), str(y), n) for y, n in f.participants_by_year.items()],
            horizontal=False,
        ),
        Section(
            'participants_by_sector',
            _l('Participants by sector'),
            [(k, label(k, 'sector'), n) for k, n in f.participants_by_sector.items()],
        ),
        Section(
            'participants_by_gender',
            _l('Participants by gender'),
            [(k, _unknown(k, 'gender'), n) for k, n in f.participants_by_gender.items()],
        ),
        Section(
            'participants_by_region',
            _l('Participants by region'),
            [(k, _unknown(k, 'region'), n) for k, n in f.participants_by_region.items()],
        ),
        Section(
            'certificates_by_year',
            _l('Certificates issued per year'),
            [(str(y), str(y), n) for y, n in f.certificates_by_year.items()],
            horizontal=False,
        ),
    ]


def section(f, key):
    return next((s for s in sections(f) if s.key == key), None)


def municipality_rows(f, lang):
    """The municipalities reached: (region, municipality, participants, events hosted)."""
    return [
        (
            str(label(code, 'region')) if code else str(_l('Not known')),
            m.name_en if lang == 'en' and m.name_en else m.name_ka,
            m.participants,
            m.hosted,
        )
        for code, group in f.by_region()
        for m in group
    ]


def _table(f, lang):
    """Every figure as rows (section, code, label, value), then the municipalities."""
    head = [str(_l('Section')), str(_l('Code')), str(_l('Item')), str(_l('Count'))]
    rows = [('headline', code, str(word), n) for code, word, n in headline(f)]
    for s in sections(f):
        rows += [(s.key, code, str(word), n) for code, word, n in s.rows]
    return head, rows


def _municipality_head():
    return [
        str(_l('Region')),
        str(_l('Municipality')),
        str(_l('Participants')),
        str(_l('Events hosted')),
    ]


def csv_bytes(f, lang):
    """UTF-8 with a byte-order mark, so that Excel shows Georgian as Georgian."""
    head, rows = _table(f, lang)
    return csv_file(
        [
            [str(_l('The academy in numbers')), f'{f.first}–{f.last}'],
            head,
            *rows,
            [],
            _municipality_head(),
            *municipality_rows(f, lang),
        ]
    )


def xlsx_bytes(f, lang):
    """Two sheets: every figure, and the municipalities reached by region."""
    out = io.BytesIO()
    book = workbook(out, _l('The academy in numbers'))
    bold = book.add_format({'bold': True})
    sheet = book.add_worksheet(sheet_name(_l('Figures')))
    sheet.write_row(0, 0, [str(_l('The academy in numbers')), f'{f.first}–{f.last}'], bold)
    head, rows = _table(f, lang)
    sheet.write_row(1, 0, head, bold)
    for i, row in enumerate(rows, start=2):
        sheet.write_row(i, 0, row)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 2, 40)
    places = book.add_worksheet(sheet_name(_l('Municipalities')))
    places.write_row(0, 0, _municipality_head(), bold)
    for i, row in enumerate(municipality_rows(f, lang), start=1):
        places.write_row(i, 0, row)
    places.set_column(0, 1, 32)
    places.set_column(2, 3, 14)
    book.close()
    return out.getvalue()
