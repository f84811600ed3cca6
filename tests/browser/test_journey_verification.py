"""Journey 5: a third party checks a certificate, and sees its revocation.

A stranger's phone scans the QR code printed on a certificate (read from the PDF's page
with pdftoppm and zxing-cpp) and sees *valid* in Georgian, switches to English; an admin
on a laptop revokes the certificate through the admin pages; the stranger's page then
says *revoked* with the public reason (not the admins' details); a PDF with one byte
changed is refused on /verify and the issued file is recognised. Then the same with the
keyboard alone on a laptop, and once more on a phone with JavaScript turned off.
"""

import subprocess

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.journeys import (
    LAPTOP,
    PHONE,
    assert_error_announced,
    language_of,
    log_in,
    switch_language,
)

pytestmark = pytest.mark.browser

VALID = {'ka': 'მოქმედი', 'en': 'Valid'}
REVOKED = {'ka': 'გაუქმებულია', 'en': 'Revoked on'}
AUTHENTIC = {'ka': 'ნამდვილი ფაილი', 'en': 'Authentic file'}
NOT_AUTHENTIC = {'ka': 'ფაილი ნამდვილი არ არის', 'en': 'Not an authentic file'}
TYPO = {'en': 'This looks like a typo'}
#: The public reason, from the fixed list, and the details only admins see.
CATEGORY = ('issued_in_error', 'Issued in error')
REASON = 'The participant did not attend the final session; issued by mistake.'


def qr_address(pdf, folder):
    """The address in the QR code printed on the certificate's first page."""
    (folder / 'certificate.pdf').write_bytes(pdf)
    subprocess.run(
        ['pdftoppm', '-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile',
         str(folder / 'certificate.pdf'), str(folder / 'page')],
        check=True,
    )  # fmt: skip
    [code] = zxingcpp.read_barcodes(Image.open(folder / 'page.png'))
    return code.text


def tampered(pdf):
    """The same file with one byte changed, in the middle of it."""
    middle = len(pdf) // 2
    return pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :]


def upload(page, data, name='certificate.pdf'):
    page.set_input_files('#file', {'name': name, 'mimeType': 'application/pdf', 'buffer': data})
    with page.expect_navigation():
        page.locator('form[enctype] button[type="submit"]').tap()


def another_valid_serial(academy):
    """A certificate journey 5 does not revoke."""
    revoked = academy['serial']
    return next(s for s in academy['held'] if s.replace('-', '') != revoked)


def test_a_third_party_checks_a_certificate_that_is_then_revoked(journey, academy, tmp_path):
    address = qr_address(academy['pdf'], tmp_path)
    assert address.startswith(f'{academy["base"]}/v/'), address
    phone = journey.open(PHONE)
    phone.goto(address)
    serial = phone.url.rsplit('/', 1)[1]
    assert serial.replace('-', '') == academy['serial']
    assert language_of(phone) == 'ka'
    expect(phone.locator('#verdict')).to_have_text(VALID['ka'])
    journey.look(phone, 'valid')
    switch_language(phone, 'en')
    expect(phone.locator('#verdict')).to_have_text(VALID['en'])

    admin = journey.open(LAPTOP)
    log_in(admin, academy['accounts']['admin'])
    admin.locator('#mainnav summary').click()
    with admin.expect_navigation():
        admin.locator('#mainnav a[href="/admin/certificates"]').click()
    admin.fill('input[name="q"]', serial)
    with admin.expect_navigation():
        admin.locator('main form[role="search"] button[type="submit"]').click()
    journey.look(admin, 'admin-finds-the-certificate')
    with admin.expect_navigation():
        admin.locator('main table a', has_text=serial).first.click()
    with admin.expect_navigation():
        admin.locator('main a[href$="/revoke"]').click()
    journey.look(admin, 'admin-revoke-form', keyboard=True)
    admin.select_option('select[name="category"]', CATEGORY[0])
    admin.fill('textarea[name="reason"]', REASON)
    with admin.expect_navigation():
        admin.locator('main form button[type="submit"]').click()
    expect(admin.locator('main')).to_contain_text(REASON)
    journey.look(admin, 'admin-revoked')

    phone.reload()
    expect(phone.locator('#verdict')).to_contain_text(REVOKED['en'])
    expect(phone.locator('.verification-banner')).to_contain_text(CATEGORY[1])
    expect(phone.locator('main')).not_to_contain_text(REASON)  # the details are the admins'
    journey.look(phone, 'revoked')

    phone.goto('/verify')
    upload(phone, tampered(academy['pdf']))
    expect(phone.locator('#verdict')).to_have_text(NOT_AUTHENTIC['en'])
    journey.look(phone, 'tampered-pdf-refused', both=False)
    upload(phone, academy['pdf'])
    expect(phone.locator('#verdict')).to_have_text(AUTHENTIC['en'])
    expect(phone.locator('.verification-banner')).to_contain_text(serial)
    journey.look(phone, 'issued-pdf-recognised', both=False)


