"""Journey 8: an admin imports five past years and sees them everywhere.

On a laptop an admin logs in through the form, opens "Past years" (/admin/history) and
checks a spreadsheet with a bad line: the check is a job, and this module's academy runs
its jobs on a queue, done by a Huey consumer (as in production), so the job's page shows
it waiting for a worker, then (the worker started) follows it by itself (the project's
JavaScript) to the dry run's verdict: the bad line with its line and reasons, nothing
changed. The good file is checked in a browser without JavaScript, whose job pages
reload themselves: its summary, the Import button, and the import's job to the end. /stats for
2011–2015 (years before the demo academy's data, which starts in 2016) then holds the
imported lines alone: its figures, tables and charts (SVG, with Georgian words drawn in a
font that has Georgian glyphs) and the XLSX agree with the figures worked out by hand
below. The admin records a consultation for Kutaisi from its page; a visitor who is not
logged in sees on that page the events it hosted, the consultation and its staff
trained, and no person's name; and one archive certificate number verifies on /verify as
recorded from the archive.
"""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import served_academy
from tests.browser.journeys import LAPTOP, log_in, switch_language

pytestmark = pytest.mark.browser

WAITING = 'ველოდებით შემსრულებელს…'


@pytest.fixture(scope='module')
def academy(tmp_path_factory):
    with served_academy(tmp_path_factory.mktemp('academy'), worker=True) as facts:
        yield facts


HEADER = (
    'starts_on,ends_on,kind,course_code,course_title_ka,course_title_en,hours,municipality,'
    'full_name_ka,email,gender,sector,organization,outcome,certificate_number'
)
KUTAISI, TELAVI, ZUGDIDI, GORI, BATUMI = 'ქუთაისი', 'თელავი', 'ზუგდიდი', 'გორი', 'ბათუმი'
CSO = 'სამოქალაქო ჩართულობის ცენტრი'
#: Seven people: (Georgian name, e-mail, gender, sector, organisation). P2 has no e-mail
#: (matched by name and organisation); P7 only ever applies and is rejected.
P1 = ('ნინო ფალავანდიშვილი', 'nino.p@old.example.ge', 'female', 'civil_servant', KUTAISI)
P2 = ('გიორგი ამილახვარი', '', 'male', 'civil_servant', GORI)
P3 = ('თამარ ერისთავი', 'tamar.e@old.example.ge', 'female', 'cso', CSO)
P4 = ('დავით ჩოლოყაშვილი', 'davit.ch@old.example.ge', 'male', 'civil_servant', TELAVI)
P5 = ('ეკა აბაშიძე', 'eka.a@old.example.ge', 'female', 'citizen', '')
P6 = ('ლევან დადიანი', 'levan.d@old.example.ge', 'male', 'civil_servant', ZUGDIDI)
P7 = ('მარიამ ორბელიანი', 'mariam.o@old.example.ge', 'female', 'civil_servant', BATUMI)
PEOPLE = (P1, P2, P3, P4, P5, P6, P7)

#: Three courses: code: (kind, Georgian title, English title, hours).
COURSES = {
    'HX-101': ('training', 'ადგილობრივი ბიუჯეტი', 'Local budget', 18),
    'HX-201': ('seminar', 'საჯარო ფინანსები', 'Public finance', 12),
    'HX-301': ('conference', 'ღია მმართველობა', 'Open government', 6),
}
#: Five events, one a year: (start, end, course, host municipality or '' for online).
E1 = ('2011-05-10', '2011-05-12', 'HX-101', KUTAISI)
E2 = ('2012-10-02', '2012-10-03', 'HX-201', TELAVI)
E3 = ('2013-03-14', '2013-03-14', 'HX-301', '')
E4 = ('2014-06-02', '2014-06-05', 'HX-101', KUTAISI)
E5 = ('2015-09-21', '2015-09-22', 'HX-201', ZUGDIDI)

