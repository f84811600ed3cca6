"""A session's roster saved through the API by two clients: the ETag names the version
read, If-Match the version a save was made from. A stale save is merged row by row by the
roster page's rule (lms.attendance.service); a real clash is refused whole with 409,
naming each clashing row, who changed it and when. Without If-Match the later save stands.
"""

from datetime import datetime

import pytest

from lms.attendance import checkin
from lms.models import Attendance
from tests.api.helpers import assert_error, count


@pytest.fixture
def room(db, create_user, create_offering, create_enrollment):
    """Two trainers of one offering, three accepted participants, and the roster's URL."""
    trainers = [
        create_user(role='trainer', full_name_ka=f'ტრენერი {n}', full_name_en=f'Trainer {n}')
        for n in ('ა', 'ბ')
    ]
    offering = create_offering(trainers=trainers)
    people = [create_enrollment(offering=offering, user=create_user()) for _ in range(3)]
    offering_session = offering.sessions[0]
    return offering_session, trainers, people, f'/api/v1/sessions/{offering_session.id}/attendance'


def _put(api, url, user, records, version=None):
    headers = {'Accept-Language': 'en'}
    if version is not None:
        headers['If-Match'] = version
    return api('PUT', url, user, json={'records': records}, headers=headers)


def _marks(session_id):
    return {
        a.enrollment_id: (a.status, a.note, a.recorded_by_id)
        for a in Attendance.query.filter_by(session_id=session_id)
    }


def _rows(records):
    """What a client sends back of a GET: every row as read."""
    return [{k: r[k] for k in ('enrollment_id', 'status', 'note')} for r in records]


def test_the_roster_answers_its_version_as_an_etag_that_changes_with_each_save(api, room):
    offering_session, (first, _), people, url = room
    empty = api('GET', url, first)
    assert empty.headers['ETag'] == '"empty"'
    saved = _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'present'}])
    assert saved.status_code == 200 and saved.json == {'saved': 1}
    read = api('GET', url, first)
    assert read.headers['ETag'] == saved.headers['ETag'] != '"empty"'
    recorded_at = datetime.fromisoformat(read.json['records'][0]['recorded_at'])
    assert read.headers['ETag'] == f'"{recorded_at.isoformat()}"'
    again = _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'late'}])
    assert again.headers['ETag'] not in (read.headers['ETag'], '"empty"')


def test_two_clients_saving_different_rows_from_one_version_are_merged(api, room):
    offering_session, (first, second), people, url = room
    _put(api, url, first, [{'enrollment_id': e.id, 'status': 'present'} for e in people])
    read = api('GET', url, first)
    version, records = read.headers['ETag'], _rows(read.json['records'])
    # Both read the same version; each changes one row and sends the whole roster back.
    mine = [dict(r, status='late') if r['enrollment_id'] == people[0].id else r for r in records]
    theirs = [
        dict(r, status='absent', note='ავად') if r['enrollment_id'] == people[1].id else r
        for r in records
    ]
    assert _put(api, url, first, mine, version).json == {'saved': 3}
    merged = _put(api, url, second, theirs, version)
    assert merged.status_code == 200, merged.json
    assert merged.json == {'saved': 2}  # people[0], left as read, keeps the first one's mark
    assert _marks(offering_session.id) == {
        people[0].id: ('late', '', first.id),
        people[1].id: ('absent', 'ავად', second.id),
        people[2].id: ('present', '', first.id),
    }


def test_a_stale_save_changing_a_row_someone_changed_is_refused_whole_with_who_and_when(api, room):
    offering_session, (first, second), people, url = room
    _put(api, url, first, [{'enrollment_id': e.id, 'status': 'present'} for e in people[:2]])
    version = api('GET', url, second).headers['ETag']
    _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'excused'}], version)
    changed_at = api('GET', url, first).json['records'][0]['recorded_at']
    before = _marks(offering_session.id)
    refused = _put(
        api,
        url,
        second,
        [
            {'enrollment_id': people[2].id, 'status': 'present'},
            {'enrollment_id': people[0].id, 'status': 'absent'},
            {'enrollment_id': people[1].id, 'status': 'late'},
        ],
        version,
    )
    error = assert_error(refused, 409, 'roster_changed')
    assert error['message'].startswith('Trainer ა changed this roster at ')
    assert error['rows'] == [
        {
            'index': 1,
            'enrollment_id': people[0].id,
            'recorded_by_id': first.id,
            'recorded_at': changed_at,
            'errors': {'status': error['rows'][0]['errors']['status']},
        }
    ]
    assert error['rows'][0]['errors']['status'].startswith('Changed by Trainer ა at ')
    assert _marks(offering_session.id) == before  # not even the rows that did not clash
    # Read again, the same change goes through.
    fresh = api('GET', url, second).headers['ETag']
    redone = _put(api, url, second, [{'enrollment_id': people[0].id, 'status': 'absent'}], fresh)
    assert redone.status_code == 200
    assert _marks(offering_session.id)[people[0].id] == ('absent', '', second.id)


