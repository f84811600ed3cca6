"""Imported years count in the statistics exactly like new ones, and a paper certificate's
number verifies as recorded from the archive, with no signature claimed."""

import re

import pytest

from lms.models import Enrollment
from tests.api.described import schema_problems
from tests.api.test_stats import _page_figures
from tests.conftest import make_user
from tests.history.files import row, write

T1 = {'course_code': 'CB-101', 'kind': 'training', 'municipality': 'ქუთაისი'}
S1 = {
    'starts_on': '2018-05-02',
    'ends_on': '2018-05-02',
    'kind': 'seminar',
    'course_code': 'PART-2',
    'course_title_ka': 'მოქალაქეთა ჩართულობა',
    'municipality': 'თელავი',
    'hours': '',
}
F1 = {
    'starts_on': '2018-10-10',
    'ends_on': '2018-10-11',
    'kind': 'forum',
    'course_code': 'FORUM-1',
    'course_title_ka': 'ადგილობრივი დემოკრატიის ფორუმი',
    'municipality': '',
}
A = {'full_name_ka': 'ნინო ბერიძე', 'email': 'nino@example.ge', 'gender': 'female',
     'organization': 'ქუთაისი'}  # fmt: skip
B = {'full_name_ka': 'გიორგი მაისურაძე', 'gender': 'male', 'organization': 'მწვანე ალტერნატივა'}
C = {'full_name_ka': 'თამარ კაპანაძე', 'gender': 'female', 'sector': 'citizen'}
D = {'full_name_ka': 'დავით ლომიძე', 'email': 'davit@example.ge', 'gender': 'male',
     'organization': 'თელავის მუნიციპალიტეტი', 'sector': 'civil_servant'}  # fmt: skip

ROWS = [
    row(**T1, **A, sector='civil_servant', outcome='completed', certificate_number='PA-2017-001',
        certificate_issued_on='2017-03-10'),
    row(**T1, **B, sector='cso', outcome='accepted'),
    row(**T1, **C, outcome='rejected'),
    row(**S1, **A, sector='civil_servant', outcome='accepted'),
    row(**S1, **B, sector='cso', outcome='completed', certificate_number='PA/2018/7'),
    row(**F1, **D, outcome='withdrawn'),
    row(**F1, **C, outcome='applied'),
]  # fmt: skip

# Worked out by hand for 2017-2018:
EXPECTED = {
    # training: 3 lines of T1; seminar: 2 of S1; forum: 2 of F1; any outcome counts.
    'applications_by_kind': {'training': 3, 'seminar': 2, 'conference': 0, 'forum': 2},
    # accepted (completed is accepted): A and B in 2017 (C rejected), A and B in 2018
    # (D withdrew, C only applied) -> 2 people, 2 each year.
    'participants': 2,
    'participants_by_year': {'2017': 2, '2018': 2},
    # hosted: Kutaisi (T1), Telavi (S1); F1 is online. Employers of accepted people:
    # A Kutaisi, B an organisation of kind other. D (Telavi) withdrew. -> 2.
    'municipalities': 2,
    # each person at their latest accepted enrollment (S1): A civil_servant, B cso.
    'participants_by_sector': {'civil_servant': 1, 'cso': 1, 'citizen': 0, 'other': 0},
    'participants_by_gender': {'female': 1, 'male': 1, 'other': 0, 'unknown': 0},
    # paper certificates: A in T1 (2017), B in S1 (2018).
    'certificates_issued': 2,
    'certificates_by_year': {'2017': 1, '2018': 1},
    'consultations': 0,
}
RANGE = '?from=2017&to=2018'


