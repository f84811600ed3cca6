"""Every list page that has pages (conftest.filled puts two rows on each of them)."""

from pathlib import Path

#: Every list page with a pager. test_every_list_with_a_pager_is_listed keeps it complete.
LIST_PAGES = {
    'admin.courses': '/admin/courses',
    'admin.offerings': '/admin/offerings',
    'admin.people': '/admin/people',
    'admin.organizations': '/admin/organizations',
    'admin.enrollments': '/admin/enrollments',
    'admin.certificates': '/admin/certificates',
    'admin.mail': '/admin/mail',
    'admin.audit': '/admin/audit',
    'catalogue.index': '/catalogue/',
    'organizations.index': '/organizations',
    'admin.consultations': '/admin/consultations',
}
#: List pages of one offering, with a pager; tests/lms/test_applications.py pages through them.
OFFERING_LIST_PAGES = {
    'admin.applications': '/admin/offerings/{id}/applications',
}
#: The staff of one organisation; tests/lms/test_organization_pages.py pages through it.
ORGANIZATION_LIST_PAGES = {
    'organizations.people': '/organizations/{id}/people',
}
TEMPLATES = Path(__file__).resolve().parents[2] / 'lms'
