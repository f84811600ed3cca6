"""Journey 7: a visitor on a phone opens "In numbers", narrows the years, downloads the XLSX.

From the menu to /stats; the year form narrows the range to one year and the figures
change; the XLSX downloaded from that page holds the figures the page shows (read with
openpyxl).
"""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.journeys import PHONE

pytestmark = pytest.mark.browser

IN_NUMBERS = {'ka': 'ციფრებში', 'en': 'In numbers'}


def figure(page, code):
    """A headline figure as the page shows it (grouped digits), as a number."""
    return int(re.sub(r'\D', '', page.locator(f'[data-figure="{code}"]').inner_text()))


def test_a_visitor_narrows_the_years_and_downloads_the_xlsx(journey, tmp_path):
    page = journey.open(PHONE)
    page.goto('/')
    page.locator('.navbar-toggler').tap()
    link = page.locator('#mainnav a[href="/stats"]')
    expect(link).to_have_text(IN_NUMBERS['ka'])
    with page.expect_navigation():
        link.tap()
    first = int(page.locator('#year-from').input_value())
    last = int(page.locator('#year-to').input_value())
    assert first < last, (first, last)
    everything = {code: figure(page, code) for code in ('applications', 'participants')}
    journey.look(page, 'all-years', keyboard=True)

    year = last - 1
    page.fill('#year-from', str(year))
    page.fill('#year-to', str(year))
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').tap()
    assert f'from={year}' in page.url and f'to={year}' in page.url, page.url
    expect(page.locator('main table caption').first).to_contain_text(f'{year}–{year}')
    one_year = {code: figure(page, code) for code in everything}
    for code, n in one_year.items():
        assert 0 < n < everything[code], (code, n, everything[code])
    journey.look(page, 'one-year')

    xlsx = page.locator('main a[href^="/stats.xlsx"]')
    expect(xlsx).to_have_attribute('href', re.compile(f'from={year}.*to={year}'))
    with page.expect_download() as download:
        xlsx.tap()
    assert download.value.suggested_filename == f'academy-in-numbers-{year}-{year}.xlsx'
    path = tmp_path / 'figures.xlsx'
    download.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()  # read-only workbooks keep their file open until closed
    assert rows[0][1] == f'{year}–{year}', rows[0]
    headline = {row[1]: row[3] for row in rows[2:] if row[0] == 'headline'}
    assert headline['participants'] == one_year['participants'], headline
    assert headline['applications'] == one_year['applications'], headline