@pytest.fixture
def imported(runner, db, tmp_path):
    result = runner.invoke(args=['history', 'import', write(tmp_path, ROWS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == (
        'imported: 3 offerings, 4 people, 7 enrollments, 2 certificates'
    )


def test_the_api_counts_imported_years_as_worked_out_by_hand(api, imported):
    body = api('GET', '/api/v1/stats' + RANGE).get_json()

    for key, value in EXPECTED.items():
        assert body[key] == value, key


def test_the_page_counts_imported_years_as_worked_out_by_hand(client, imported):
    html = client.get('/stats' + RANGE).get_data(as_text=True)

    figures = _page_figures(html)
    assert figures[('headline', 'applications')] == 7
    assert figures[('headline', 'participants')] == 2
    assert figures[('headline', 'municipalities')] == 2
    assert figures[('headline', 'certificates_issued')] == 2
    for key in ('applications_by_kind', 'participants_by_year', 'certificates_by_year'):
        for code, n in EXPECTED[key].items():
            assert figures[(key, code)] == n, (key, code)


def test_completed_is_accepted_with_the_archive_outcome(db, imported):
    outcomes = sorted(db.session.query(Enrollment.status, Enrollment.archive_outcome).all())
    assert outcomes.count(('accepted', 'completed')) == 2
    assert outcomes.count(('accepted', 'accepted')) == 2


@pytest.mark.parametrize('typed', ['PA-2017-001', ' pa-2017-001 '])
def test_the_api_answers_an_archive_number_as_archived(api, imported, typed):
    response = api('GET', f'/api/v1/verify/{typed}')

    assert response.status_code == 200
    assert schema_problems('/components/schemas/Verification', response.get_json()) == []
    assert response.get_json() == {
        'serial': 'PA-2017-001',
        'status': 'archived',
        'signature_valid': False,
        'recorded_from_archive': True,
        'holder': {'name_ka': 'ნინო ბერიძე', 'name_en': 'Nino Beridze'},
        'course': {
            'title_ka': 'სამოქალაქო ბიუჯეტი',
            'title_en': 'Civil budget',
            'kind': 'training',
        },
        'hours': 24,
        'issued_on': '2017-03-10',
        'issuer': None,
    }


def test_an_archive_number_is_matched_exactly_but_for_case_and_spaces(api, imported):
    for near in ('PA-2017-0O1', 'PA2017001', 'PA-2017-001-'):
        assert api('GET', f'/api/v1/verify/{near}').status_code == 404, near


def test_the_verification_page_says_plainly_it_was_recorded_from_the_archive(client, imported):
    response = client.get('/verify/pa-2017-001')

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'ნინო ბერიძე' in html and 'PA-2017-001' in html
    text = re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', ' ', html))
    client.get('/language/en')
    english = re.sub(r'\s+', ' ', client.get('/verify/PA-2017-001').get_data(as_text=True))
    assert "Recorded from the academy's archive: issued on paper on" in english.replace(
        '&#39;', "'"
    )
    assert 'no digital signature' in english
    assert 'Verified with the academy key' not in english
    assert 'nino@example.ge' not in text  # no personal data beyond what it states


def test_the_verify_form_finds_a_number_a_url_cannot_hold(client, imported):
    response = client.get('/verify', query_string={'serial': 'pa/2018/7'})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'გიორგი მაისურაძე' in html and 'PA/2018/7' in html


def test_a_signed_serial_still_answers_as_before(client, api, imported):
    response = api('GET', '/api/v1/verify/K7QM-3XWD-9P2F')
    assert response.status_code == 404
    assert response.get_json()['status'] == 'not_found'


def _organization_page(client, name):
    found = client.get('/organizations', query_string={'q': name}).text
    ids = re.findall(rf'href="/organizations/(\d+)"[^>]*>\s*{name}\s*<', found)
    assert len(ids) == 1, (name, ids)
    return f'/organizations/{ids[0]}'


def _figure(html, code):
    match = re.search(rf'data-figure="{code}">([^<]+)<', html)
    return int(re.sub(r'\D', '', match.group(1)))


def test_an_organisation_counts_its_staff_certified_on_paper(client, imported, login, db):
    kutaisi = _organization_page(client, 'ქუთაისი')
    page = client.get(kutaisi).text
    # A worked for Kutaisi at T1 (2017, paper certificate PA-2017-001) and S1 (2018): one
    # person trained, and certified, as "certificates issued" counts her certificate.
    assert (_figure(page, 'trained'), _figure(page, 'certified')) == (1, 1)
    row = re.search(r'<tr data-year="2017">(.*?)</tr>', page, re.S).group(1)
    # 2017: trained, certified, hosted (T1), consultations.
    assert [int(n) for n in re.findall(r'>(\d+)<', row)][1:] == [1, 1, 1, 0]
    assert 'ნინო ბერიძე' not in page and 'PA-2017-001' not in page  # not for the public

    admin = make_user(role='admin')
    db.session.commit()
    login(admin)
    certified = client.get(kutaisi).text
    certified = certified[certified.index('id="certified"') :]
    assert 'ნინო ბერიძე' in certified
    assert 'href="/verify?serial=PA-2017-001"' in certified
    # B's number holds a slash, which no address can: the link is the form's.
    other = client.get(_organization_page(client, 'მწვანე ალტერნატივა')).text
    assert _figure(other, 'certified') == 1
    assert 'href="/verify?serial=PA/2018/7"' in other or 'serial=PA%2F2018%2F7' in other
    assert client.get('/verify?serial=PA/2018/7').status_code == 200


def test_the_staff_page_shows_paper_certificates_recorded_from_the_archive(
    client, imported, login, db
):
    admin = make_user(role='admin')
    db.session.commit()
    login(admin)
    staff = client.get(_organization_page(client, 'ქუთაისი') + '/people')
    assert staff.status_code == 200
    assert 'href="/verify?serial=PA-2017-001"' in staff.text


@pytest.mark.parametrize('typed', ['%00', 'PA-2017-001%00', '%E2%80%AEPA-2017-001'])
def test_a_number_with_control_characters_is_simply_not_found(client, imported, typed):
    """PostgreSQL refuses a NUL in any text: the lookup must never ask it."""
    assert client.get(f'/api/v1/verify/{typed}').status_code == 404
    assert client.get(f'/verify/{typed}').status_code == 404