#: The file's lines 2 to 19 (line 1 is the header): (event, person, outcome, paper
#: certificate number).
LINES = [
    (E1, P1, 'completed', 'AR-2011-001'),  # line 2
    (E1, P2, 'completed', 'AR-2011-002'),
    (E1, P3, 'accepted', ''),
    (E1, P4, 'rejected', ''),
    (E2, P4, 'completed', 'AR-2012-001'),  # line 6
    (E2, P5, 'withdrawn', ''),
    (E2, P1, 'accepted', ''),
    (E3, P1, 'accepted', ''),  # line 9
    (E3, P3, 'accepted', ''),
    (E3, P5, 'accepted', ''),
    (E3, P6, 'applied', ''),
    (E4, P2, 'completed', 'AR-2014-001'),  # line 13
    (E4, P6, 'completed', 'AR-2014-002'),
    (E4, P5, 'rejected', ''),
    (E4, P7, 'rejected', ''),
    (E5, P6, 'completed', ''),  # line 17
    (E5, P3, 'completed', 'AR-2015-001'),
    (E5, P4, 'withdrawn', ''),
]

# The figures for 2011–2015, by hand (README "The academy in numbers"):
#: Applications are lines of any outcome: training E1 4 + E4 4 = 8, seminar E2 3 + E5 3 =
#: 6, conference E3 4; 8 + 6 + 4 = 18.
APPLICATIONS_BY_KIND = {'training': 8, 'seminar': 6, 'conference': 4, 'forum': 0}
APPLICATIONS = 18
#: Accepted or completed, each person once a year: 2011 {P1, P2, P3}; 2012 {P4, P1};
#: 2013 {P1, P3, P5}; 2014 {P2, P6}; 2015 {P6, P3}.
PARTICIPANTS_BY_YEAR = {2011: 3, 2012: 2, 2013: 3, 2014: 2, 2015: 2}
#: {P1, P2, P3, P4, P5, P6}: P7 was only rejected.
PARTICIPANTS = 6
#: Hosts Kutaisi (E1, E4), Telavi (E2), Zugdidi (E5), the online E3 none; employers of
#: participants Kutaisi (P1), Gori (P2), Telavi (P4), Zugdidi (P6); Batumi employs P7, who
#: was rejected, and P3 works for a CSO: {Kutaisi, Telavi, Zugdidi, Gori} = 4.
MUNICIPALITIES = 4
#: Paper certificates by the year their event started: 2011 AR-2011-001, -002; 2012
#: AR-2012-001; 2013 none; 2014 AR-2014-001, -002; 2015 AR-2015-001 (P6's line has none).
CERTIFICATES_BY_YEAR = {2011: 2, 2012: 1, 2013: 0, 2014: 2, 2015: 1}
CERTIFICATES = 6  # 2 + 1 + 0 + 2 + 1
#: What importing creates: 5 events, P1 to P7, an enrollment a line, 6 paper certificates.
CREATED = {'offerings': 5, 'people': 7, 'enrollments': 18, 'certificates': 6}
#: Kutaisi's staff by the employer rule: P1 alone (2011, 2012, 2013: one person, counted
#: once in all), certified on paper in 2011 (AR-2011-001); it hosted E1 (2011) and E4
#: (2014); the consultation below is in 2015.
KUTAISI_BY_YEAR = {  # year: (staff trained, staff certified, events hosted, consultations)
    2011: (1, 1, 1, 0),
    2012: (1, 0, 0, 0),
    2013: (1, 0, 0, 0),
    2014: (0, 0, 1, 0),
    2015: (0, 0, 0, 1),
}
KUTAISI_ADDED = {'trained': 1, 'certified': 1, 'hosted': 2, 'consultations': 1}

CONSULTATION = {
    'held_on': '2015-11-20',
    'expert': 'ნათია მაისურაძე',
    'topic': 'სამოქალაქო ბიუჯეტის დანერგვა',
    'hours': '6',
}
CONSULTATION_DATE = {'ka': '2015 წლის 20 ნოემბერი', 'en': '20 November 2015'}
ARCHIVE_NUMBER = 'AR-2014-002'  # P6's, from E4


