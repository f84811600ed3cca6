import codecs
import csv
import io
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from lms.attendance.csv_io import COLUMNS, import_csv, read_upload
from lms.attendance.service import record_attendance
from lms.errors import Invalid
from lms.models import Attendance


@pytest.fixture
def room(create_user, create_offering, create_enrollment):
    trainer = create_user(role='trainer')
    offering = create_offering(trainers=[trainer])
    enrollments = [
        create_enrollment(offering=offering, user=create_user(full_name_ka=name))
        for name in ('ლევან მაისურაძე', 'მარიამ გელაშვილი')
    ]
    return trainer, offering.sessions[0], enrollments


def test_the_export_lists_the_roster_with_georgian_names(client, login, room):
    trainer, session, (a, b) = room
    login(trainer)
    response = client.get(f'/teach/sessions/{session.id}/attendance.csv')
    assert response.mimetype == 'text/csv'
    rows = list(csv.DictReader(io.StringIO(response.data.decode('utf-8-sig'))))
    assert [r['full_name_ka'] for r in rows] == ['ლევან მაისურაძე', 'მარიამ გელაშვილი']
    assert rows[0]['enrollment_id'] == str(a.id)


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(['enrollment_id', 'email', 'status', 'note'])
    writer.writerows(rows)
    return out.getvalue()


def test_a_dry_run_reports_each_bad_line_and_saves_nothing(client, login, db, room):
    trainer, session, (a, b) = room
    login(trainer)
    text = _csv(
        [
            [a.id, '', 'present', ''],
            ['', 'nobody@example.test', 'present', ''],
            [b.id, '', 'sleeping', ''],
            [a.id, '', 'late', ''],
        ]
    )
    response = client.post(
        f'/teach/sessions/{session.id}/import', data={'csv_text': text, 'check': '1'}
    )
    assert response.status_code == 422
    assert [line for line in (3, 4, 5) if f'<td>{line}</td>' in response.text] == [3, 4, 5]
    assert db.session.scalar(select(Attendance.id)) is None


def test_an_import_applies_every_line_after_a_clean_check(client, login, db, room):
    trainer, session, (a, b) = room
    login(trainer)
    text = _csv([[a.id, '', 'present', ''], ['', b.user.email.upper(), 'Late', 'bus']])
    check = client.post(
        f'/teach/sessions/{session.id}/import', data={'csv_text': text, 'check': '1'}
    )
    assert check.status_code == 200
    assert db.session.scalar(select(Attendance.id)) is None
    applied = client.post(
        f'/teach/sessions/{session.id}/import', data={'csv_text': text, 'apply': '1'}
    )
    assert applied.status_code == 302
    saved = {r.enrollment_id: (r.status, r.note) for r in db.session.scalars(select(Attendance))}
    assert saved == {a.id: ('present', ''), b.id: ('late', 'bus')}


def test_an_import_with_one_bad_line_applies_nothing(client, login, db, room):
    trainer, session, (a, b) = room
    login(trainer)
    text = _csv([[a.id, '', 'present', ''], [b.id, '', '?', '']])
    response = client.post(
        f'/teach/sessions/{session.id}/import', data={'csv_text': text, 'apply': '1'}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Attendance.id)) is None


def test_a_file_without_the_header_is_explained(client, login, db, room):
    trainer, session, _ = room
    login(trainer)
    response = client.post(
        f'/teach/sessions/{session.id}/import', data={'csv_text': '1,present\n', 'check': '1'}
    )
    assert response.status_code == 422
    assert 'enrollment_id, email' in response.text


# -- what Excel writes, and what it should not have written -------------------------------


@pytest.fixture
def english(client):
    with client.session_transaction() as session:
        session['locale'] = 'en'


def _text(response):
    """The page's words without tags and with white space collapsed."""
    return ' '.join(re.sub(r'<[^>]+>', ' ', response.text).split())


def _upload(client, session, data, *, apply=True, name='roster.csv'):
    return client.post(
        f'/teach/sessions/{session.id}/import',
        data={'csv_file': (io.BytesIO(data), name), 'apply' if apply else 'check': '1'},
    )


def _saved(db):
    db.session.expire_all()
    return {r.enrollment_id: (r.status, r.note) for r in db.session.scalars(select(Attendance))}


def _sheet(rows, delimiter=','):
    header = ['enrollment_id', 'email', 'status', 'note']
    return '\r\n'.join(delimiter.join(map(str, row)) for row in [header, *rows]) + '\r\n'


