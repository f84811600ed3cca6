"""Two trainers saving one roster, and a participant checking in while a trainer saves:
never a 500, never a mark lost without a word.

The rule (lms.attendance.service): a roster page carries the version it showed; a save
from it that would change a mark someone else recorded after that is refused whole
(409 on the page), naming who changed it and when, and their marks are then shown. An
API save naming the version it read (If-Match) follows the same rule. A self check-in only
fills an empty place: it never replaces a trainer's mark.
"""

import re
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from lms.assessment.service import add_assessment
from lms.attendance import checkin
from lms.attendance.service import Seen, read_version, record_attendance
from lms.errors import Conflict, Invalid
from lms.extensions import db as _db
from lms.models import Attendance, OfferingSession, Result, User
from tests.races.conftest import ROUNDS, browser, together


@pytest.fixture
def room(db, create_user, create_offering, create_enrollment):
    """A session under way, two trainers, and three accepted participants."""

    def make():
        trainers = [
            create_user(role='trainer', full_name_ka=f'ტრენერი {n}', full_name_en=f'Trainer {n}')
            for n in ('ა', 'ბ')
        ]
        offering = create_offering(trainers=trainers, sessions=1)
        offering_session = offering.sessions[0]
        now = datetime.now(UTC)
        offering_session.starts_at = now - timedelta(minutes=30)
        offering_session.ends_at = now + timedelta(hours=2)
        people = [create_enrollment(offering, create_user()) for _ in range(3)]
        db.session.commit()
        return offering_session, trainers, people

    return make


def _marks(session_id):
    _db.session.expire_all()
    return {
        a.enrollment_id: (a.status, a.recorded_by_id)
        for a in _db.session.scalars(select(Attendance).where(Attendance.session_id == session_id))
    }


def _shown(page):
    """What the roster page sends back of itself: its version and the marks it showed."""
    return dict(
        re.findall(
            r'<input type="hidden" name="((?:roster_version|was-)[^"]*)" value="([^"]*)"', page.text
        )
    )


def _form(shown, marks):
    """The page as sent: what it showed, and the statuses chosen on it (`marks`); the
    rows it showed marked and not named in `marks` are sent as shown, as a browser does."""
    kept = {
        f'status-{k[4:]}': v
        for k, v in shown.items()
        if k.startswith('was-') and not k.startswith('was-note-')
    }
    return {**shown, **kept, **{f'status-{e}': s for e, s in marks.items()}}


def test_a_save_from_a_stale_roster_is_refused_with_who_and_when(client, login, db, room):
    offering_session, (first, second), people = room()
    url = f'/teach/sessions/{offering_session.id}/roster'
    login(first)
    client.post('/language/en')
    seen_by_first = _shown(client.get(url))
    record_attendance(
        offering_session, [{'enrollment_id': people[0].id, 'status': 'excused'}], actor=second
    )
    db.session.commit()
    refused = client.post(
        url, data=_form(seen_by_first, {people[0].id: 'absent', people[1].id: 'present'})
    )
    assert refused.status_code == 409
    assert 'Trainer ბ changed this roster at' in refused.text
    assert 'Changed by Trainer ბ at' in refused.text
    # Their mark is shown on that row; nothing of this save was written.
    assert re.search(rf'name="status-{people[0].id}"[^>]*value="excused"[^>]*checked', refused.text)
    assert _marks(offering_session.id) == {people[0].id: ('excused', second.id)}
    # Saved again from the page that showed their mark, it goes through.
    again = client.post(
        url, data=_form(_shown(refused), {people[0].id: 'absent', people[1].id: 'present'})
    )
    assert again.status_code == 302
    assert _marks(offering_session.id) == {
        people[0].id: ('absent', first.id),
        people[1].id: ('present', first.id),
    }


def test_a_stale_roster_is_saved_when_it_changes_nothing_the_other_changed(client, login, db, room):
    offering_session, (first, second), people = room()
    url = f'/teach/sessions/{offering_session.id}/roster'
    login(first)
    seen = _shown(client.get(url))
    record_attendance(
        offering_session, [{'enrollment_id': people[0].id, 'status': 'late'}], actor=second
    )
    db.session.commit()
    # The same mark for that person, and marks for the others: nothing clashes.
    answer = client.post(url, data=_form(seen, {people[0].id: 'late', people[1].id: 'absent'}))
    assert answer.status_code == 302
    assert _marks(offering_session.id) == {
        people[0].id: ('late', second.id),
        people[1].id: ('absent', first.id),
    }


def test_a_row_left_as_shown_keeps_the_newer_mark_and_the_rest_is_saved(client, login, db, room):
    offering_session, (first, second), people = room()
    url = f'/teach/sessions/{offering_session.id}/roster'
    record_attendance(
        offering_session, [{'enrollment_id': people[0].id, 'status': 'absent'}], actor=first
    )
    db.session.commit()
    login(first)
    shown = _shown(client.get(url))  # shows people[0] absent
    record_attendance(
        offering_session,
        [{'enrollment_id': people[0].id, 'status': 'late', 'note': 'ტრამვაი'}],
        actor=second,
    )
    db.session.commit()
    # The first trainer marks someone else and leaves people[0] as the page showed it.
    answer = client.post(url, data=_form(shown, {people[1].id: 'present'}))
    assert answer.status_code == 302
    assert _marks(offering_session.id) == {
        people[0].id: ('late', second.id),
        people[1].id: ('present', first.id),
    }


