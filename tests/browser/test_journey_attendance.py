"""Journey 1: a trainer on a phone records today's session, and the completion view follows.

The fixture adds a session that began a quarter of an hour ago to the offering the demo
trainer teaches now. The trainer logs in through the form (after a wrong password, whose
error the field announces), opens that offering and today's roster, taps one status for
each person, saves, and sees each person's attendance so far move in the completion view.
Then the same save once more with JavaScript off: the page is a plain form.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import PHONE, assert_error_announced, log_in

pytestmark = pytest.mark.browser

WRONG_PASSWORD = {'ka': 'ელ. ფოსტა ან პაროლი არასწორია.', 'en': 'Wrong e-mail or password.'}
#: A person's Georgian name: the words before the first element of a row's heading.
FIRST_WORDS = 'el => el.firstChild.textContent.trim()'
SAVED = {'ka': 'დასწრება შენახულია', 'en': 'Attendance saved'}


def attendance_so_far(page):
    """Each person's attendance so far as the completion view shows it on a phone, by name."""
    figures = {}
    for row in page.locator('table.completion tbody tr').all():
        name = row.locator('th').evaluate(FIRST_WORDS)
        shown = row.locator('th .d-sm-none').inner_text()
        match = re.search(r'(\d+(?:[.,]\d+)?)\s*%', shown)
        figures[name] = float(match.group(1).replace(',', '.')) if match else 0.0
    return figures


def test_a_trainer_records_todays_session_on_a_phone(journey, academy):
    page = journey.open(PHONE)
    page.goto('/login')
    journey.look(page, 'login', keyboard=True)

    log_in(page, academy['accounts']['trainer'], 'not the password')
    assert page.url.endswith('/login')
    assert_error_announced(page, '#password', WRONG_PASSWORD['ka'])
    journey.look(page, 'login-wrong-password', both=False)

    log_in(page, academy['accounts']['trainer'])
    assert page.url.endswith('/home')
    journey.look(page, 'home')

    with page.expect_navigation():
        page.locator(f'main a[href="/teach/offerings/{academy["under_way"]}"]').tap()
    journey.look(page, 'offering')
    with page.expect_navigation():
        page.locator(f'main a[href="/teach/offerings/{academy["under_way"]}/completion"]').tap()
    before = attendance_so_far(page)
    journey.look(page, 'completion-before')

    with page.expect_navigation():
        page.locator('.breadcrumb a').nth(1).tap()
    with page.expect_navigation():
        page.locator(f'main a[href="/teach/sessions/{academy["session_now"]}/roster"]').tap()
    journey.look(page, 'roster', keyboard=True)

    rows = page.locator('#roster-form fieldset.roster-row').all()
    assert len(rows) == len(before) >= 3
    marked = {}
    for i, row in enumerate(rows):
        status = 'absent' if i == 0 else 'late' if i == 1 else 'present'
        row.locator(f'label[for$="-{status}"]').tap()  # one tap a person
        expect(row.locator(f'input[value="{status}"]')).to_be_checked()
        marked[row.locator('legend').evaluate(FIRST_WORDS)] = status
    with page.expect_navigation():
        page.locator('#roster-form button[type="submit"]:not([name])').tap()
    expect(page.locator('.alert-success')).to_contain_text(SAVED['ka'])
    journey.look(page, 'roster-saved')
    for row, status in zip(rows, marked.values(), strict=True):
        expect(row.locator(f'input[value="{status}"]')).to_be_checked()

    with page.expect_navigation():
        page.locator('.breadcrumb a').nth(1).tap()
    with page.expect_navigation():
        page.locator(f'main a[href="/teach/offerings/{academy["under_way"]}/completion"]').tap()
    after = attendance_so_far(page)
    journey.look(page, 'completion-after')
    assert after.keys() == before.keys() == marked.keys()
    for name, status in marked.items():
        if status == 'absent':
            assert after[name] == before[name], name
        else:
            assert after[name] > before[name], (name, before[name], after[name])


def test_the_roster_saves_without_javascript(journey, academy):
    page = journey.open(PHONE, javascript=False)
    log_in(page, academy['accounts']['trainer'])
    page.goto(f'/teach/sessions/{academy["session_now"]}/roster')
    journey.look(page, 'roster-no-js')
    row = page.locator('#roster-form fieldset.roster-row').first
    current = row.locator('input:checked').get_attribute('value')
    status = 'excused' if current != 'excused' else 'present'
    row.locator(f'label[for$="-{status}"]').tap()
    with page.expect_navigation():
        page.locator('#roster-form button[type="submit"]:not([name])').tap()
    expect(page.locator('.alert-success')).to_contain_text(SAVED['ka'])
    expect(row.locator(f'input[value="{status}"]')).to_be_checked()

    # "Everyone present" saves at once without JavaScript (no confirmation to ask).
    with page.expect_navigation():
        page.locator('#all-present').tap()
    expect(page.locator('.alert-success')).to_contain_text(SAVED['ka'])
    checked = page.locator('#roster-form input[type=radio]:checked')
    assert checked.count() == page.locator('#roster-form fieldset.roster-row').count()
    for value in checked.all():
        expect(value).to_have_attribute('value', 'present')
    journey.look(page, 'roster-no-js-saved')
