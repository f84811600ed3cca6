"""Reports: an offering's XLSX and CSV for its trainers and the admins, and the year's XLSX.

The spreadsheets are read back with openpyxl and the csv module (not with the library
that wrote them), and every expected value below is worked out by hand.
"""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import event

from lms.assessment.service import record_results
from lms.attendance.service import record_attendance
from lms.awarding.service import issue_for_offering
from lms.completion.service import offering_completion
from lms.extensions import db as _db
from lms.models import Assessment, Attendance
from lms.reports.queries import offering_report, year_report

TITLE = 'საბოლოო პროექტი'


def _small_offering(create_user, create_course, create_offering, create_enrollment, trainer):
    """Four sessions of 4 hours (2–5 March 2026, 10:00 Tbilisi), a required assessment
    (pass 6 of 10), four accepted people and one who only applied.

        ანა    present present late    absent   score 9  -> 75%: attendance 75% < 80%
        ბექა   present present present present  score 5  -> 100%: assessment not passed
        გიორგი present late    present present  score 8  -> 100%: eligible, certificate
        დავით  excused absent  —       —        no score -> 0%: attendance, no score yet
    """
    admin = create_user(role='admin')
    course = create_course(
        code='PB-1',
        title_ka='მონაწილეობითი ბიუჯეტი',
        title_en='Participatory budgeting',
        min_attendance_pct=80,
    )
    offering = create_offering(
        course=course,
        trainers=[trainer],
        sessions=4,
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 5),
        location='ქუთაისი, საკრებულოს დარბაზი',
    )
    names = [
        ('ანა ბერიძე', 'Ana Beridze'),
        ('ბექა გელაშვილი', 'Beka Gelashvili'),
        ('გიორგი დადიანი', 'Giorgi Dadiani'),
        ('დავით ელიავა', 'Davit Eliava'),
    ]
    # Enrolled out of alphabetical order: the report orders by the Georgian name.
    people = {}
    for ka, en in reversed(names):
        people[ka] = create_enrollment(
            offering=offering, user=create_user(full_name_ka=ka, full_name_en=en)
        )
    create_enrollment(offering=offering, user=create_user(full_name_ka='ზურა'), status='applied')
    marks = {
        'ანა ბერიძე': ['present', 'present', 'late', 'absent'],
        'ბექა გელაშვილი': ['present', 'present', 'present', 'present'],
        'გიორგი დადიანი': ['present', 'late', 'present', 'present'],
        'დავით ელიავა': ['excused', 'absent', None, None],
    }
    for i, offering_session in enumerate(offering.sessions):
        record_attendance(
            offering_session,
            [
                {'enrollment_id': people[name].id, 'status': row[i]}
                for name, row in marks.items()
                if row[i]
            ],
            actor=trainer,
        )
    assessment = Assessment(
        offering=offering, title=TITLE, max_score=Decimal(10), pass_score=Decimal(6)
    )
    _db.session.add(assessment)
    _db.session.flush()
    scores = {'ანა ბერიძე': 9, 'ბექა გელაშვილი': 5, 'გიორგი დადიანი': 8}
    record_results(
        assessment,
        [{'enrollment_id': people[n].id, 'score': Decimal(s)} for n, s in scores.items()],
        actor=trainer,
    )
    (certificate,), _ = issue_for_offering(offering, actor=admin)
    return offering, certificate.formatted_serial


@pytest.fixture
def small(create_user, create_course, create_offering, create_enrollment):
    trainer = create_user(role='trainer')
    offering, serial = _small_offering(
        create_user, create_course, create_offering, create_enrollment, trainer
    )
    return offering, serial, trainer


def _table(rows):
    """The rows from the table's head on (the line starting with №), trailing blanks cut."""
    rows = [list(row) for row in rows]
    start = next(i for i, row in enumerate(rows) if row and row[0] == '№')
    out = []
    for row in rows[start:]:
        while row and row[-1] in (None, ''):
            row.pop()
        out.append(row)
    return rows[:start], out


