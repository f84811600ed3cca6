"""Two registrations of one new address at once (a double click, two tabs): both are
answered with the usual page, one registration waits, and the link of the one that won
works.

The rule lives in lms.people.registration._save_pending: the second insert of an address
fails on its unique index, in a savepoint, and replaces the first's instead.
"""

from functools import partial

import pytest
from sqlalchemy import delete, func, select

from lms.extensions import db as _db
from lms.models import OutboxMessage, PendingRegistration, User
from tests.lms.registering import registration_link
from tests.lms.test_auth import _registration
from tests.races.conftest import ROUNDS, browser, together


def _post(app, n):
    data = _registration(
        email='twice@example.ge', password=f'secret number {n}', confirm=f'secret number {n}'
    )
    return browser(app).post('/register', data=data)


def _pending_count():
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(PendingRegistration))


def _finish_with_the_newest_link(app, db):
    client = browser(app)
    response = client.post(registration_link(db, 'twice@example.ge'))
    assert response.status_code == 302, response.text
    return db.session.scalar(select(User).where(User.email == 'twice@example.ge'))


def test_registering_one_address_twice_keeps_one_registration(app, db):
    assert [_post(app, n).status_code for n in (1, 2)] == [200, 200]
    assert _pending_count() == 1
    assert _finish_with_the_newest_link(app, db).check_password('secret number 2')


@pytest.mark.postgres
def test_registering_one_address_twice_at_once_keeps_one_registration(app, db):
    for _ in range(ROUNDS):
        answers = together(partial(_post, app, 1), partial(_post, app, 2))
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        assert _pending_count() == 1
        user = _finish_with_the_newest_link(app, db)
        assert _pending_count() == 0
        db.session.execute(delete(OutboxMessage))
        db.session.delete(user)
        db.session.commit()
