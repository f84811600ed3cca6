"""The permissions module as a table of roles × actions: one place decides, and here is what."""

from datetime import date, timedelta

import pytest
from flask_login import AnonymousUserMixin

from lms import permissions
from lms.models import ApiToken, Enrollment, Offering, Organization, User


def _people():
    admin = User(id=1, role='admin', is_active=True)
    trainer = User(id=2, role='trainer', is_active=True)
    other_trainer = User(id=3, role='trainer', is_active=True)
    participant = User(id=4, role='participant', is_active=True)
    other_participant = User(id=5, role='participant', is_active=True)
    soon = date.today() + timedelta(days=30)  # published and taking applications
    offering = Offering(id=10, trainers=[trainer], status='published', starts_on=soon, ends_on=soon)
    enrollment = Enrollment(id=20, offering=offering, user_id=participant.id)
    return (
        {
            'admin': admin,
            'trainer of the offering': trainer,
            'other trainer': other_trainer,
            'the participant': participant,
            'other participant': other_participant,
            'anonymous': AnonymousUserMixin(),
        },
        offering,
        enrollment,
        participant,
    )


ACTIONS = {
    'administer the academy': lambda who, o, e, p: permissions.can_administer(who),
    'manage the offering (roster, scores, completion)': lambda who, o, e, p: (
        permissions.can_manage_offering(who, o)
    ),
    'see the enrollment': lambda who, o, e, p: permissions.can_see_enrollment(who, e),
    'enroll the participant': lambda who, o, e, p: permissions.can_enroll(who, o, p.id),
    'decide the enrollment status': lambda who, o, e, p: permissions.can_set_enrollment_status(
        who, e
    ),
    "see and revoke the participant's API token": lambda who, o, e, p: permissions.can_manage_token(
        who, ApiToken(user_id=p.id)
    ),
    # The participant is the contact person of one organisation, not of the other.
    "see the people of the participant's organisation": lambda who, o, e, p: (
        permissions.can_see_organization_people(who, Organization(id=30, contacts=[p]))
    ),
    'see the people of another organisation': lambda who, o, e, p: (
        permissions.can_see_organization_people(who, Organization(id=31, contacts=[]))
    ),
    'record, change and delete consultations': lambda who, o, e, p: (
        permissions.can_manage_consultations(who)
    ),
}

#: action → the roles allowed; every other role is refused.
ALLOWED = {
    'administer the academy': {'admin'},
    'manage the offering (roster, scores, completion)': {'admin', 'trainer of the offering'},
    'see the enrollment': {'admin', 'trainer of the offering', 'the participant'},
    'enroll the participant': {'admin', 'the participant'},
    'decide the enrollment status': {'admin'},
    "see and revoke the participant's API token": {'the participant'},
    "see the people of the participant's organisation": {'admin', 'the participant'},
    'see the people of another organisation': {'admin'},
    'record, change and delete consultations': {'admin'},
}
ROLES = [
    'admin',
    'trainer of the offering',
    'other trainer',
    'the participant',
    'other participant',
    'anonymous',
]


@pytest.mark.parametrize('action', list(ACTIONS))
@pytest.mark.parametrize('role', ROLES)
def test_permission_table(app, role, action):
    people, offering, enrollment, participant = _people()
    allowed = ACTIONS[action](people[role], offering, enrollment, participant)
    assert allowed == (role in ALLOWED[action]), f'{role} / {action}'