def test_the_offering_xlsx_holds_the_marks_scores_and_completion_in_georgian(client, login, small):
    offering, serial, trainer = small
    login(trainer)
    response = client.get(f'/teach/offerings/{offering.id}/report.xlsx')
    assert response.status_code == 200
    assert response.content_type.startswith('application/vnd.openxmlformats')
    assert 'attachment' in response.headers['Content-Disposition']
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book.worksheets[0]
    heading, table = _table(sheet.iter_rows(values_only=True))
    facts = {row[0]: row[1] for row in heading if row and row[0]}
    assert facts['კურსი'] == 'PB-1 · მონაწილეობითი ბიუჯეტი'
    assert facts['თარიღები'] == '2026 წლის 2–5 მარტი'
    assert facts['ჩატარების ადგილი'] == 'ქუთაისი, საკრებულოს დარბაზი'
    assert facts['ტრენერები'] == trainer.full_name_ka
    assert facts['მინიმალური დასწრება'] == '80%'

    head, *rows = table
    assert head[:5] == [
        '№',
        'სახელი და გვარი ქართულად',
        'სახელი და გვარი ლათინური ასოებით',
        'ორგანიზაცია',
        '2026 წლის 2 მარტი, 10:00',
    ]
    assert head[8] == TITLE
    assert len(rows) == 4  # accepted people only: ზურა only applied
    failing = f'შეფასება „{TITLE}“ ჩაბარებული არ არის'
    assert rows[0] == [
        1, 'ანა ბერიძე', 'Ana Beridze', None,
        'დაესწრო', 'დაესწრო', 'დააგვიანა', 'არ დაესწრო',
        9, 75, 'არა', 'დასწრება 75% < 80%',
    ]  # fmt: skip
    assert rows[1] == [
        2, 'ბექა გელაშვილი', 'Beka Gelashvili', None,
        'დაესწრო', 'დაესწრო', 'დაესწრო', 'დაესწრო',
        5, 100, 'არა', failing,
    ]  # fmt: skip
    assert rows[2] == [
        3, 'გიორგი დადიანი', 'Giorgi Dadiani', None,
        'დაესწრო', 'დააგვიანა', 'დაესწრო', 'დაესწრო',
        8, 100, 'დიახ', None, serial,
    ]  # fmt: skip
    assert rows[3] == [
        4, 'დავით ელიავა', 'Davit Eliava', None,
        'საპატიო', 'არ დაესწრო', None, None,
        None, 0, 'არა', f'დასწრება 0% < 80%; {failing} (ქულა ჯერ არ არის მინიჭებული)',
    ]  # fmt: skip
    sessions = list(book.worksheets[1].iter_rows(values_only=True))
    assert sessions[1] == (1, '2026 წლის 2 მარტი, 10:00', 'თემა 1', 4)


def test_the_offering_csv_says_the_same_in_english_with_a_byte_order_mark(client, login, small):
    offering, serial, trainer = small
    login(trainer)
    with client.session_transaction() as sess:
        sess['locale'] = 'en'
    response = client.get(f'/teach/offerings/{offering.id}/report.csv')
    assert response.status_code == 200
    assert response.content_type == 'text/csv; charset=utf-8'
    body = response.get_data()
    assert body.startswith(b'\xef\xbb\xbf')
    heading, table = _table(csv.reader(io.StringIO(body.decode('utf-8-sig'))))
    assert ['Course', 'PB-1 · Participatory budgeting'] in heading
    assert ['Dates', '2–5 March 2026'] in heading
    head, *rows = table
    assert head[4] == '2 March 2026, 10:00'
    assert head[-4:] == ['Final attendance, %', 'Eligible', 'Reasons', 'Certificate serial']
    assert rows[0] == [
        '1', 'ანა ბერიძე', 'Ana Beridze', '',
        'Present', 'Present', 'Late', 'Absent', '9', '75', 'No', 'attendance 75% < 80%',
    ]  # fmt: skip
    assert rows[2][-4:] == ['100', 'Yes', '', serial]
    assert rows[3][4:12] == [
        'Excused', 'Absent', '', '', '', '0', 'No',
        f"attendance 0% < 80%; assessment '{TITLE}' not passed (no score yet)",
    ]  # fmt: skip


def test_an_admin_gets_the_report_and_the_pages_link_to_it(client, login, small, create_user):
    offering, _, trainer = small
    url = f'/teach/offerings/{offering.id}/report.xlsx'
    login(create_user(role='admin'))
    assert client.get(url).status_code == 200
    assert url in client.get(f'/admin/offerings/{offering.id}').text
    login(trainer)
    assert url in client.get(f'/teach/offerings/{offering.id}').text
    completion = client.get(f'/teach/offerings/{offering.id}/completion').text
    assert url.replace('xlsx', 'csv') in completion


