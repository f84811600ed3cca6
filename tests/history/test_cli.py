"""`flask history import FILE [--dry-run]`, as API.md fixes it: every bad line listed,
every line applied or none, the same file twice changes nothing."""

import re

import pytest
from sqlalchemy import func, select

from certificates import ArchiveCertificate
from lms.models import AuditEntry, Course, Enrollment, Offering, Organization, User
from tests.history.files import row, write

TABLES = (Course, Offering, User, Enrollment, ArchiveCertificate, Organization)


def run(runner, path, *options):
    return runner.invoke(args=['history', 'import', *options, path])


def counts(db):
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def last_line(result):
    return result.stdout.strip().splitlines()[-1]


def good_rows():
    return [
        row(full_name_ka='ნინო ბერიძე', email='Nino@Example.ge', outcome='completed',
            certificate_number='PA-2017-001', gender='female', sector='civil_servant',
            organization='ქუთაისი'),
        row(full_name_ka='გიორგი მაისურაძე', outcome='accepted', organization='მწვანე ალტერნატივა'),
        row(full_name_ka='თამარ კაპანაძე', outcome='rejected'),
        row(starts_on='2018-05-22', ends_on='2018-05-22', kind='seminar', course_code='PART-2',
            course_title_ka='მოქალაქეთა ჩართულობა', municipality='', full_name_ka='ნინო ბერიძე',
            email='nino@example.ge', outcome='withdrawn'),
    ]  # fmt: skip


@pytest.mark.parametrize('name', ['history.csv', 'history.xlsx'])
def test_an_import_applies_every_line_and_ends_with_the_counts(runner, db, tmp_path, name):
    path = write(tmp_path, good_rows(), name=name)

    result = run(runner, path)

    assert result.exit_code == 0, result.output
    assert last_line(result) == 'imported: 2 offerings, 3 people, 4 enrollments, 1 certificates'
    offerings = db.session.scalars(select(Offering).order_by(Offering.starts_on)).all()
    assert [(o.status, o.format, o.sessions) for o in offerings] == [
        ('completed', 'in_person', []),
        ('completed', 'online', []),
    ]
    assert offerings[0].municipality.name_ka == 'ქუთაისი'
    nino = db.session.scalar(select(User).where(User.email == 'nino@example.ge'))
    assert (nino.full_name_en, nino.password_hash, nino.role) == (
        'Nino Beridze',
        None,
        'participant',
    )
    statuses = db.session.execute(
        select(Enrollment.status, Enrollment.archive_outcome).order_by(Enrollment.id)
    ).all()
    assert sorted(statuses) == sorted(
        [('accepted', 'completed'), ('accepted', 'accepted'), ('rejected', 'rejected'),
         ('withdrawn', 'withdrawn')]
    )  # fmt: skip
    certificate = db.session.scalar(select(ArchiveCertificate))
    assert (certificate.number, certificate.issued_on.isoformat(), certificate.hours) == (
        'PA-2017-001',
        '2017-03-03',  # no certificate_issued_on: the event's last day
        24,
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == 'history.imported')
        )
        == 1
    )


@pytest.mark.parametrize('name', ['history.csv', 'history.xlsx'])
def test_the_same_file_again_changes_nothing(runner, db, tmp_path, name):
    path = write(tmp_path, good_rows(), name=name)
    assert run(runner, path).exit_code == 0
    before = counts(db)

    again = run(runner, path)

    assert again.exit_code == 0, again.output
    assert last_line(again) == 'imported: 0 offerings, 0 people, 0 enrollments, 0 certificates'
    assert counts(db) == before


@pytest.mark.parametrize('name', ['history.csv', 'history.xlsx'])
def test_a_dry_run_lists_every_bad_line_and_changes_nothing(runner, db, tmp_path, name):
    rows = [
        row(full_name_ka='ნინო ბერიძე'),  # line 2: right
        row(full_name_ka='გიორგი', starts_on='2017-02-30'),  # 3: no such date
        row(full_name_ka='თამარ', kind='lecture', municipality='მოსკოვი'),  # 4: two problems
        row(full_name_ka='ანა', outcome='accepted', certificate_number='X-1'),  # 5
        row(full_name_ka='ლევან', ends_on='2017-02-01'),  # 6: ends before it starts
        row(full_name_ka='დავით', email='not an address'),  # 7
        row(full_name_ka='ნ' * 201),  # 8: longer than the column
        row(full_name_ka='\u200f\u202e'),  # 9: invisible marks only: no name
        row(full_name_ka='ირაკლი', ends_on='2999-01-01'),  # 10: not over
        row(full_name_ka='ნინო ბერიძე', outcome='finished'),  # 11
    ]
    path = write(tmp_path, rows, name=name)
    before = counts(db)

    result = run(runner, path, '--dry-run')

    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert [line.split(':')[0] for line in lines] == [f'line {n}' for n in range(3, 12)]
    assert 'kind' in lines[1] and 'municipality' in lines[1]
    assert lines[2].startswith('line 5: certificate_number')
    assert lines[3].startswith('line 6: ends_on')
    assert counts(db) == before