def spreadsheet(lines):
    rows = [HEADER]
    for (start, end, code, town), person, outcome, number in lines:
        kind, title_ka, title_en, hours = COURSES[code]
        event = (start, end, kind, code, title_ka, title_en, str(hours), town)
        rows.append(','.join((*event, *person, outcome, number)))
    return ('\n'.join(rows) + '\n').encode('utf-8')


def figure(page, code):
    """A figure as the page shows it (grouped digits), as a number."""
    return int(re.sub(r'\D', '', page.locator(f'[data-figure="{code}"]').inner_text()))


def table(page, key):
    """{row code: number} of the table under a chart of /stats."""
    rows = page.locator(f'table[data-section="{key}"] tbody tr')
    return {
        rows.nth(i).get_attribute('data-code'): int(
            re.sub(r'\D', '', rows.nth(i).locator('td').inner_text())
        )
        for i in range(rows.count())
    }


def municipality_figures(page):
    return {code: figure(page, code) for code in KUTAISI_ADDED}


def consultation_row(page, topic):
    """The row of the consultation on `topic`, following the list's pages to it."""
    for _ in range(20):
        row = page.locator('#consultations tbody tr', has_text=topic)
        if row.count():
            return row
        following = page.locator('#consultations a[rel="next"]')
        assert following.count(), f'{topic} is not among the consultations of {page.url}'
        with page.expect_navigation():
            following.click()
    raise AssertionError(f'{topic} not found in 20 pages')


def assert_no_personal_data(page):
    """Nobody's name or address on an organisation's public page, nor its certified
    people."""
    text = page.locator('main').inner_text()
    for name, email, *_rest in PEOPLE:
        assert name not in text and (not email or email not in text), (page.url, name)
    expect(page.locator('#certified')).to_have_count(0)
    expect(page.locator('main a[href*="/admin/"]')).to_have_count(0)


def upload(page, name, data):
    page.set_input_files('#file', files=[{'name': name, 'mimeType': 'text/csv', 'buffer': data}])
    with page.expect_navigation():
        page.locator('main form[enctype] button[type="submit"]').click()