@pytest.mark.parametrize('kind', ['xlsx', 'csv'])
def test_other_trainers_and_participants_may_not_download_it(
    client, login, create_user, create_offering, create_enrollment, kind
):
    offering = create_offering(trainers=[create_user(role='trainer')])
    participant = create_enrollment(offering=offering).user
    url = f'/teach/offerings/{offering.id}/report.{kind}'
    assert client.get(url).status_code == 302
    assert '/login' in client.get(url).headers['Location']
    for user in (create_user(role='trainer'), participant):
        login(user)
        assert client.get(url).status_code == 403
    assert client.get(f'/teach/offerings/{offering.id + 1000}/report.{kind}').status_code == 404


def test_text_that_looks_like_a_formula_stays_text(
    client, login, create_user, create_offering, create_enrollment
):
    trainer = create_user(role='trainer')
    offering = create_offering(trainers=[trainer])
    create_enrollment(offering=offering, user=create_user(full_name_ka='=1+1'))
    login(trainer)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f'/teach/offerings/{offering.id}/report.xlsx').get_data())
    )
    _, (head, row) = _table(book.worksheets[0].iter_rows(values_only=True))
    assert row[1] == '=1+1'
    assert book.worksheets[0].cell(row=12 + 1, column=2).data_type == 's'
    text = client.get(f'/teach/offerings/{offering.id}/report.csv').get_data().decode('utf-8-sig')
    assert "'=1+1" in text


def test_the_offering_report_takes_the_same_queries_for_few_people_or_many(
    db, create_user, create_offering, create_enrollment
):
    def statements(size):
        offering = create_offering(sessions=3)
        for _ in range(size):
            enrollment = create_enrollment(offering=offering)
            for offering_session in offering.sessions:
                db.session.add(
                    Attendance(
                        session_id=offering_session.id,
                        enrollment_id=enrollment.id,
                        status='present',
                    )
                )
        db.session.commit()
        db.session.expire_all()
        offering = db.session.get(type(offering), offering.id)
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, 'before_cursor_execute', listener)
        try:
            report = offering_report(offering)
        finally:
            event.remove(db.engine, 'before_cursor_execute', listener)
        assert len(report.rows) == size
        return len(seen)

    assert statements(2) == statements(12)


def _year_data(create_user, create_course, create_offering, create_enrollment, create_organization):
    """Three offerings starting in 2025 and one in 2024 (left out).

    O1 (2 March 2025, training, Kutaisi, completed, 20 places, two 4-hour sessions):
       five applications, three accepted: P1 present at both (100%), P2 at one (50%),
       P3 at none (0%); a rejected person marked present (not counted). Eligible: P1,
       who holds a certificate. Attended at least once: P1, P2. Average (100+50+0)/3 = 50.
    O2 (10 June 2025, seminar, no host, published, no limit, one session): one accepted
       person who never came: 0%, not eligible.
    O3 (1 December 2025, forum, draft, no sessions, nobody).
    """
    admin = create_user(role='admin')
    kutaisi = create_organization(name_ka='ქუთაისი', name_en='Kutaisi', kind='municipality')
    o1 = create_offering(
        course=create_course(code='T-1', title_ka='საჯარო ფინანსები', title_en='Public finance'),
        starts_on=date(2025, 3, 2),
        ends_on=date(2025, 3, 3),
        municipality=kutaisi,
        status='completed',
        capacity=20,
    )
    p1, p2, p3 = (create_enrollment(offering=o1) for _ in range(3))
    rejected = create_enrollment(offering=o1, status='rejected')
    create_enrollment(offering=o1, status='applied')
    first, second = o1.sessions
    record_attendance(
        first,
        [
            {'enrollment_id': p1.id, 'status': 'present'},
            {'enrollment_id': p2.id, 'status': 'late'},
            {'enrollment_id': p3.id, 'status': 'absent'},
        ],
        actor=admin,
    )
    record_attendance(
        second,
        [
            {'enrollment_id': p1.id, 'status': 'present'},
            {'enrollment_id': p2.id, 'status': 'excused'},
        ],
        actor=admin,
    )
    _db.session.add(Attendance(session_id=first.id, enrollment_id=rejected.id, status='present'))
    _db.session.flush()
    issue_for_offering(o1, actor=admin)
    o2 = create_offering(
        course=create_course(code='S-1', title_ka='სემინარი', title_en='Seminar', kind='seminar'),
        starts_on=date(2025, 6, 10),
        ends_on=date(2025, 6, 10),
        sessions=1,
    )
    create_enrollment(offering=o2)
    create_offering(
        course=create_course(code='F-1', title_ka='ფორუმი', title_en='Forum', kind='forum'),
        starts_on=date(2025, 12, 1),
        ends_on=date(2025, 12, 2),
        sessions=0,
        status='draft',
    )
    earlier = create_offering(starts_on=date(2024, 5, 1), ends_on=date(2024, 5, 2))
    create_enrollment(offering=earlier)
    return admin


