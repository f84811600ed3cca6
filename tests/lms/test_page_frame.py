"""The frame of every page: the header with its menu, and the footer.

How these look at a phone's and a laptop's width is checked in a browser
(tests/browser); here, what the HTML holds.
"""

import re

import pytest

VERIFY_WORDS = {'ka': 'სერტიფიკატის შემოწმება', 'en': 'Verify a certificate'}
ADMIN_LISTS = [
    '/admin/offerings',
    '/admin/courses',
    '/admin/enrollments',
    '/admin/people',
    '/admin/organizations',
    '/admin/signatories',
    '/admin/certificates',
]


def part(html, tag):
    """The first <tag>…</tag> of the page."""
    found = re.search(rf'<{tag}\b.*?</{tag}>', html, re.S)
    assert found, f'the page has no <{tag}>'
    return found.group(0)


def verify_link(html, language):
    return re.search(
        r'<a [^>]*href="/verify"[^>]*>\s*<i [^>]*></i>\s*' + VERIFY_WORDS[language], html
    )


@pytest.fixture
def page(client, db):
    """The HTML of `path` in `language`."""

    def _page(path, language='ka'):
        db.session.commit()
        with client.session_transaction() as session:
            session['locale'] = language
        response = client.get(path)
        assert response.status_code in (200, 404), f'{path} answers {response.status_code}'
        return response.text

    return _page


@pytest.mark.parametrize('language', ['ka', 'en'])
@pytest.mark.parametrize(
    'path', ['/', '/catalogue/', '/verify', '/verify/K7QM-3XWD-9P2F', '/login', '/register']
)
def test_every_public_page_links_to_verification_in_header_and_footer(page, path, language):
    html = page(path, language)
    assert verify_link(part(html, 'header'), language)
    assert verify_link(part(html, 'footer'), language)


@pytest.mark.parametrize('role', ['participant', 'trainer', 'admin'])
def test_logged_in_people_see_the_verification_link_too(page, login, create_user, role):
    login(create_user(role=role))
    for language in ('ka', 'en'):
        html = page('/home', language)
        assert verify_link(part(html, 'header'), language)
        assert verify_link(part(html, 'footer'), language)


def test_the_verification_link_is_not_behind_the_phone_menu_button(page):
    header = part(page('/'), 'header')
    assert header.index('href="/verify"') < header.index('id="mainnav"')


def test_the_verification_link_marks_the_verification_page_as_current(page):
    link = re.search(r'<a [^>]*href="/verify"[^>]*>', part(page('/verify'), 'header')).group(0)
    assert 'aria-current="page"' in link
    link = re.search(r'<a [^>]*href="/verify"[^>]*>', part(page('/'), 'header')).group(0)
    assert 'aria-current' not in link


def test_the_menu_opens_at_laptop_widths_not_only_at_1400_px(page):
    header = part(page('/'), 'header')
    assert 'navbar-expand-lg' in header
    assert 'navbar-expand-xxl' not in header


def test_admin_pages_are_one_menu_group_that_needs_no_javascript(page, login, create_user):
    login(create_user(role='admin'))
    header = part(page('/home', 'en'), 'header')
    group = part(header, 'details')
    assert re.search(r'<summary[^>]*>\s*Administration\s*</summary>', group)
    assert 'data-bs-toggle' not in group
    for path in ADMIN_LISTS:
        assert f'href="{path}"' in group


@pytest.mark.parametrize('role', ['participant', 'trainer'])
def test_others_see_no_admin_menu_group(page, login, create_user, role):
    login(create_user(role=role))
    header = part(page('/home'), 'header')
    assert '<details' not in header
    assert not any(f'href="{path}"' in header for path in ADMIN_LISTS)


def test_the_menu_marks_the_page_being_shown(page, login, create_user):
    login(create_user(role='admin'))
    header = part(page('/admin/people'), 'header')
    assert re.search(
        r'<a class="dropdown-item active" href="/admin/people" aria-current="page"', header
    )
    assert re.search(r'<summary class="nav-link dropdown-toggle active"', header)
    assert header.count('aria-current="page"') == 1
