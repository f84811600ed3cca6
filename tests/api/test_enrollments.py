"""Enrollments: A enrolls anyone with any status, P applies for themselves; A decides."""

from datetime import date, timedelta

import pytest

from lms.models import AuditEntry, Enrollment
from tests.api.helpers import assert_error, audited, count


@pytest.fixture
def offering(create_offering, trainer):
    """An offering taught by `trainer` that takes applications: it is still to come."""
    soon = date.today() + timedelta(days=30)
    return create_offering(trainers=[trainer], starts_on=soon, ends_on=soon + timedelta(days=1))


def _url(offering):
    return f'/api/v1/offerings/{offering.id}/enrollments'


def test_an_admin_enrolls_a_person_as_an_application_by_default(api, admin, offering, participant):
    response = api('POST', _url(offering), admin, json={'user_id': participant.id})

    assert response.status_code == 201
    enrollment = Enrollment.query.one()
    body = response.get_json()
    assert body == {
        'id': enrollment.id,
        'offering_id': offering.id,
        'user_id': participant.id,
        'status': 'applied',
        'applied_at': body['applied_at'],
        'decided_at': None,
    }
    assert body['applied_at'].endswith('+00:00')
    assert audited() == ['enrollment.created']


@pytest.mark.parametrize('status', ['applied', 'waitlisted', 'accepted', 'rejected', 'withdrawn'])
def test_an_admin_may_enroll_with_any_status(api, admin, offering, participant, status):
    response = api(
        'POST', _url(offering), admin, json={'user_id': participant.id, 'status': status}
    )

    assert response.status_code == 201
    assert response.get_json()['status'] == status
    assert Enrollment.query.one().status == status
    assert (response.get_json()['decided_at'] is None) == (status == 'applied')


@pytest.mark.parametrize('body', [{}, {'status': 'applied', 'motivation': 'მინდა ვისწავლო'}])
def test_a_participant_applies_for_themselves(api, offering, participant, body):
    response = api('POST', _url(offering), participant, json=body)

    assert response.status_code == 201
    enrollment = Enrollment.query.one()
    assert (enrollment.user_id, enrollment.status) == (participant.id, 'applied')
    entry = AuditEntry.query.filter_by(action='enrollment.created').one()
    assert entry.actor_id == participant.id


def test_a_participant_may_name_themselves(api, offering, participant):
    response = api('POST', _url(offering), participant, json={'user_id': participant.id})

    assert response.status_code == 201
    assert response.get_json()['user_id'] == participant.id


def test_a_participant_may_not_enroll_someone_else(api, offering, participant, create_user):
    someone = create_user()

    response = api('POST', _url(offering), participant, json={'user_id': someone.id})

    assert_error(response, 403, 'forbidden')
    assert count(Enrollment) == 0
    assert audited() == []


@pytest.mark.parametrize('status', ['accepted', 'waitlisted', 'rejected', 'withdrawn'])
def test_a_participant_may_not_choose_their_own_status(api, offering, participant, status):
    response = api('POST', _url(offering), participant, json={'status': status})

    assert_error(response, 403, 'forbidden', fields={'status'})
    assert count(Enrollment) == 0
    assert audited() == []


@pytest.mark.parametrize('who', ['trainer_of_offering', 'other_trainer'])
def test_trainers_do_not_enroll_people(api, offering, trainer, participant, create_user, who):
    caller = trainer if who == 'trainer_of_offering' else create_user(role='trainer')

    response = api('POST', _url(offering), caller, json={'user_id': participant.id})

    assert_error(response, 403, 'forbidden')
    assert count(Enrollment) == 0


def test_enrolling_needs_a_token(api, offering, participant):
    assert_error(api('POST', _url(offering), json={'user_id': participant.id}), 401, 'unauthorized')
    assert count(Enrollment) == 0


@pytest.mark.parametrize('who', ['admin', 'participant'])
def test_enrolling_the_same_person_twice_is_a_conflict(
    api, admin, offering, participant, create_enrollment, who
):
    create_enrollment(offering=offering, user=participant, status='rejected')
    caller = admin if who == 'admin' else participant

    response = api('POST', _url(offering), caller, json={'user_id': participant.id})

    assert_error(response, 409, 'conflict', fields={'user_id'})
    assert Enrollment.query.one().status == 'rejected'
    assert audited() == []