def tab_to(page, condition, limit=80):
    """Press Tab until the focused element meets `condition` (a JS function of it)."""
    for _ in range(limit):
        page.keyboard.press('Tab')
        if page.evaluate(f'({condition})(document.activeElement)'):
            return
    raise AssertionError(f'{page.url}: Tab never reaches {condition}')


def test_verification_with_the_keyboard_alone(journey, academy, tmp_path):
    serial = another_valid_serial(academy)
    page = journey.open(LAPTOP)
    page.goto('/')
    page.keyboard.press('Tab')
    expect(page.locator(':focus')).to_have_attribute('href', '#content')  # skip link first
    tab_to(page, 'el => el.getAttribute("href") === "/verify"')
    with page.expect_navigation():
        page.keyboard.press('Enter')
    journey.look(page, 'verify', keyboard=True)

    # A mistyped serial: the field says so, and names the explanation.
    tab_to(page, 'el => el.id === "serial"')
    page.keyboard.type(serial[:-1] + ('X' if serial[-1] != 'X' else 'Y'))
    with page.expect_navigation():
        page.keyboard.press('Enter')
    expect(page.locator('#verdict')).to_be_visible()
    assert_error_announced(page, '#serial', page.locator('#verdict').inner_text())
    journey.look(page, 'mistyped-serial', keyboard=True)

    page.goto('/verify')
    tab_to(page, 'el => el.id === "serial"')
    page.keyboard.type(serial.lower().replace('-', ' '))
    with page.expect_navigation():
        page.keyboard.press('Enter')
    expect(page.locator('#verdict')).to_have_text(VALID['ka'])
    journey.look(page, 'valid-by-keyboard', keyboard=True)

    tab_to(page, 'el => el.getAttribute("lang") === "en"')
    with page.expect_navigation():
        page.keyboard.press('Enter')
    expect(page.locator('#verdict')).to_have_text(VALID['en'])

    # Files sent with the keyboard. Nothing chosen: the browser keeps the form and puts the
    # focus on the field it needs; a file that is no PDF: the page says so, by the field;
    # a changed PDF: refused.
    page.goto('/verify')
    tab_to(page, 'el => el.matches("form[enctype] button[type=submit]")')
    page.keyboard.press('Enter')
    expect(page.locator('#file:focus:invalid')).to_be_visible()
    (tmp_path / 'notes.pdf').write_text('not a certificate', encoding='utf-8')
    (tmp_path / 'changed.pdf').write_bytes(tampered(academy['pdf']))
    page.set_input_files('#file', tmp_path / 'notes.pdf')
    tab_to(page, 'el => el.matches("form[enctype] button[type=submit]")')
    with page.expect_navigation():
        page.keyboard.press('Enter')
    assert_error_announced(page, '#file', 'This is not a PDF file.')
    journey.look(page, 'not-a-pdf', both=False)

    page.goto('/verify')
    tab_to(page, 'el => el.id === "file"')
    # The system's file dialog is no part of the page (and headless Chromium opens it from
    # a key press only now and then): the file is given to the focused field directly.
    page.locator('#file:focus').set_input_files(tmp_path / 'changed.pdf')
    tab_to(page, 'el => el.matches("form[enctype] button[type=submit]")')
    with page.expect_navigation():
        page.keyboard.press('Enter')
    expect(page.locator('#verdict')).to_have_text(NOT_AUTHENTIC['en'])


def test_verification_works_without_javascript(journey, academy):
    serial = another_valid_serial(academy)
    phone = journey.open(PHONE, javascript=False)
    phone.goto('/verify')
    phone.fill('#serial', serial)
    with phone.expect_navigation():
        phone.locator('form[role="search"] button[type="submit"]').tap()
    expect(phone.locator('#verdict')).to_have_text(VALID['ka'])
    journey.look(phone, 'valid-no-js')
    switch_language(phone, 'en')  # the menu is open without JavaScript
    expect(phone.locator('#verdict')).to_have_text(VALID['en'])
    phone.goto('/verify')
    upload(phone, tampered(academy['pdf']))
    expect(phone.locator('#verdict')).to_have_text(NOT_AUTHENTIC['en'])
    journey.look(phone, 'tampered-pdf-refused-no-js', both=False)
