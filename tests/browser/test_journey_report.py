"""Journey 11: a trainer takes an ended offering's report away.

On a laptop the demo trainer opens the completion view of an offering they taught that
has ended, and downloads its report as XLSX and as CSV. The workbook, opened with
openpyxl, and the CSV, read as UTF-8 with its byte-order mark, hold one row per person
of the page, each with the same Georgian name, final attendance and certificate serial
as the page shows; the attendance matrix has a column per session. In English the same
download has English headings and the same figures.
"""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.journeys import LAPTOP, log_in, switch_language

pytestmark = pytest.mark.browser


def page_rows(page):
    """{Georgian name: (final attendance %, serial or '')} as the completion view shows."""
    rows = {}
    for row in page.locator('table.completion tbody tr').all():
        name = row.locator('th').evaluate('th => th.firstChild.textContent').strip()
        pct = row.locator('td').first.inner_text().strip().rstrip('%').replace(',', '.')
        serial = row.locator('a.badge .font-monospace')
        rows[name] = (
            Decimal(re.sub(r'\s', '', pct)),
            serial.inner_text() if serial.count() else '',
        )
    return rows


def download(page, suffix, folder):
    with page.expect_download() as started:
        page.locator(f'a[href$="/report.{suffix}"]').first.click()
    path = folder / started.value.suggested_filename
    started.value.save_as(path)
    assert path.suffix == f'.{suffix}'
    return path


def table(cells, heading):
    """The rows below the line that starts with '№', as {Georgian name: row}."""
    cells = [list(r) for r in cells]
    start = next(i for i, r in enumerate(cells) if r and r[0] == '№')
    head = cells[start]
    assert head[-1] == heading, head
    return head, {r[1]: r for r in cells[start + 1 :] if r and r[1]}


def test_a_trainer_downloads_the_report_of_an_ended_offering(journey, academy, tmp_path):
    page = journey.open(LAPTOP)
    log_in(page, academy['accounts']['trainer'])
    page.goto(f'/teach/offerings/{academy["finished_offering"]}/completion')
    shown = page_rows(page)
    assert any(serial for _, serial in shown.values())
    journey.look(page, 'completion-with-report')

    book = openpyxl.load_workbook(download(page, 'xlsx', tmp_path), read_only=True)
    try:
        head, rows = table(book.active.iter_rows(values_only=True), 'სერტიფიკატის სერიული ნომერი')
    finally:
        book.close()
    final, serial = head.index('საბოლოო დასწრება, %'), head.index('სერტიფიკატის სერიული ნომერი')
    sessions = head[4:final]
    assert sessions and all(re.search(r'\d{4}', str(s)) for s in sessions)
    assert {name: (Decimal(str(r[final])), r[serial] or '') for name, r in rows.items()} == shown

    text = download(page, 'csv', tmp_path).read_bytes()
    assert text.startswith(b'\xef\xbb\xbf')  # Excel reads Georgian from UTF-8 only with it
    head_csv, rows_csv = table(
        csv.reader(io.StringIO(text.decode('utf-8-sig'))), 'სერტიფიკატის სერიული ნომერი'
    )
    assert head_csv == [str(h) for h in head]
    assert {n: (Decimal(r[final]), r[serial]) for n, r in rows_csv.items()} == shown

    switch_language(page, 'en')
    expect(page.locator('h1')).to_have_text('Completion')
    book = openpyxl.load_workbook(download(page, 'xlsx', tmp_path), read_only=True)
    try:
        head_en, rows_en = table(book.active.iter_rows(values_only=True), 'Certificate serial')
    finally:
        book.close()
    assert 'Final attendance, %' in head_en
    assert set(rows_en) == set(shown)
    switch_language(page, 'ka')
