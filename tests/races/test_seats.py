"""Two admins accepting different people for the last seat at once: exactly one wins, the
other is told (409 from the API, a message on the page), and capacity holds.

The rule lives in lms.enrollments.seats: the offering's row is locked before its seats
are counted, in the transaction that then writes.
"""

from functools import partial

import pytest
from sqlalchemy import func, select

from lms.extensions import db as _db
from lms.models import Enrollment
from tests.races.conftest import ROUNDS, browser, together


@pytest.fixture
def last_seat(db, create_user, create_offering, create_enrollment):
    """An offering with one seat left (capacity 2, one accepted), two applicants and two
    admins."""

    def make():
        admins = [create_user(role='admin', password=None) for _ in range(2)]
        offering = create_offering(capacity=2)
        create_enrollment(offering, create_user(password=None), 'accepted')
        applicants = [
            create_enrollment(offering, create_user(password=None), 'applied') for _ in range(2)
        ]
        db.session.commit()
        return offering, admins, applicants

    return make


def _accepted(offering_id):
    _db.session.expire_all()
    return _db.session.scalar(
        select(func.count())
        .select_from(Enrollment)
        .where(Enrollment.offering_id == offering_id, Enrollment.status == 'accepted')
    )


def _accept_by_api(app, token, enrollment_id):
    return browser(app).patch(
        f'/api/v1/enrollments/{enrollment_id}', json={'status': 'accepted'}, headers=token
    )


def test_the_second_acceptance_for_the_last_seat_is_refused(app, db, last_seat, token_for):
    offering, admins, applicants = last_seat()
    first = _accept_by_api(app, token_for(admins[0]), applicants[0].id)
    second = _accept_by_api(app, token_for(admins[1]), applicants[1].id)
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.get_json()['error']['fields'] == {'status': 'No place left.'}
    assert _accepted(offering.id) == 2


@pytest.mark.postgres
def test_two_admins_at_once_through_the_api_one_wins(app, db, last_seat, token_for):
    for _ in range(ROUNDS):
        offering, admins, applicants = last_seat()
        calls = [
            partial(_accept_by_api, app, token_for(admin), applicant.id)
            for admin, applicant in zip(admins, applicants, strict=True)
        ]
        answers = together(*calls)
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409).get_json()['error']
        assert refused['fields'] == {'status': 'No place left.'}
        assert _accepted(offering.id) == 2


@pytest.mark.postgres
def test_two_admins_at_once_through_the_api_enrolling_new_people_one_wins(
    app, db, last_seat, token_for, create_user
):
    for _ in range(ROUNDS):
        offering, admins, _ = last_seat()
        people = [create_user(password=None) for _ in range(2)]
        db.session.commit()
        url = f'/api/v1/offerings/{offering.id}/enrollments'
        calls = [
            partial(
                browser(app).post,
                url,
                json={'user_id': person.id, 'status': 'accepted'},
                headers=token_for(admin),
            )
            for admin, person in zip(admins, people, strict=True)
        ]
        answers = together(*calls)
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        assert _accepted(offering.id) == 2


@pytest.mark.postgres
def test_two_admins_at_once_on_the_pages_one_is_told_the_offering_is_full(app, db, last_seat):
    for _ in range(ROUNDS):
        offering, admins, applicants = last_seat()
        back = f'/admin/offerings/{offering.id}/applications'
        pages = [browser(app, admin) for admin in admins]
        for page in pages:
            page.post('/language/en')
        calls = [
            partial(
                page.post,
                f'/admin/enrollments/{applicant.id}/status',
                data={'status': 'accepted', 'next': back},
            )
            for page, applicant in zip(pages, applicants, strict=True)
        ]
        answers = together(*calls)
        assert [a.status_code for a in answers] == [302, 302]
        told = [page.get(back).text for page in pages]
        full = [text for text in told if 'The offering is full (2 places)' in text]
        assert len(full) == 1
        assert _accepted(offering.id) == 2
