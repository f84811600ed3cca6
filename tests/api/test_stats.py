"""The academy in numbers: a data set whose figures were worked out by hand, and the same
figures from the API, the page /stats, its CSV and its XLSX.

The expected numbers below are literals computed by hand from the data set (the working
is in the comments); none comes from the code under test.
"""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from lms.models import Consultation, Enrollment
from tests.api.helpers import assert_error
from tests.conftest import make_certificate

RANGE = '?from=2024&to=2026'


@pytest.fixture
def academy(db, create_organization, create_course, create_offering, create_user):
    """Municipalities M1 Kutaisi (imereti), M2 Telavi (kakheti), M3 Batumi (adjara),
    M4 Gori (shida-kartli), M5 Zugdidi (samegrelo), M6 Rustavi (kvemo-kartli); a CSO C1
    (tbilisi). Courses of each kind. Offerings:

      O1 training   2024-03  host M1  completed
      O2 seminar    2024-10  online   completed
      O3 conference 2025-05  host M2  completed
      O4 training   2025-11  host M5  cancelled   (hosted nothing)
      O5 forum      2026-06  host M1  published
      O6 seminar    2023-04  host M3  completed   (before the range 2024-2026)

    People (profile: sector, gender, organisation):
      P1 civil_servant female M1;  P2 civil_servant male M2;  P3 cso female C1;
      P4 citizen (no gender) M3;   P5 citizen female M6;      P6 other male M3.
    """
    org = {}
    for key, ka, en, region in [
        ('M1', 'ქუთაისი', 'Kutaisi', 'imereti'),
        ('M2', 'თელავი', 'Telavi', 'kakheti'),
        ('M3', 'ბათუმი', 'Batumi', 'adjara'),
        ('M4', 'გორი', 'Gori', 'shida-kartli'),
        ('M5', 'ზუგდიდი', 'Zugdidi', 'samegrelo-zemo-svaneti'),
        ('M6', 'რუსთავი', 'Rustavi', 'kvemo-kartli'),
    ]:
        org[key] = create_organization(kind='municipality', name_ka=ka, name_en=en, region=region)
    org['C1'] = create_organization(kind='cso', name_ka='მწვანე ალტერნატივა', region='tbilisi')
    kinds = {k: create_course(kind=k) for k in ('training', 'seminar', 'conference', 'forum')}

    def offering(kind, starts, host, status):
        return create_offering(
            kinds[kind],
            starts_on=starts,
            ends_on=starts,
            municipality=host,
            status=status,
            sessions=0,
        )

    o1 = offering('training', date(2024, 3, 4), org['M1'], 'completed')
    o2 = offering('seminar', date(2024, 10, 7), None, 'completed')
    o3 = offering('conference', date(2025, 5, 12), org['M2'], 'completed')
    o4 = offering('training', date(2025, 11, 3), org['M5'], 'cancelled')
    o5 = offering('forum', date(2026, 6, 15), org['M1'], 'published')
    o6 = offering('seminar', date(2023, 4, 10), org['M3'], 'completed')

    def person(sector, gender, organization):
        return create_user(sector=sector, gender=gender, organization=organization)

    p1 = person('civil_servant', 'female', org['M1'])
    p2 = person('civil_servant', 'male', org['M2'])
    p3 = person('cso', 'female', org['C1'])
    p4 = person('citizen', None, org['M3'])
    p5 = person('citizen', 'female', org['M6'])
    p6 = person('other', 'male', org['M3'])

    def enroll(o, p, status, **told):
        e = Enrollment(offering=o, user=p, status=status, **told)
        db.session.add(e)
        db.session.flush()
        return e

    e11 = enroll(o1, p1, 'accepted')
    e12 = enroll(o1, p2, 'accepted')
    enroll(o1, p3, 'rejected')
    enroll(o1, p4, 'applied')
    e21 = enroll(o2, p1, 'accepted')
    # P3 lives in Gori: that makes P3's region shida-kartli, not Gori a municipality reached.
    enroll(o2, p3, 'accepted', residence_municipality=org['M4'])
    enroll(o2, p5, 'withdrawn')
    e32 = enroll(o3, p2, 'accepted')
    enroll(o3, p4, 'accepted')
    enroll(o3, p5, 'applied')  # P5 works for Rustavi, but was never accepted
    enroll(o4, p6, 'waitlisted')
    # When applying to O5, P1 said they now work for the CSO C1, in the CSO sector.
    enroll(o5, p1, 'accepted', sector='cso', organization=org['C1'])
    enroll(o5, p6, 'rejected')
    e66 = enroll(o6, p6, 'accepted')

    make_certificate(e11, 'valid')
    make_certificate(e12, 'revoked')
    old = make_certificate(e21, 'superseded')
    make_certificate(e21, 'valid', supersedes_id=old.id)
    make_certificate(e32, 'valid')
    make_certificate(e66, 'valid')

    for key, day in [
        ('M1', date(2024, 5, 10)),
        ('M1', date(2025, 2, 1)),
        ('M2', date(2025, 6, 1)),
        ('C1', date(2026, 3, 3)),
        ('M3', date(2023, 9, 9)),
    ]:
        db.session.add(
            Consultation(
                organization=org[key],
                expert_name='ექსპერტი',
                consulted_on=day,
                topic='სამოქალაქო ბიუჯეტი',
                hours=Decimal(3),
            )
        )
    db.session.flush()
    return org