def test_a_version_that_is_not_a_time_counts_as_having_seen_nothing():
    assert read_version('') is None
    assert read_version('yesterday') is None
    assert read_version('\x00') is None
    assert read_version('2026-03-02T10:00:00.123456+00:00') == datetime(
        2026, 3, 2, 10, 0, 0, 123456, tzinfo=UTC
    )


@pytest.mark.postgres
def test_two_api_saves_at_once_in_any_row_order_both_succeed(app, db, room, token_for):
    for _ in range(ROUNDS):
        offering_session, trainers, people = room()
        url = f'/api/v1/sessions/{offering_session.id}/attendance'
        one = [{'enrollment_id': e.id, 'status': 'present'} for e in people]
        other = [{'enrollment_id': e.id, 'status': 'absent'} for e in reversed(people)]
        calls = [
            partial(browser(app).put, url, json={'records': records}, headers=token_for(t))
            for t, records in zip(trainers, (one, other), strict=True)
        ]
        answers = together(*calls)
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        marks = _marks(offering_session.id)
        assert len(marks) == 3  # one row each, whoever came second
        assert len({status for status, _ in marks.values()}) == 1  # one save whole, then the other


@pytest.mark.postgres
def test_two_trainers_saving_one_roster_at_once_one_wins_the_other_is_told(app, db, room):
    for _ in range(ROUNDS):
        offering_session, trainers, people = room()
        url = f'/teach/sessions/{offering_session.id}/roster'
        pages = [browser(app, t) for t in trainers]
        versions = [_shown(page.get(url)) for page in pages]
        forms = [
            _form(versions[0], {e.id: 'present' for e in people}),
            _form(versions[1], {e.id: 'absent' for e in reversed(people)}),
        ]
        answers = together(
            *[partial(p.post, url, data=f) for p, f in zip(pages, forms, strict=True)]
        )
        assert sorted(a.status_code for a in answers) == [302, 409]
        winner = trainers[[a.status_code for a in answers].index(302)]
        marks = _marks(offering_session.id)
        assert {by for _, by in marks.values()} == {winner.id} and len(marks) == 3


def _check_in(app, session_id, user_id, at):
    with app.app_context():
        try:
            offering_session = _db.session.get(OfferingSession, session_id)
            done = checkin.check_in(offering_session, _db.session.get(User, user_id), now=at)
            _db.session.commit()
            return 'checked in' if done else 'already'
        except Invalid:
            _db.session.rollback()
            return 'refused'
        finally:
            _db.session.remove()


def _trainer_saves(app, session_id, trainer_id, enrollment_id, seen):
    with app.app_context():
        try:
            offering_session = _db.session.get(OfferingSession, session_id)
            record_attendance(
                offering_session,
                [{'enrollment_id': enrollment_id, 'status': 'absent'}],
                actor=_db.session.get(User, trainer_id),
                seen=seen,
            )
            _db.session.commit()
            return 'saved'
        except Conflict:
            _db.session.rollback()
            return 'stale'
        finally:
            _db.session.remove()


def test_a_check_in_after_the_trainers_mark_leaves_it(app, db, room):
    offering_session, (trainer, _), people = room()
    record_attendance(
        offering_session, [{'enrollment_id': people[0].id, 'status': 'excused'}], actor=trainer
    )
    db.session.commit()
    with force_locale('en'), pytest.raises(Invalid) as refused:
        checkin.check_in(offering_session, people[0].user)
    with force_locale('en'):
        assert 'already recorded you as “Excused”' in str(refused.value.message)
    assert _marks(offering_session.id) == {people[0].id: ('excused', trainer.id)}


def test_a_check_in_before_the_trainers_save_is_not_overwritten_unseen(client, login, db, room):
    offering_session, (trainer, _), people = room()
    url = f'/teach/sessions/{offering_session.id}/roster'
    login(trainer)
    seen = _shown(client.get(url))
    assert checkin.check_in(offering_session, people[0].user)
    db.session.commit()
    stale = client.post(url, data=_form(seen, {people[0].id: 'absent'}))
    assert stale.status_code == 409  # the trainer did not see the check-in
    assert _marks(offering_session.id) == {people[0].id: ('present', people[0].user_id)}
    seen_now = client.post(url, data=_form(_shown(stale), {people[0].id: 'absent'}))
    assert seen_now.status_code == 302  # the trainer's word, having seen it, stands
    assert _marks(offering_session.id) == {people[0].id: ('absent', trainer.id)}


