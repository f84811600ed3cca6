"""Pages as people see them: on a 360 px phone and on laptops, in Georgian and English.

Every page must fit a phone without sideways scrolling, tables included; the link to
check a certificate must show in the header and the footer; on laptops the menu is open.
"""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {'width': 360, 'height': 800}
LANGUAGES = ['ka', 'en']
VERIFY_WORDS = {'ka': 'სერტიფიკატის შემოწმება', 'en': 'Verify a certificate'}

#: What sticks out past the right edge of the screen or of a table's scrolling box.
STICKING_OUT = """() => {
  const found = [];
  const edges = [[document.body, window.innerWidth],
                 ...Array.from(document.querySelectorAll('.table-responsive'),
                               box => [box, box.getBoundingClientRect().right])];
  const scrolledAway = (el, root) => {  // inside a box of its own that scrolls
    for (let box = el.parentElement; box && box !== root; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const [root, edge] of edges) {
    for (const el of root.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > edge + 0.5 && !el.querySelector('*')
          && !scrolledAway(el, root)) {
        const words = (el.textContent || '').trim().slice(0, 40);
        found.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${words}` +
                   ` (to ${Math.round(box.right)} px)`);
      }
    }
  }
  return found.slice(0, 5);
}"""


def show(page, path, language, viewport=PHONE, status=200):
    """Open `path` in `language` (chosen as a reader does, through the language link)."""
    page.set_viewport_size(viewport)
    response = page.goto(f'/language/{language}?next={quote(path)}')
    assert response.status == status, f'{path} answers {response.status}'
    assert page.evaluate('document.documentElement.lang') == language
    page.evaluate('document.fonts.ready.then(() => true)')  # widths in the served font
    return page


def assert_fits_the_screen(page):
    """No sideways scrolling: neither of the page nor inside any of its tables."""
    page_overflow = page.evaluate('document.documentElement.scrollWidth - window.innerWidth')
    table_overflow = page.evaluate(
        "Math.max(0, ...Array.from(document.querySelectorAll('.table-responsive'),"
        ' box => box.scrollWidth - box.clientWidth))'
    )
    assert page_overflow <= 0 and table_overflow <= 0, (
        f'{page.url}: the page is {page_overflow} px and a table {table_overflow} px too wide: '
        f'{page.evaluate(STICKING_OUT)}'
    )


def assert_links_to_verification(page, language):
    for part in ('header', 'footer'):
        link = page.locator(f'{part} a[href="/verify"]')
        expect(link).to_be_visible()
        expect(link).to_contain_text(VERIFY_WORDS[language])


PUBLIC_PAGES = {
    'home': '/',
    'catalogue': '/catalogue/',
    'offering': '/catalogue/offerings/{upcoming_offering}',
    'verify': '/verify',
    'valid-certificate': '/verify/{serial}',
    'revoked-certificate': '/verify/{revoked_serial}',
    'mistyped-serial': '/verify/' + 'K7QM3XWD9P2F' * 8,
    'organisations': '/organizations',
    'organisation': '/organizations/{consulted}',
}
NOT_FOUND = {'mistyped-serial'}
#: Who looks at which page: the admin lists, a certificate's page, the completion view.
STAFF_PAGES = {
    'courses': ('admin', '/admin/courses'),
    'offerings': ('admin', '/admin/offerings'),
    'people': ('admin', '/admin/people'),
    'organisations': ('admin', '/admin/organizations'),
    'applications': ('admin', '/admin/enrollments'),
    'certificates': ('admin', '/admin/certificates'),
    'signatories': ('admin', '/admin/signatories'),
    'organisation-for-admins': ('admin', '/organizations/{consulted}'),
    'organisation-staff': ('admin', '/organizations/{consulted}/people'),
    'consultations': ('admin', '/admin/consultations'),
    'consultation-form': ('admin', '/admin/consultations/{consultation_id}/edit?q=a'),
    'revoked-certificate': ('admin', '/admin/certificates/{revoked_id}'),
    'revoke-form': ('admin', '/admin/certificates/{certificate_id}/revoke'),
    'reissue-form': ('admin', '/admin/certificates/{certificate_id}/reissue'),
    'completion': ('trainer', '/teach/offerings/{finished_offering}/completion'),
    'completion-before-the-end': ('trainer', '/teach/offerings/{upcoming_offering}/completion'),
    'my-certificates': ('participant', '/certificates/mine'),
}