EXCEL_FILES = {
    'CSV UTF-8, comma': lambda text: codecs.BOM_UTF8 + text.encode('utf-8'),
    'CSV UTF-8, semicolon (Georgian locale)': lambda text: (
        codecs.BOM_UTF8 + text.replace(',', ';').encode('utf-8')
    ),
    'UTF-8 without BOM': lambda text: text.encode('utf-8'),
    'CSV for Macintosh (CR line ends)': lambda text: text.replace('\r\n', '\r').encode('utf-8'),
    'Unicode text (UTF-16, tabs)': lambda text: text.replace(',', '\t').encode('utf-16'),
    'UTF-16 big-endian, tabs': lambda text: (
        codecs.BOM_UTF16_BE + text.replace(',', '\t').encode('utf-16-be')
    ),
}


@pytest.mark.parametrize('kind', EXCEL_FILES)
def test_an_import_reads_what_excel_saves(client, login, db, room, kind):
    trainer, session, (a, b) = room
    login(trainer)
    text = _sheet([[a.id, '', 'present', 'დაიგვიანა 5 წუთით'], ['', b.user.email, 'late', '']])

    response = _upload(client, session, EXCEL_FILES[kind](text))

    assert response.status_code == 302, _text(response)
    assert _saved(db) == {a.id: ('present', 'დაიგვიანა 5 წუთით'), b.id: ('late', '')}


@pytest.mark.parametrize('kind', EXCEL_FILES)
def test_the_service_reads_what_excel_saves(db, room, kind):
    trainer, session, (a, b) = room
    data = EXCEL_FILES[kind](_sheet([[a.id, '', 'present', 'ნოტა'], [b.id, '', 'absent', '']]))

    import_csv(session, read_upload(data), [a, b], actor=trainer, dry_run=False)

    assert _saved(db) == {a.id: ('present', 'ნოტა'), b.id: ('absent', '')}


@pytest.mark.parametrize('delimiter', [',', ';', '\t'])
def test_the_header_line_decides_the_separator(db, room, delimiter):
    trainer, session, (a, b) = room
    text = _sheet([[a.id, '', 'absent', '"ავად, სახლშია; ხვალ მოვა"']], delimiter)

    import_csv(session, text, [a, b], actor=trainer, dry_run=False)

    assert _saved(db) == {a.id: ('absent', 'ავად, სახლშია; ხვალ მოვა')}


def test_pasted_semicolon_lines_are_read_too(client, login, db, room):
    trainer, session, (a, b) = room
    login(trainer)
    text = _sheet([[a.id, '', 'excused', '']], delimiter=';')

    response = client.post(
        f'/teach/sessions/{session.id}/import', data={'csv_text': text, 'apply': '1'}
    )

    assert response.status_code == 302
    assert _saved(db) == {a.id: ('excused', '')}


BAD_FILES = [
    ('empty', b'', 'The file is empty.'),
    ('a byte-order mark only', codecs.BOM_UTF8, 'There is nothing to import'),
    ('blank lines', b'\r\n\r\n', 'There is nothing to import'),
    ('NUL bytes', b'enrollment_id,status\r\n1,present\x00\r\n', 'This is not a CSV file'),
    ('a PNG image', b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(range(256)), 'not a CSV'),
    ('UTF-16 without a BOM', 'enrollment_id\tstatus'.encode('utf-16-le'), 'not a CSV'),
    ('Windows-1252', 'enrollment_id,status,note\r\n1,present,café\r\n'.encode('cp1252'), 'UTF-8'),
    ('Windows-1251', 'enrollment_id,status\r\n1,присутствовал\r\n'.encode('cp1251'), 'UTF-8'),
]