# Worked out by hand for 2024-2026:
EXPECTED = {
    'from': 2024,
    'to': 2026,
    # training: O1 has 4 enrollments (P1, P2, P3, P4) + O4 1 (P6) = 5; seminar: O2 has 3
    # (O6 is 2023); conference: O3 has 3; forum: O5 has 2. Any status counts.
    'applications_by_kind': {'training': 5, 'seminar': 3, 'conference': 3, 'forum': 2},
    'applications': 13,
    # accepted in range: P1 (O1, O2, O5), P2 (O1, O3), P3 (O2), P4 (O3) -> 4 people.
    'participants': 4,
    # 2024: P1, P2 (O1) and P1, P3 (O2) -> {P1, P2, P3} = 3; 2025: P2, P4 = 2; 2026: P1 = 1.
    'participants_by_year': {'2024': 3, '2025': 2, '2026': 1},
    # hosted (not cancelled): O1 M1, O3 M2, O5 M1; employ an accepted participant: P1 M1
    # (O1, O2), P2 M2, P4 M3 (P3's C1 and P1's later C1 are not municipalities).
    # Not: M4 (only where P3 lives), M5 (cancelled O4), M6 (P5 never accepted).
    # {M1, M2, M3} = 3.
    'municipalities': 3,
    # Each person as at their latest accepted enrollment of the range:
    # P1 at O5: sector cso (told then), employer C1 -> tbilisi, female;
    # P2 at O3: civil_servant (profile), employer M2 -> kakheti, male;
    # P3 at O2: cso, lives in M4 -> shida-kartli, female; P4 at O3: citizen, M3 -> adjara,
    # gender not given.
    'participants_by_sector': {'civil_servant': 1, 'cso': 2, 'citizen': 1, 'other': 0},
    'participants_by_gender': {'female': 2, 'male': 1, 'other': 0, 'unknown': 1},
    # valid certificates: P1/O1 (2024), P1/O2 (2024, the reissue; the superseded one does
    # not add), P2/O3 (2025). P2/O1 is revoked; P6/O6 is 2023. -> 3.
    'certificates_issued': 3,
    'certificates_by_year': {'2024': 2, '2025': 1, '2026': 0},
    # 2024-05-10 M1, 2025-02-01 M1, 2025-06-01 M2, 2026-03-03 C1 (2023 M3 is outside) -> 4,
    # received by {M1, M2, C1} = 3.
    'consultations': 4,
    'organizations_consulted': 3,
}
REGIONS_EXPECTED = {'tbilisi': 1, 'kakheti': 1, 'shida-kartli': 1, 'adjara': 1}


def test_the_api_gives_the_figures_worked_out_by_hand(api, academy):
    response = api('GET', '/api/v1/stats' + RANGE)

    assert response.status_code == 200
    body = response.get_json()
    for key, value in EXPECTED.items():
        assert body[key] == value, key
    regions = {k: n for k, n in body['participants_by_region'].items() if n}
    assert regions == REGIONS_EXPECTED
    assert body['participants_by_region']['unknown'] == 0


def test_a_narrower_range_counts_only_its_years(api, academy):
    body = api('GET', '/api/v1/stats?from=2024&to=2024').get_json()

    # 2024: applications O1 4 (training), O2 3 (seminar); participants P1, P2, P3;
    # municipalities: O1's host M1, employers M1 (P1), M2 (P2) -> 2; certificates 2;
    # consultations: 2024-05-10 M1 only.
    assert body['applications_by_kind'] == {
        'training': 4,
        'seminar': 3,
        'conference': 0,
        'forum': 0,
    }
    assert body['participants_by_year'] == {'2024': 3}
    assert (body['participants'], body['municipalities'], body['certificates_issued']) == (3, 2, 2)
    assert (body['consultations'], body['organizations_consulted']) == (1, 1)


