"""Every list page that has pages, and a database with at least two rows on each of them."""

from pathlib import Path

import pytest

from lms.attendance.service import record_attendance
from lms.certification.service import issue_for_offering

#: Every list page with a pager. test_every_list_with_a_pager_is_listed keeps it complete.
LIST_PAGES = {
    'admin.courses': '/admin/courses',
    'admin.offerings': '/admin/offerings',
    'admin.people': '/admin/people',
    'admin.organizations': '/admin/organizations',
    'admin.enrollments': '/admin/enrollments',
    'admin.certificates': '/admin/certificates',
    'catalogue.index': '/catalogue/',
}
TEMPLATES = Path(__file__).resolve().parents[2] / 'lms'


@pytest.fixture
def filled(db, create_user, create_offering, create_enrollment, create_organization, login):
    """Two of everything the lists show, a certificate included; an admin logged in."""
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
    return login(admin)