@pytest.fixture(scope='module')
def known(academy, revoked_serial):
    """What page addresses are made of, the revoked certificate included."""
    return {**academy, 'revoked_serial': revoked_serial, 'revoked_id': academy['to_revoke'][0]}


@pytest.mark.parametrize('language', LANGUAGES)
@pytest.mark.parametrize('name', PUBLIC_PAGES)
def test_public_pages_fit_a_phone_and_link_to_verification(visitor, known, look, name, language):
    status = 404 if name in NOT_FOUND else 200
    page = show(visitor(), PUBLIC_PAGES[name].format(**known), language, status=status)
    look(page)
    assert_fits_the_screen(page)
    assert_links_to_verification(page, language)
    expect(page.locator('#mainnav')).to_be_hidden()  # the menu waits behind its button


def test_the_public_reason_is_the_category_and_the_long_detail_wraps_for_admins(visitor, known):
    public = show(visitor(), PUBLIC_PAGES['revoked-certificate'].format(**known), 'en')
    expect(public.locator('.verification-banner')).to_contain_text('Reason: Misconduct')
    assert 'R' * 150 not in public.content()  # the detail is the admins' alone
    admin = show(visitor('admin'), STAFF_PAGES['revoked-certificate'][1].format(**known), 'en')
    detail = admin.locator('.alert-danger', has_text='R' * 150)
    expect(detail).to_be_visible()
    assert detail.bounding_box()['width'] <= PHONE['width']


@pytest.mark.parametrize('language', LANGUAGES)
@pytest.mark.parametrize('name', STAFF_PAGES)
def test_staff_pages_fit_a_phone_without_sideways_scrolling(visitor, known, look, name, language):
    account, path = STAFF_PAGES[name]
    page = show(visitor(account), path.format(**known), language)
    look(page)
    assert_fits_the_screen(page)
    assert_links_to_verification(page, language)


@pytest.mark.parametrize('language', LANGUAGES)
@pytest.mark.parametrize('account', [None, 'participant', 'trainer', 'admin'])
def test_the_menu_is_open_on_laptops(visitor, look, account, language):
    page = show(visitor(account), '/catalogue/', language, {'width': 1280, 'height': 800})
    for width in (1280, 992):
        page.set_viewport_size({'width': width, 'height': 800})
        look(page, str(width))
        expect(page.locator('.navbar-toggler')).to_be_hidden()
        entries = page.locator('#mainnav .navbar-nav > .nav-item > :is(a, form, details)')
        assert entries.count() >= 3
        for entry in entries.all():
            expect(entry).to_be_visible()
            box = entry.bounding_box()
            assert box['x'] >= 0 and box['x'] + box['width'] <= width, entry.inner_text()
        if account == 'admin':
            expect(page.locator('#mainnav summary')).to_be_visible()
        assert_fits_the_screen(page)
        assert_links_to_verification(page, language)


def test_the_admin_menu_group_opens_without_javascript(visitor):
    page = show(
        visitor('admin', javascript=False), '/admin/courses', 'en', {'width': 1280, 'height': 800}
    )
    people = page.locator('#mainnav a[href="/admin/people"]')
    expect(people).to_be_hidden()
    page.click('#mainnav summary')
    expect(people).to_be_visible()
    with page.expect_navigation():
        people.click()
    assert page.url.endswith('/admin/people')


def test_the_admin_menu_group_closes_on_escape_or_a_click_elsewhere(visitor):
    page = show(visitor('admin'), '/admin/courses', 'en', {'width': 1280, 'height': 800})
    people = page.locator('#mainnav a[href="/admin/people"]')
    page.click('#mainnav summary')
    expect(people).to_be_visible()
    page.keyboard.press('Escape')
    expect(people).to_be_hidden()
    page.click('#mainnav summary')
    expect(people).to_be_visible()
    page.click('main h1')
    expect(people).to_be_hidden()


@pytest.mark.parametrize('language', LANGUAGES)
def test_the_tokens_page_with_a_token_fits_a_phone(visitor, look, language):
    """Expiry, status, last use and the revoke button of a token, without sideways scrolling."""
    page = visitor('trainer')
    page.set_viewport_size(PHONE)
    page.goto('/account/tokens')
    page.fill('input[name="name"]', 'HR')
    with page.expect_navigation():
        page.click('main form button[type="submit"]')
    page = show(page, '/account/tokens', language)
    look(page)
    assert_fits_the_screen(page)
    expect(page.locator('main table a.btn-outline-danger').first).to_be_visible()
