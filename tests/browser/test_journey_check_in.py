"""Journey 2: a participant checks in by scanning the trainer's QR code while logged out.

The trainer's laptop shows the check-in screen of the session under way; the test reads
its QR code from the screen as a phone's camera does (zxing-cpp on a screenshot of it).
The participant's phone opens that address logged out, is sent to log in, logs in, and is
checked in, although by then the code on the screen has changed (the pending-scan rule,
lms/attendance/checkin.py): the server's clock is moved on a minute before the login.
The trainer's screen then counts one more present.
"""

from datetime import timedelta
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

import lms.checkin.views
from lms.demo.vocabulary import ACCOUNTS
from lms.extensions import utcnow
from tests.browser.journeys import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser

CHECKED_IN = {'ka': 'ადგილზე რეგისტრაცია შესრულებულია', 'en': 'You are checked in'}
PARTICIPANT = next(a[3] for a in ACCOUNTS if a[0] == 'participant')  # the Georgian name
EXPIRED = {'ka': 'კოდს ვადა გაუვიდა', 'en': 'has expired'}


def scan(locator):
    """What a camera reads in the QR code the locator shows."""
    [code] = zxingcpp.read_barcodes(Image.open(BytesIO(locator.screenshot())))
    return code.text


def test_a_participant_checks_in_by_scanning_the_qr_code_before_logging_in(
    journey, academy, monkeypatch
):
    session = academy['session_now']
    screen = journey.open(LAPTOP)
    log_in(screen, academy['accounts']['trainer'])
    screen.goto(f'/teach/sessions/{session}/check-in')
    expect(screen.locator('#qr')).to_be_visible()
    present = int(screen.locator('#present').inner_text())
    address = scan(screen.locator('.check-in-qr'))
    assert address.startswith(f'{academy["base"]}/check-in/{session}/'), address
    journey.look(screen, 'trainer-check-in-screen', keyboard=True)

    phone = journey.open(PHONE)
    phone.goto(address)
    assert '/login' in phone.url  # sent to log in, the scan remembered
    journey.look(phone, 'log-in-to-check-in', both=False)

    # A minute later, when the participant has logged in, the scanned code is stale...
    later = utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(lms.checkin.views, 'utcnow', lambda: later)
    elsewhere = journey.open(PHONE)
    log_in(elsewhere, academy['accounts']['participant'])
    elsewhere.goto(address)
    expect(elsewhere.locator('main')).to_contain_text(EXPIRED['ka'])

    # ...yet the phone that scanned it before logging in goes on to the check-in.
    log_in(phone, academy['accounts']['participant'])
    assert phone.url == address
    journey.look(phone, 'confirm-check-in', both=False, keyboard=True)
    with phone.expect_navigation():
        phone.locator('main form button[type="submit"]').tap()
    expect(phone.locator('.alert-success')).to_contain_text(CHECKED_IN['ka'])
    journey.look(phone, 'checked-in', both=False)

    # The trainer's screen, which asks the server every few seconds, counts them.
    expect(screen.locator('#present')).to_have_text(str(present + 1), timeout=15_000)
    screen.goto(f'/teach/sessions/{session}/roster')
    name = screen.locator('legend', has_text=PARTICIPANT)
    row = screen.locator('fieldset.roster-row', has=name)
    expect(row.locator('input[value="present"]')).to_be_checked()
    journey.look(screen, 'roster-after-check-in')