def test_an_admin_imports_five_past_years_and_sees_them_everywhere(journey, academy, tmp_path):
    # Kutaisi's public page before the import, as a visitor finds it.
    visitor = journey.open(LAPTOP)
    visitor.goto(f'/organizations?q={KUTAISI}')
    journey.look(visitor, 'organisations')
    with visitor.expect_navigation():
        visitor.get_by_role('link', name=KUTAISI, exact=True).click()
    kutaisi_url = visitor.url
    assert re.search(r'/organizations/\d+$', kutaisi_url), kutaisi_url
    before = municipality_figures(visitor)

    page = journey.open(LAPTOP)
    page.goto('/login')
    log_in(page, academy['accounts']['admin'])
    page.goto('/admin/history')
    journey.look(page, 'history')

    # A bad line: the dry run names it with its line and each reason, and saves nothing.
    # Line 20: a host misspelt and an outcome the import does not know. The good lines
    # before it are not saved either: the good file's dry run below still creates them all.
    bad = (('2015-10-05', '2015-10-05', 'HX-301', 'ქუთაის'), P5, 'graduated', '')
    upload(page, 'past-years-bad.csv', spreadsheet([*LINES, bad]))
    assert re.search(r'/jobs/\d+$', page.url), page.url  # the check is a job
    expect(page.locator('main [role="status"]')).to_have_text(WAITING)
    journey.look(page, 'dry-run-waits-for-a-worker', both=False)
    academy['worker'].start()
    # The page follows the job by itself (no reload by the test) to the verdict.
    expect(page.locator('main .alert-danger')).to_be_visible(timeout=30_000)
    problems = page.locator('main table tbody tr')
    expect(problems).to_have_count(1)
    expect(problems.locator('td').first).to_have_text('20')
    expect(problems.locator('td').nth(1)).to_contain_text('municipality')
    expect(problems.locator('td').nth(1)).to_contain_text('outcome')
    expect(page.locator('main form button[type="submit"]')).to_have_count(0)  # no import
    journey.look(page, 'dry-run-bad-line', both=False)

    # The good file, in a browser without JavaScript: the job pages reload themselves.
    plain = journey.open(LAPTOP, javascript=False)
    plain.goto('/login')
    log_in(plain, academy['accounts']['admin'])
    plain.goto('/admin/history')
    upload(plain, 'past-years.csv', spreadsheet(LINES))
    assert re.search(r'/jobs/\d+$', plain.url), plain.url
    verdict = plain.locator('main .alert-success')
    expect(verdict).to_be_visible(timeout=30_000)
    expect(plain.locator('main table')).to_have_count(0)
    said = [int(n) for n in re.findall(r'\d+', verdict.inner_text())]
    assert said == [len(LINES), *CREATED.values()], said
    journey.look(plain, 'dry-run', both=False)
    with plain.expect_navigation():
        verdict.locator('button[type="submit"]').click()

    assert re.search(r'/jobs/\d+$', plain.url), plain.url
    expect(plain.locator('main .lead')).to_be_visible(timeout=30_000)  # the counts, when done
    expect(plain.locator('main [role="status"]')).to_contain_text(f'{len(LINES)}')
    imported = [int(n) for n in re.findall(r'\d+', plain.locator('main .lead').inner_text())]
    assert imported == list(CREATED.values()), imported
    journey.look(plain, 'job-done')

    # /stats for the five years: the imported lines alone.
    page.goto('/stats?from=2011&to=2015')
    expect(page.locator('main table caption').first).to_contain_text('2011–2015')
    headline = {
        code: figure(page, code)
        for code in ('applications', 'participants', 'municipalities', 'certificates_issued')
    }
    assert headline == {
        'applications': APPLICATIONS,
        'participants': PARTICIPANTS,
        'municipalities': MUNICIPALITIES,
        'certificates_issued': CERTIFICATES,
    }, headline
    assert figure(page, 'consultations') == 0
    by_year = {str(y): n for y, n in PARTICIPANTS_BY_YEAR.items()}
    assert table(page, 'participants_by_year') == by_year
    assert table(page, 'applications_by_kind') == APPLICATIONS_BY_KIND
    certificates = {str(y): n for y, n in CERTIFICATES_BY_YEAR.items()}
    assert table(page, 'certificates_by_year') == certificates
    words = {}
    for language in ('ka', 'en'):
        if language == 'en':
            switch_language(page, 'en')
        kind_row = page.locator(
            'table[data-section="applications_by_kind"] tr[data-code="training"]'
        )
        words[language] = kind_row.locator('th').inner_text().strip()
        assert table(page, 'participants_by_year') == by_year, language
        charts = page.locator('main section img[src*="/stats/charts/"]')
        expect(charts).to_have_count(6)
        for i in range(6):  # each loads lazily, once scrolled to, and is an image
            charts.nth(i).scroll_into_view_if_needed()
            width = charts.nth(i).evaluate('img => img.decode().then(() => img.naturalWidth)')
            assert width > 0, charts.nth(i).get_attribute('src')
        chart = page.locator('main img[src*="/stats/charts/applications_by_kind.svg"]')
        src = chart.get_attribute('src')
        assert f'lang={language}' in src and 'from=2011' in src and 'to=2015' in src, src
        answer = page.request.get(src)
        assert answer.ok and answer.headers['content-type'].startswith('image/svg+xml'), src
        svg = answer.text()
        assert svg.lstrip().startswith(('<?xml', '<svg')), svg[:80]
        # Each label is drawn as glyph paths after a comment naming it; a letter the font
        # lacks would be drawn as its glyph 0 (.notdef, an empty box).
        assert f'<!-- {words[language]} -->' in svg, (language, words[language])
        assert not re.search(r'id="[\w%-]+-0"', svg), f'{language}: a missing glyph in {src}'
        assert len(set(re.findall(r'<path id="([\w%-]+-[0-9a-f]+)"', svg))) >= 8, src
    assert words == {'ka': 'ტრენინგი', 'en': 'Training'}, words
    switch_language(page, 'ka')
    journey.look(page, 'stats-2011-2015')

    with page.expect_download() as download:
        page.locator('main a[href^="/stats.xlsx"]').click()
    assert download.value.suggested_filename == 'academy-in-numbers-2011-2015.xlsx'
    path = tmp_path / 'figures.xlsx'
    download.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()  # read-only workbooks keep their file open until closed
    assert rows[0][1] == '2011–2015', rows[0]
    sheet = {}
    for section, code, _word, value in rows[2:]:
        sheet.setdefault(section, {})[code] = value
    assert {k: sheet['headline'][k] for k in headline} == headline, sheet['headline']
    assert sheet['participants_by_year'] == by_year
    assert sheet['applications_by_kind'] == APPLICATIONS_BY_KIND
    assert sheet['certificates_by_year'] == certificates

    # Kutaisi, from the municipalities reached: a consultation recorded from its page.
    with page.expect_navigation():
        page.locator('main table[data-region]').get_by_role(
            'link', name=KUTAISI, exact=True
        ).click()
    assert page.url == kutaisi_url, (page.url, kutaisi_url)
    with page.expect_navigation():
        page.locator('main a[href*="/admin/consultations/new"]').click()
    assert page.locator('#organization_id').input_value() == kutaisi_url.rsplit('/', 1)[1]
    journey.look(page, 'record-consultation')
    for name, value in CONSULTATION.items():
        page.fill(f'#{name}', value)
    with page.expect_navigation():
        page.locator('main form.card button[type="submit"]').click()
    assert page.url.split('#')[0] == kutaisi_url, page.url
    expect(page.locator('#certified')).to_be_visible()  # for the academy's staff alone
    journey.look(page, 'kutaisi-admin')

    # The public page of Kutaisi, for someone not logged in.
    visitor = journey.open(LAPTOP)
    visitor.goto(kutaisi_url)
    after = municipality_figures(visitor)
    assert {k: after[k] - before[k] for k in after} == KUTAISI_ADDED, (before, after)
    for year, expected in KUTAISI_BY_YEAR.items():
        cells = visitor.locator(f'table[data-table="by-year"] tr[data-year="{year}"] td')
        shown = [int(re.sub(r'\D', '', t)) for t in cells.all_inner_texts()]
        assert shown == list(expected), (year, shown)
    assert_no_personal_data(visitor)
    journey.look(visitor, 'kutaisi-public')
    # Newest first: the consultation of 2015 comes after the demo academy's later ones.
    row = consultation_row(visitor, CONSULTATION['topic'])
    cells = row.locator('td')
    expect(cells.nth(0)).to_have_text(CONSULTATION_DATE['ka'])
    expect(cells.nth(2)).to_have_text(CONSULTATION['expert'])
    assert_no_personal_data(visitor)
    switch_language(visitor, 'en')
    expect(consultation_row(visitor, CONSULTATION['topic']).locator('td').first).to_have_text(
        CONSULTATION_DATE['en']
    )

    # A paper certificate, typed on /verify.
    visitor.goto('/verify')
    visitor.fill('#serial', ARCHIVE_NUMBER.lower())
    with visitor.expect_navigation():
        visitor.locator('main form[role="search"] button[type="submit"]').click()
    expect(visitor.locator('#verdict')).to_have_text("Recorded from the academy's archive")
    expect(visitor.locator('.verification-banner')).to_contain_text('5 June 2014')
    expect(visitor.locator('main')).to_contain_text(ARCHIVE_NUMBER)
    expect(visitor.locator('main')).to_contain_text(P6[0])  # the holder, as the archive states
    journey.look(visitor, 'verify-archive')