def test_without_years_the_range_runs_from_the_first_year_with_data(api, academy, app):
    from lms.extensions import academy_today

    body = api('GET', '/api/v1/stats').get_json()

    this_year = academy_today().year
    assert (body['from'], body['to']) == (2023, this_year)  # O6 and a consultation in 2023
    assert list(body['participants_by_year']) == [str(y) for y in range(2023, this_year + 1)]
    # 2023 adds O6's seminar application (P6) and P6 as a participant; M3 was already in.
    assert body['applications_by_kind']['seminar'] == 4
    assert (body['participants'], body['municipalities']) == (5, 3)


def test_with_no_data_every_kind_and_year_is_there_with_zeros(api, db):
    body = api('GET', '/api/v1/stats?from=2020&to=2022').get_json()

    assert body['applications_by_kind'] == dict.fromkeys(
        ['training', 'seminar', 'conference', 'forum'], 0
    )
    assert body['participants_by_year'] == {'2020': 0, '2021': 0, '2022': 0}
    assert body['municipalities'] == body['participants'] == body['consultations'] == 0


@pytest.mark.parametrize(
    ('query', 'fields'),
    [
        ('?from=20x4', {'from'}),
        ('?from=1999', {'from'}),
        ('?to=3000', {'to'}),
        ('?from=2026&to=2024', {'to'}),
        ('?from=2024.5&to=abc', {'from', 'to'}),
    ],
)
def test_bad_years_are_refused_with_the_error_object(api, db, query, fields):
    assert_error(api('GET', '/api/v1/stats' + query), 422, 'invalid', fields)


def _page_figures(html):
    """Every number of the page's tables and headline, by (section, code)."""
    found = {
        ('headline', c): int(v) for c, v in re.findall(r'data-figure="([^"]+)">([0-9]+)<', html)
    }
    for key, body in re.findall(r'data-section="([^"]+)">(.*?)</table>', html, re.S):
        for code, value in re.findall(
            r'data-code="([^"]+)">.*?<td class="text-end">([0-9]+)</td>', body, re.S
        ):
            found[(key, code)] = int(value)
    return found


def _expected_rows():
    rows = {
        ('headline', 'applications'): 13,
        ('headline', 'participants'): 4,
        ('headline', 'municipalities'): 3,
        ('headline', 'certificates_issued'): 3,
        ('headline', 'consultations'): 4,
        ('headline', 'organizations_consulted'): 3,
    }
    for key in (
        'applications_by_kind',
        'participants_by_year',
        'participants_by_sector',
        'participants_by_gender',
        'certificates_by_year',
    ):
        rows.update({(key, code): n for code, n in EXPECTED[key].items()})
    for code in (
        'tbilisi',
        'adjara',
        'guria',
        'imereti',
        'kakheti',
        'mtskheta-mtianeti',
        'racha-lechkhumi-kvemo-svaneti',
        'samegrelo-zemo-svaneti',
        'samtskhe-javakheti',
        'kvemo-kartli',
        'shida-kartli',
        'unknown',
    ):
        rows[('participants_by_region', code)] = REGIONS_EXPECTED.get(code, 0)
    return rows


