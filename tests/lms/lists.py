"""Every list page that has pages (conftest.filled puts two rows on each of them)."""

import html
import re
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
#: Of those, the long lists: keyset pages (?after= / ?before=), "previous" and "next" only.
KEYSET_PAGES = {
    'admin.people',
    'admin.enrollments',
    'admin.certificates',
    'admin.mail',
    'admin.audit',
    'admin.applications',
}
TEMPLATES = Path(__file__).resolve().parents[2] / 'lms'


def pager_link(response, rel):
    """The address of the pager's "next" or "prev" link, or None when it has none."""
    match = re.search(rf'<a class="page-link" href="([^"]+)" rel="{rel}">', response.text)
    return html.unescape(match.group(1)) if match else None