def test_the_same_person_may_enroll_in_another_offering(
    api, admin, offering, participant, create_enrollment, create_offering
):
    create_enrollment(offering=create_offering(), user=participant)

    assert api('POST', _url(offering), admin, json={'user_id': participant.id}).status_code == 201


def test_accepting_beyond_capacity_is_a_conflict(
    api, admin, create_offering, create_enrollment, participant
):
    offering = create_offering(capacity=1)
    create_enrollment(offering=offering, status='accepted')

    response = api(
        'POST', _url(offering), admin, json={'user_id': participant.id, 'status': 'accepted'}
    )

    assert_error(response, 409, 'conflict', fields={'status'})
    assert count(Enrollment) == 1


@pytest.mark.parametrize('offering_id', [9999, 10**20])
def test_enrolling_in_an_unknown_offering_is_404(api, admin, participant, offering_id):
    response = api(
        'POST',
        f'/api/v1/offerings/{offering_id}/enrollments',
        admin,
        json={'user_id': participant.id},
    )

    assert_error(response, 404, 'not_found')
    assert count(Enrollment) == 0


@pytest.mark.parametrize(
    ('body', 'fields'),
    [
        ({}, {'user_id'}),
        ({'user_id': 9999}, {'user_id'}),
        ({'user_id': 'me'}, {'user_id'}),
        ({'user_id': [1]}, {'user_id'}),
        ({'user_id': 1.5}, {'user_id'}),
        ({'user_id': None}, {'user_id'}),
        ({'status': 'enrolled'}, {'user_id', 'status'}),
        ({'status': 'ACCEPTED'}, {'user_id', 'status'}),
        ({'motivation': 'm' * 5001}, {'user_id', 'motivation'}),
    ],
)
def test_invalid_enrollments_are_422_naming_each_field_and_save_nothing(
    api, admin, offering, body, fields
):
    response = api('POST', _url(offering), admin, json=body)

    assert_error(response, 422, 'invalid', fields=fields)
    assert count(Enrollment) == 0
    assert audited() == []


def test_a_participant_sending_a_bad_id_gets_422(api, offering, participant):
    response = api('POST', _url(offering), participant, json={'user_id': 'me'})

    assert_error(response, 422, 'invalid', fields={'user_id'})
    assert count(Enrollment) == 0


# Deciding ---------------------------------------------------------------------------------


def _patch_url(enrollment):
    return f'/api/v1/enrollments/{enrollment.id}'


def test_an_admin_accepts_an_application_and_the_change_is_audited(
    api, admin, create_enrollment, offering
):
    enrollment = create_enrollment(offering=offering, status='applied')

    response = api('PATCH', _patch_url(enrollment), admin, json={'status': 'accepted'})

    assert response.status_code == 200
    body = response.get_json()
    assert (body['id'], body['status']) == (enrollment.id, 'accepted')
    assert body['decided_at'] is not None
    assert Enrollment.query.one().status == 'accepted'
    entry = AuditEntry.query.filter_by(action='enrollment.status_changed').one()
    assert entry.actor_id == admin.id
    assert (entry.object_type, entry.object_id) == ('enrollments', enrollment.id)
    assert entry.data['before'] == {'status': 'applied'}
    assert entry.data['after'] == {'status': 'accepted'}


def test_each_change_of_status_leaves_its_own_audit_entry(api, admin, create_enrollment):
    enrollment = create_enrollment(status='applied')

    for status in ('waitlisted', 'accepted', 'withdrawn'):
        assert (
            api('PATCH', _patch_url(enrollment), admin, json={'status': status}).status_code == 200
        )

    entries = AuditEntry.query.filter_by(action='enrollment.status_changed').order_by(AuditEntry.id)
    assert [(e.data['before']['status'], e.data['after']['status']) for e in entries] == [
        ('applied', 'waitlisted'),
        ('waitlisted', 'accepted'),
        ('accepted', 'withdrawn'),
    ]