@pytest.mark.parametrize('lang', ['ka', 'en'])
def test_the_page_and_its_downloads_agree_with_the_hand_worked_figures(client, academy, lang):
    client.get(f'/language/{lang}')
    expected = _expected_rows()

    page = client.get('/stats' + RANGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _page_figures(html) == expected
    # The municipalities reached, by region, ranked by participants: Kutaisi (P1) and
    # Telavi (P2) and Batumi (P4); never Gori, Zugdidi or Rustavi.
    names = ('ქუთაისი', 'თელავი', 'ბათუმი', 'გორი', 'ზუგდიდი', 'რუსთავი')
    if lang == 'en':
        names = ('Kutaisi', 'Telavi', 'Batumi', 'Gori', 'Zugdidi', 'Rustavi')
    reached = html[html.index('id="reached"') :]
    assert all(n in reached for n in names[:3]) and not any(n in reached for n in names[3:])
    assert '@' not in html.replace('@media', '')  # no e-mail addresses: no personal data

    response = client.get('/stats.csv' + RANGE)
    assert response.headers['Content-Type'] == 'text/csv; charset=utf-8'
    raw = response.get_data()
    assert raw.startswith(b'\xef\xbb\xbf')
    lines = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'))))
    assert _download_figures(lines) == expected
    assert {'Kutaisi' if lang == 'en' else 'ქუთაისი'} <= {cell for row in lines for cell in row}

    response = client.get('/stats.xlsx' + RANGE)
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    sheets = book.worksheets
    rows = [list(row) for row in sheets[0].iter_rows(values_only=True)]
    assert _download_figures(rows) == expected
    places = list(sheets[1].iter_rows(values_only=True))[1:]
    if lang == 'ka':
        # regions in reference order (Adjara before Imereti and Kakheti); Batumi employs P4
        # and hosted nothing in the range, Kutaisi employs P1 and hosted O1 and O5.
        assert places[0] == ('აჭარის ავტონომიური რესპუბლიკა', 'ბათუმი', 1, 0)
        assert places[1] == ('იმერეთი', 'ქუთაისი', 1, 2)
    assert sorted(row[1] for row in places) == sorted(names[:3])


def _download_figures(rows):
    """(section, code) -> number from the figures table of a download."""
    found = {}
    for row in rows[2:]:
        if not row or not row[0]:
            break
        found[(row[0], row[1])] = int(row[3])
    return found


def test_a_chart_is_an_svg_with_its_words_drawn_as_paths(client, academy):
    response = client.get('/stats/charts/participants_by_sector.svg' + RANGE)

    assert response.mimetype == 'image/svg+xml'
    svg = response.get_data(as_text=True)
    assert svg.startswith('<?xml') and '<svg' in svg
    assert '<text' not in svg  # glyphs as paths: no font needed on the reader's device
    assert 'DejaVuSans' in svg  # matplotlib names the glyphs it drew after their font
    assert client.get('/stats/charts/nonsense.svg' + RANGE).status_code == 404


def test_the_front_page_shows_the_headline_figures_and_links_to_the_page(client, academy):
    html = client.get('/').get_data(as_text=True)

    # the default range (2023 on) adds P6 at O6 (2023): 5 participants.
    assert 'data-figure="participants">5<' in html
    assert 'href="/stats"' in html


def test_an_admin_records_a_consultation(api, create_user, create_organization):
    admin = create_user(role='admin')
    municipality = create_organization(kind='municipality', name_ka='ოზურგეთი', region='guria')
    body = {
        'organization_id': municipality.id,
        'expert': 'ნინო ბერიძე',
        'held_on': '2026-04-14',
        'topic': 'სამოქალაქო ბიუჯეტის დანერგვა',
        'hours': 2.5,
    }

    response = api('POST', '/api/v1/consultations', admin, json=body)

    assert response.status_code == 201
    answer = response.get_json()
    consultation = Consultation.query.one()
    assert answer == {**body, 'id': consultation.id, 'notes': ''}
    assert consultation.consulted_on == date(2026, 4, 14)
    stats = api('GET', '/api/v1/stats?from=2026&to=2026').get_json()
    assert (stats['consultations'], stats['organizations_consulted']) == (1, 1)


def test_a_consultation_needs_an_admin_and_good_values(api, create_user, create_organization):
    admin, trainer = create_user(role='admin'), create_user(role='trainer')
    organization = create_organization()
    good = {
        'organization_id': organization.id,
        'expert': 'ექსპერტი',
        'held_on': '2026-04-14',
        'topic': 'თემა',
        'hours': 2,
    }

    assert_error(api('POST', '/api/v1/consultations', None, json=good), 401, 'unauthorized')
    assert_error(api('POST', '/api/v1/consultations', trainer, json=good), 403, 'forbidden')
    bad = {'organization_id': 'abc', 'held_on': '14.04.2026', 'hours': -1, 'topic': 'x' * 301}
    assert_error(
        api('POST', '/api/v1/consultations', admin, json=bad),
        422,
        'invalid',
        {'organization_id', 'expert', 'held_on', 'hours', 'topic'},
    )
    assert_error(
        api('POST', '/api/v1/consultations', admin, json={**good, 'organization_id': 999999}),
        422,
        'invalid',
        {'organization_id'},
    )
    assert Consultation.query.count() == 0


@pytest.mark.app_config(STATS_CACHE_SECONDS=60)
def test_the_public_figures_are_reused_for_a_while_by_a_process(api, academy):
    before = api('GET', '/api/v1/stats' + RANGE).get_json()['consultations']
    Consultation.query.delete()
    again = api('GET', '/api/v1/stats' + RANGE).get_json()['consultations']
    fresh = api('GET', '/api/v1/stats?from=2024&to=2025').get_json()['consultations']

    assert (before, again, fresh) == (4, 4, 0)