@pytest.mark.postgres
def test_a_check_in_at_the_moment_the_trainer_saves_never_replaces_the_trainers_mark(app, db, room):
    for _ in range(ROUNDS):
        offering_session, (trainer, _), people = room()
        session_id, enrollment = offering_session.id, people[0]
        at = datetime.now(UTC)
        outcome = together(
            partial(_check_in, app, session_id, enrollment.user_id, at),
            partial(_trainer_saves, app, session_id, trainer.id, enrollment.id, Seen(None)),
        )
        marks = _marks(session_id)
        if outcome == ['refused', 'saved']:  # the trainer first: the check-in is refused
            assert marks == {enrollment.id: ('absent', trainer.id)}
        else:  # the check-in first: the trainer, who had not seen it, is told
            assert outcome == ['checked in', 'stale'], outcome
            assert marks == {enrollment.id: ('present', enrollment.user_id)}
        assert _db.session.scalar(select(func.count()).select_from(Attendance)) >= 1


@pytest.mark.postgres
def test_two_score_sheets_saved_at_once_both_succeed(app, db, room, token_for):
    for _ in range(ROUNDS):
        offering_session, trainers, people = room()
        assessment = add_assessment(
            offering_session.offering,
            {'title': 'ტესტი', 'max_score': '10', 'pass_score': '5', 'required': True},
            actor=trainers[0],
        )
        db.session.commit()
        url = f'/api/v1/assessments/{assessment.id}/results'
        one = [{'enrollment_id': e.id, 'score': 7} for e in people]
        other = [{'enrollment_id': e.id, 'score': 9} for e in reversed(people)]
        calls = [
            partial(browser(app).put, url, json={'records': records}, headers=token_for(t))
            for t, records in zip(trainers, (one, other), strict=True)
        ]
        answers = together(*calls)
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        db.session.expire_all()
        scores = db.session.scalars(
            select(Result.score).where(Result.assessment_id == assessment.id)
        )
        assert len(set(scores.all())) == 1  # one sheet whole, then the other


def _api_roster(app, url, header):
    """What an API client reads: the roster's version (ETag) and its rows as sent back."""
    read = browser(app).get(url, headers=header)
    rows = [{k: r[k] for k in ('enrollment_id', 'status', 'note')} for r in read.json['records']]
    return read.headers['ETag'], rows


def _changed(rows, enrollment_id, status):
    return [dict(r, status=status) if r['enrollment_id'] == enrollment_id else r for r in rows]


@pytest.mark.postgres
def test_two_api_clients_saving_other_rows_of_one_version_at_once_are_both_kept(
    app, db, room, token_for
):
    for _ in range(ROUNDS):
        offering_session, trainers, people = room()
        url = f'/api/v1/sessions/{offering_session.id}/attendance'
        headers = [token_for(t) for t in trainers]
        everyone = [{'enrollment_id': e.id, 'status': 'present'} for e in people]
        assert (
            browser(app).put(url, json={'records': everyone}, headers=headers[0]).status_code == 200
        )
        version, rows = _api_roster(app, url, headers[0])
        # Each sends the whole roster back, one row changed, in its own order.
        bodies = [
            _changed(rows, people[0].id, 'late'),
            _changed(rows, people[1].id, 'absent')[::-1],
        ]
        answers = together(
            *[
                partial(
                    browser(app).put,
                    url,
                    json={'records': body},
                    headers={**header, 'If-Match': version},
                )
                for header, body in zip(headers, bodies, strict=True)
            ]
        )
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        assert _marks(offering_session.id) == {
            people[0].id: ('late', trainers[0].id),
            people[1].id: ('absent', trainers[1].id),
            people[2].id: ('present', trainers[0].id),
        }


@pytest.mark.postgres
def test_two_api_clients_changing_one_row_of_one_version_at_once_one_is_refused_with_who(
    app, db, room, token_for
):
    for _ in range(ROUNDS):
        offering_session, trainers, people = room()
        url = f'/api/v1/sessions/{offering_session.id}/attendance'
        headers = [token_for(t) for t in trainers]
        version, rows = _api_roster(app, url, headers[0])
        assert version == '"empty"' and rows == []
        bodies = [
            [{'enrollment_id': e.id, 'status': 'present'} for e in people],
            [{'enrollment_id': e.id, 'status': 'absent'} for e in reversed(people)],
        ]
        answers = together(
            *[
                partial(
                    browser(app).put,
                    url,
                    json={'records': body},
                    headers={**header, 'If-Match': version},
                )
                for header, body in zip(headers, bodies, strict=True)
            ]
        )
        statuses = [a.status_code for a in answers]
        assert sorted(statuses) == [200, 409], [a.text for a in answers]
        winner = trainers[statuses.index(200)]
        error = answers[statuses.index(409)].json['error']
        assert error['code'] == 'roster_changed'
        assert {row['enrollment_id'] for row in error['rows']} == {e.id for e in people}
        assert {row['recorded_by_id'] for row in error['rows']} == {winner.id}
        marks = _marks(offering_session.id)
        assert {by for _, by in marks.values()} == {winner.id} and len(marks) == 3