def test_a_clean_dry_run_says_what_would_be_imported_and_changes_nothing(runner, db, tmp_path):
    path = write(tmp_path, good_rows())
    before = counts(db)

    result = run(runner, path, '--dry-run')

    assert result.exit_code == 0, result.output
    assert last_line(result) == 'imported: 2 offerings, 3 people, 4 enrollments, 1 certificates'
    assert counts(db) == before


def test_one_bad_line_late_in_the_file_applies_nothing(runner, db, tmp_path):
    rows = [row(full_name_ka=f'მონაწილე {i}', email=f'p{i}@example.ge') for i in range(30)]
    rows.append(row(full_name_ka='ბოლო', outcome='passed'))
    path = write(tmp_path, rows)
    before = counts(db)

    result = run(runner, path)

    assert result.exit_code == 1
    assert result.stdout.strip() == 'line 32: outcome: ' + result.stdout.split(': ', 2)[2].strip()
    assert counts(db) == before


def test_missing_required_columns_are_one_clear_error(runner, db, tmp_path):
    path = tmp_path / 'wrong.csv'
    path.write_text('starts_on,ends_on,name\n2017-01-01,2017-01-02,ნინო\n', encoding='utf-8')

    result = run(runner, str(path))

    assert result.exit_code == 1
    assert result.stdout == ''
    assert 'kind, course_code, course_title_ka, municipality, full_name_ka, outcome' in (
        result.stderr
    )


def test_control_characters_are_refused(runner, db, tmp_path):
    result = run(
        runner,
        write(tmp_path, [row(full_name_ka='ეკა\x07'), row(full_name_ka='ნინო', position='ა\x1b')]),
    )

    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert [line.split(':')[0] for line in lines] == ['line 2', 'line 3']
    assert lines[0].startswith('line 2: full_name_ka') and lines[1].startswith('line 3: position')


def test_a_csv_with_a_byte_order_mark_and_semicolons_reads_alike(runner, db, tmp_path):
    path = tmp_path / 'excel.csv'
    header = 'starts_on;ends_on;kind;course_code;course_title_ka;municipality;full_name_ka;outcome'
    line = (
        '01.03.2017;03.03.2017;Training;cb-1;ბიუჯეტი;ქუთაისის მუნიციპალიტეტი;ნინო ბერიძე;completed'
    )
    path.write_bytes(('\ufeff' + header + '\r\n' + line + '\r\n').encode('utf-8'))

    result = run(runner, str(path))

    assert result.exit_code == 0, result.output
    assert last_line(result) == 'imported: 1 offerings, 1 people, 1 enrollments, 0 certificates'
    offering = db.session.scalar(select(Offering))
    assert offering.municipality.name_ka == 'ქუთაისი'
    assert offering.starts_on.isoformat() == '2017-03-01'


def test_a_same_person_twice_in_one_event_and_a_number_twice_are_bad_lines(runner, db, tmp_path):
    rows = [
        row(
            full_name_ka='ნინო', email='n@example.ge', outcome='completed', certificate_number='A1'
        ),
        row(full_name_ka='ნინო ბ.', email='N@example.ge'),
        row(full_name_ka='გიორგი', outcome='completed', certificate_number='a1 '),
    ]
    result = run(runner, write(tmp_path, rows))

    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert [line.split(':')[0] for line in lines] == ['line 3', 'line 4']
    # each names the line it repeats (in the reasons' language: Georgian by default)
    assert all(re.search(r'\b2\b', line.split(':', 2)[2]) for line in lines)


def test_a_known_course_keeps_its_kind(runner, db, tmp_path, create_course):
    create_course(code='CB-101', kind='seminar')
    db.session.commit()

    result = run(runner, write(tmp_path, [row(full_name_ka='ნინო')]))

    assert result.exit_code == 1
    assert result.stdout.startswith('line 2: kind:')
