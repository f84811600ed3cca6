"""The audit log: an admin page with filters, and entries nobody can change or delete."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from lms import audit
from lms.extensions import academy_today
from lms.models import AuditEntry, User

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def entries(db, create_user, create_course):
    admin = create_user(role='admin', full_name_ka='თამარ ადმინი', email='tamar@example.ge')
    other = create_user(role='admin', email='giorgi@example.ge')
    course = create_course()
    audit.record(admin, 'course.created', course, after={'code': course.code})
    audit.update(course, {'hours': 24}, actor=other, action='course.updated', fields=('hours',))
    audit.record(None, 'enrollment.created', course, after={'status': 'applied'})
    db.session.commit()
    return admin, other, course


def test_admins_filter_the_log_by_action_person_and_day(client, login, entries):
    admin, other, course = entries
    login(admin)
    page = client.get('/admin/audit')
    assert page.status_code == 200 and 'აუდიტის ჟურნალი' in page.text
    assert page.text.count('<code>') == 3

    by_action = client.get('/admin/audit', query_string={'action': 'course.updated'})
    assert by_action.text.count('<code>') == 1 and 'course.updated' in by_action.text
    assert '<del>16.0</del>' in by_action.text and '24' in by_action.text

    by_person = client.get('/admin/audit', query_string={'q': 'tamar@'})
    assert by_person.text.count('<code>') == 1 and 'course.created' in by_person.text

    today = academy_today()
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert client.get('/admin/audit', query_string={'since': tomorrow}).text.count('<code>') == 0
    assert (
        client.get(
            '/admin/audit', query_string={'since': today.isoformat(), 'until': today.isoformat()}
        ).text.count('<code>')
        == 3
    )


def test_a_bad_filter_is_shown_beside_its_field_not_an_error(client, login, entries):
    login(entries[0])
    for args in ({'since': '2026-02-30'}, {'until': 'yesterday'}, {'object_id': '9' * 40}):
        response = client.get('/admin/audit', query_string=args)
        assert response.status_code == 422
        assert 'aria-invalid="true"' in response.text
    unknown_action = client.get('/admin/audit', query_string={'action': '"><script>'})
    assert unknown_action.status_code == 200 and '<script>' not in unknown_action.text


def test_no_code_changes_or_deletes_an_entry():
    """The application has no path that changes the log: no UPDATE or DELETE of it."""
    forbidden = re.compile(r'(update|delete)\(\s*AuditEntry|AuditEntry\.__table__\.(update|delete)')
    for folder in ('lms', 'certificates'):
        for path in (ROOT / folder).rglob('*.py'):
            assert not forbidden.search(path.read_text('utf-8')), path


def test_the_database_refuses_to_change_or_delete_an_entry(db, app, entries):
    if db.engine.dialect.name != 'postgresql':
        pytest.skip('the guard is a PostgreSQL trigger')
    admin, other, _ = entries
    entry_id = db.session.scalar(select(AuditEntry.id).where(AuditEntry.actor_id == other.id))
    for statement in (
        update(AuditEntry).where(AuditEntry.id == entry_id).values(action='course.deleted'),
        delete(AuditEntry).where(AuditEntry.id == entry_id),
        text('DELETE FROM audit_entries'),
    ):
        with pytest.raises(DBAPIError, match='append-only'):
            db.session.execute(statement)
        db.session.rollback()
    # Erasing the person named as actor keeps the entry, without the name.
    db.session.execute(delete(User).where(User.id == other.id))
    db.session.commit()
    entry = db.session.get(AuditEntry, entry_id)
    assert entry.actor_id is None and entry.action == 'course.updated'