def test_setting_the_status_it_already_has_changes_nothing(api, admin, create_enrollment):
    enrollment = create_enrollment(status='accepted')

    response = api('PATCH', _patch_url(enrollment), admin, json={'status': 'accepted'})

    assert response.status_code == 200
    assert response.get_json()['status'] == 'accepted'
    assert audited() == []


@pytest.mark.parametrize(
    ('who', 'status', 'code'),
    [
        (None, 401, 'unauthorized'),
        ('the_participant', 403, 'forbidden'),
        ('trainer_of_offering', 403, 'forbidden'),
        ('other_participant', 403, 'forbidden'),
    ],
)
def test_only_admins_decide_enrollments(
    api, create_user, create_enrollment, offering, trainer, participant, who, status, code
):
    enrollment = create_enrollment(offering=offering, user=participant, status='applied')
    callers = {
        'the_participant': lambda: participant,
        'trainer_of_offering': lambda: trainer,
        'other_participant': create_user,
    }
    caller = callers[who]() if who else None

    response = api('PATCH', _patch_url(enrollment), caller, json={'status': 'accepted'})

    assert_error(response, status, code)
    assert Enrollment.query.one().status == 'applied'
    assert audited() == []


@pytest.mark.parametrize('enrollment_id', [9999, 2**40])
def test_deciding_an_unknown_enrollment_is_404(api, admin, enrollment_id):
    response = api(
        'PATCH', f'/api/v1/enrollments/{enrollment_id}', admin, json={'status': 'accepted'}
    )

    assert_error(response, 404, 'not_found')


@pytest.mark.parametrize('body', [{}, {'status': 'approved'}, {'status': None}, {'status': 1}])
def test_an_invalid_status_is_422_and_changes_nothing(api, admin, create_enrollment, body):
    enrollment = create_enrollment(status='applied')

    response = api('PATCH', _patch_url(enrollment), admin, json=body)

    assert_error(response, 422, 'invalid', fields={'status'})
    assert Enrollment.query.one().status == 'applied'
    assert audited() == []


def test_accepting_into_a_full_offering_is_a_conflict(
    api, admin, create_offering, create_enrollment
):
    offering = create_offering(capacity=1)
    create_enrollment(offering=offering, status='accepted')
    waiting = create_enrollment(offering=offering, status='waitlisted')

    response = api('PATCH', _patch_url(waiting), admin, json={'status': 'accepted'})

    assert_error(response, 409, 'conflict', fields={'status'})
    assert _status(waiting) == 'waitlisted'


def _status(enrollment):
    return Enrollment.query.filter_by(id=enrollment.id).one().status


@pytest.mark.parametrize(
    'change',
    [
        {'status': 'cancelled'},
        {'status': 'completed'},
        {'starts_on': date(2025, 3, 2), 'ends_on': date(2025, 3, 3)},  # over
        {'applications_close_on': date(2025, 1, 1)},
        {'applications_open_on': date(2099, 1, 1), 'ends_on': date(2099, 1, 2)},
    ],
)
def test_a_participant_applies_through_the_api_only_where_the_page_lets_them(
    api, client, login, db, offering, participant, change
):
    for name, value in change.items():
        setattr(offering, name, value)
    db.session.commit()
    response = api('POST', _url(offering), participant, json={})
    assert_error(response, 403, 'forbidden')
    assert count(Enrollment) == 0
    login(participant)
    page = client.post(f'/catalogue/offerings/{offering.id}/apply', data={})
    assert page.status_code == 302 and count(Enrollment) == 0  # the page refuses it too


def test_a_draft_offering_is_not_there_for_a_participant_applying_through_the_api(
    api, client, login, db, offering, participant
):
    offering.status = 'draft'
    db.session.commit()
    assert_error(api('POST', _url(offering), participant, json={}), 404, 'not_found')
    login(participant)
    assert client.post(f'/catalogue/offerings/{offering.id}/apply', data={}).status_code == 404
    assert count(Enrollment) == 0
