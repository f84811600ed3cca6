import csv
import io

import pytest
from sqlalchemy import select

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