def test_a_stale_save_giving_a_row_the_mark_it_already_has_is_saved(api, room):
    offering_session, (first, second), people, url = room
    version = api('GET', url, second).headers['ETag']
    assert version == '"empty"'
    _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'late'}])
    both = [
        {'enrollment_id': people[0].id, 'status': 'late'},
        {'enrollment_id': people[1].id, 'status': 'absent'},
    ]
    assert _put(api, url, second, both, version).json == {'saved': 2}
    assert _marks(offering_session.id) == {
        people[0].id: ('late', '', first.id),
        people[1].id: ('absent', '', second.id),
    }


def test_a_save_from_a_version_before_a_check_in_does_not_overwrite_it_unseen(api, room):
    offering_session, (trainer, _), people, url = room
    version = api('GET', url, trainer).headers['ETag']
    assert checkin.check_in(offering_session, people[0].user, now=offering_session.starts_at)
    stale = _put(api, url, trainer, [{'enrollment_id': people[0].id, 'status': 'absent'}], version)
    error = assert_error(stale, 409, 'roster_changed')
    assert error['rows'][0]['recorded_by_id'] == people[0].user_id
    assert _marks(offering_session.id) == {people[0].id: ('present', '', people[0].user_id)}


def test_without_if_match_or_with_a_star_the_later_save_stands(api, room):
    offering_session, (first, second), people, url = room
    _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'present'}])
    blind = _put(api, url, second, [{'enrollment_id': people[0].id, 'status': 'absent'}])
    assert blind.status_code == 200
    assert _marks(offering_session.id) == {people[0].id: ('absent', '', second.id)}
    star = _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'late'}], '*')
    assert star.status_code == 200
    assert _marks(offering_session.id) == {people[0].id: ('late', '', first.id)}


@pytest.mark.parametrize(
    'if_match',
    ['2026-03-02T10:00:00+00:00', '"unterminated', '"a" "b"', 'W/', '"a",,', ',', '"a\\"b"'],
)
def test_an_if_match_that_is_not_an_entity_tag_is_malformed_and_saves_nothing(api, room, if_match):
    offering_session, (first, _), people, url = room
    answer = _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'late'}], if_match)
    error = assert_error(answer, 400, 'bad_request', ['If-Match'])
    assert 'entity tag' in error['message']
    assert count(Attendance) == 0


@pytest.mark.parametrize(
    'if_match',
    [
        'W/"{version}"',  # a weak tag never matches (RFC 9110: If-Match compares strongly)
        '"{version}", "empty"',
        '"yesterday"',
        '"2026-03-02T10:00:00.000001Z"',  # a time, but not as the API writes versions
        '"2026-03-02T10:00:00+00:00"',  # a time at which the roster did not change
        '"2999-01-01T00:00:00.000001+00:00"',  # later than any change of this roster
    ],
)
def test_an_if_match_naming_no_version_of_the_roster_fails_with_412(api, room, if_match):
    offering_session, (first, _), people, url = room
    _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'present'}])
    version = api('GET', url, first).headers['ETag'].strip('"')
    before = _marks(offering_session.id)
    answer = _put(
        api,
        url,
        first,
        [{'enrollment_id': people[1].id, 'status': 'late'}],
        if_match.format(version=version),
    )
    error = assert_error(answer, 412, 'precondition_failed', ['If-Match'])
    assert 'ETag' in error['fields']['If-Match']
    assert _marks(offering_session.id) == before


def test_the_current_version_saves_as_sent(api, room):
    offering_session, (first, second), people, url = room
    _put(api, url, first, [{'enrollment_id': people[0].id, 'status': 'present'}])
    version = api('GET', url, second).headers['ETag']
    answer = _put(api, url, second, [{'enrollment_id': people[0].id, 'status': 'excused'}], version)
    assert answer.status_code == 200
    assert _marks(offering_session.id) == {people[0].id: ('excused', '', second.id)}


def test_an_unknown_session_answers_404_before_if_match_is_read(api, room):
    _, (first, _), _, _ = room
    answer = _put(api, '/api/v1/sessions/999999/attendance', first, [], '"nonsense')
    assert_error(answer, 404, 'not_found')
