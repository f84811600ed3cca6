"""Fixtures of the lms tests beyond the shared ones."""

import pytest

from lms.attendance.service import record_attendance
from lms.awarding.service import issue_for_offering


@pytest.fixture
def filled(db, create_user, create_offering, create_enrollment, create_organization):
    """Two of everything the list pages show, certificates included; returns an admin."""
    admin = create_user(role='admin')
    for _ in range(2):
        offering = create_offering()
        enrollment = create_enrollment(
            offering=offering, user=create_user(organization=create_organization())
        )
        for offering_session in offering.sessions:
            record_attendance(
                offering_session,
                [{'enrollment_id': enrollment.id, 'status': 'present'}],
                actor=admin,
            )
        issue_for_offering(offering, actor=admin)
    db.session.commit()
    return admin