def test_the_year_report_counts_each_offering_as_worked_out_by_hand(
    client,
    login,
    create_user,
    create_course,
    create_offering,
    create_enrollment,
    create_organization,
):
    admin = _year_data(
        create_user, create_course, create_offering, create_enrollment, create_organization
    )
    rows = year_report(2025)
    assert [r.offering.course.code for r in rows] == ['T-1', 'S-1', 'F-1']
    login(admin)
    response = client.get('/admin/offerings/report.xlsx?year=2025')
    assert response.status_code == 200
    assert 'offerings-2025.xlsx' in response.headers['Content-Disposition']
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert lines[2][:3] == ['კურსის კოდი', 'კურსი', 'ტიპი']
    o1, o2, o3, total = lines[3:7]
    assert o1[:3] == ['T-1', 'საჯარო ფინანსები', 'ტრენინგი']
    assert [d.date() for d in o1[3:5]] == [date(2025, 3, 2), date(2025, 3, 3)]
    assert o1[5:] == ['ქუთაისი', 'დასრულებული', 20, 5, 3, 2, 2, 8, 50, 1, 1]
    assert o2[5:] == [None, 'გამოქვეყნებული', None, 1, 1, 0, 1, 4, 0, 0, 0]
    assert o3[5:] == [None, 'მონახაზი', None, 0, 0, 0, 0, 0, None, 0, 0]
    assert total[0] == 'სულ'
    assert total[8:] == [6, 4, 2, 3, 12, None, 1, 1]
    assert len(lines) == 7


def test_the_year_report_is_for_admins_and_asks_for_a_year(
    client, login, create_user, create_offering
):
    create_offering(starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 3))
    url = '/admin/offerings/report.xlsx?year=2025'
    assert '/login' in client.get(url).headers['Location']
    login(create_user(role='trainer'))
    assert client.get(url).status_code == 403
    login(create_user(role='admin'))
    page = client.get('/admin/offerings').text
    assert 'action="/admin/offerings/report.xlsx"' in page
    for bad in ('', 'year=abc', 'year=99999999999', 'year=1066'):
        response = client.get(f'/admin/offerings/report.xlsx?{bad}')
        assert response.status_code == 302
        assert response.headers['Location'].endswith('/admin/offerings')
    # a year without offerings is an empty sheet with a zero total, not an error
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get('/admin/offerings/report.xlsx?year=2031').get_data())
    ).worksheets[0]
    assert [row[8] for row in sheet.iter_rows(min_row=4, values_only=True)] == [0]


def test_hours_summed_in_the_database_agree_with_each_sessions_hours(
    db, create_user, create_offering, create_enrollment
):
    """Sessions of 80 minutes (1.33 h), 45 minutes (0.75 h) and 4 hours; attending the
    first two gives 2.08 of 6.08 hours: 34.2%, and the same in the offering's report."""
    offering = create_offering(sessions=3, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 4))
    first, second, _ = offering.sessions
    first.ends_at = first.starts_at + timedelta(minutes=80)
    second.ends_at = second.starts_at + timedelta(minutes=45)
    enrollment = create_enrollment(offering=offering)
    for offering_session in (first, second):
        db.session.add(
            Attendance(
                session_id=offering_session.id, enrollment_id=enrollment.id, status='present'
            )
        )
    db.session.flush()
    (completion,) = offering_completion(offering)
    assert completion.attendance.attended_hours == Decimal('2.08')
    assert completion.attendance.total_hours == Decimal('6.08')
    assert completion.attendance_pct == 34.2
    assert completion.sessions_attended == 2
    report = offering_report(offering)
    assert report.total_hours == Decimal('6.08')
    assert report.rows[0].completion == completion


def test_an_offering_without_sessions_or_people_still_has_its_report(
    client, login, create_user, create_offering
):
    offering = create_offering(sessions=0)
    login(create_user(role='admin'))
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f'/teach/offerings/{offering.id}/report.xlsx').get_data())
    )
    _, table = _table(book.worksheets[0].iter_rows(values_only=True))
    assert table[0][-3:] == ['აკმაყოფილებს მოთხოვნებს', 'მიზეზები', 'სერტიფიკატის სერიული ნომერი']
    assert len(table) == 1
    text = client.get(f'/teach/offerings/{offering.id}/report.csv').get_data().decode('utf-8-sig')
    _, table = _table(csv.reader(io.StringIO(text)))
    assert len(table) == 1