@pytest.mark.parametrize(
    ('data', 'says'), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_a_file_that_is_not_csv_text_is_explained_and_saves_nothing(
    client, login, db, english, room, data, says
):
    trainer, session, _ = room
    login(trainer)

    response = _upload(client, session, data)

    assert response.status_code == 422
    assert says in _text(response)
    assert _saved(db) == {}


@pytest.mark.parametrize('data', [b[1] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_the_service_refuses_a_file_that_is_not_csv_text_naming_the_file(db, room, data):
    trainer, session, (a, b) = room

    with pytest.raises(Invalid) as caught:
        import_csv(session, read_upload(data), [a, b], actor=trainer, dry_run=False)

    assert set(caught.value.fields) == {'file'}
    assert _saved(db) == {}


def test_a_file_not_in_utf_8_says_how_to_save_it_from_excel(client, login, english, room):
    trainer, session, _ = room
    login(trainer)

    response = _upload(client, session, 'enrollment_id,status\r\n1,présent\r\n'.encode('cp1252'))

    assert 'The file is not in UTF-8.' in _text(response)
    assert '“CSV UTF-8 (Comma delimited)”' in _text(response)


def test_an_empty_form_says_there_is_nothing_to_import(client, login, english, room):
    trainer, session, _ = room
    login(trainer)

    response = client.post(f'/teach/sessions/{session.id}/import', data={'check': '1'})

    assert response.status_code == 422
    assert 'There is nothing to import: choose a CSV file or paste its lines.' in _text(response)


@pytest.mark.parametrize(
    ('header', 'missing'),
    [
        ('enrollment_id,note', 'status'),
        ('email;note', 'status'),
        ('full_name_ka,status', 'enrollment_id or email'),
        ('name,result', 'enrollment_id or email, status'),
    ],
)
def test_missing_columns_are_named(client, login, db, english, room, header, missing):
    trainer, session, (a, _) = room
    login(trainer)

    response = client.post(
        f'/teach/sessions/{session.id}/import',
        data={'csv_text': f'{header}\r\n{a.id},present\r\n', 'apply': '1'},
    )

    assert response.status_code == 422
    assert f'The first line lacks the columns {missing}.' in _text(response)
    assert _saved(db) == {}


@pytest.mark.parametrize('source', ['file', 'text area'])
def test_a_value_longer_than_csv_allows_names_its_line(client, login, db, english, room, source):
    trainer, session, (a, b) = room
    login(trainer)
    text = _sheet([[a.id, '', 'present', ''], [b.id, '', 'present', 'x' * 200_000]])

    if source == 'file':
        response = _upload(client, session, text.encode('utf-8'))
    else:
        response = client.post(
            f'/teach/sessions/{session.id}/import', data={'csv_text': text, 'apply': '1'}
        )

    assert response.status_code == 422
    assert 'Line 3 cannot be read: a value is longer than 131072 characters' in _text(response)
    assert _saved(db) == {}


def test_a_quotation_mark_never_closed_names_its_line(db, room):
    trainer, session, (a, b) = room
    text = _sheet([[a.id, '', 'present', '"ok"'], [b.id, '', 'late', '"the bus']])
    text += 'x' * 140_000  # the rest of the file is read into the open quotation

    with pytest.raises(Invalid) as caught:
        import_csv(session, text, [a, b], actor=trainer, dry_run=False)

    with force_locale('en'):
        assert 'Line 3 cannot be read' in str(caught.value.fields['file'])
    assert _saved(db) == {}


def test_errors_of_the_file_are_georgian_on_georgian_pages(client, login, room):
    trainer, session, _ = room
    login(trainer)

    empty = _upload(client, session, b'')
    binary = _upload(client, session, b'\x00\x01\x02')
    latin = _upload(client, session, 'status\r\ncafé\r\n'.encode('cp1252'))
    columns = client.post(
        f'/teach/sessions/{session.id}/import', data={'csv_text': 'a,b\r\n', 'check': '1'}
    )

    for response in (empty, binary, latin, columns):
        assert response.status_code == 422
        alert = re.search(r'<div class="alert alert-danger"[^>]*>(.*?)</div>', response.text, re.S)
        assert alert, response.text
        words = set(re.findall(r'[A-Za-z_]{3,}', re.sub(r'<[^>]+>', ' ', alert.group(1))))
        assert words <= {'Excel', 'CSV', 'UTF', *COLUMNS}, words


# -- formulas in exported cells ------------------------------------------------------------


def test_cells_a_spreadsheet_would_run_as_formulas_are_exported_as_text(client, login, db, room):
    trainer, session, (a, b) = room
    a.user.full_name_en = '=HYPERLINK("http://example.test","click")'
    record_attendance(
        session,
        [
            {'enrollment_id': a.id, 'status': 'present', 'note': '+995 555 00 00 00'},
            {'enrollment_id': b.id, 'status': 'late', 'note': '@SUM(1+1)'},
        ],
        actor=trainer,
    )
    login(trainer)

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f'/teach/sessions/{session.id}/attendance.csv').data.decode('utf-8-sig')
            )
        )
    )

    assert rows[0]['full_name_en'] == '\'=HYPERLINK("http://example.test","click")'
    assert rows[0]['note'] == "'+995 555 00 00 00"
    assert rows[1]['note'] == "'@SUM(1+1)"
    assert rows[1]['full_name_ka'] == 'მარიამ გელაშვილი'  # nothing else changes


NOTES = ['-15 წუთი', '=1+1', '+1', '@me', "'quoted'", "''=x", 'plain', '']


@pytest.mark.parametrize('note', NOTES)
def test_an_exported_file_imports_back_unchanged(client, login, db, english, room, note):
    trainer, session, (a, b) = room
    record_attendance(
        session,
        [
            {'enrollment_id': a.id, 'status': 'late', 'note': note},
            {'enrollment_id': b.id, 'status': 'present'},
        ],
        actor=trainer,
    )
    login(trainer)
    before = _saved(db)
    exported = client.get(f'/teach/sessions/{session.id}/attendance.csv').data

    check = _upload(client, session, exported, apply=False)
    applied = _upload(client, session, exported)

    assert 'All 2 lines are right; 0 would change.' in _text(check)
    assert applied.status_code == 302
    assert _saved(db) == before
    assert before[a.id] == ('late', note)
