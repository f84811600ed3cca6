"""Hostile input on the pages (hypothesis): dates far outside any sensible range and
non-dates, ids past the database's integer range in page addresses and query strings,
control characters (NUL, bidirectional overrides) in every text field of the main forms,
huge or non-numeric query parameters on the list pages. Never a 500; a refused form shows
its errors beside the fields and changes nothing.

Bounded and repeatable: a handful of derandomized examples per property.
"""

import re
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms.extensions import db as _db
from tests.fuzz.academy import small_academy


def bounded(examples):
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


#: Text nobody types by accident: NUL and other control characters, bidirectional
#: overrides and isolates, lone surrogates' neighbours, very long and blank strings.
NASTY_TEXT = st.one_of(
    st.sampled_from(
        [
            '\x00',
            'ნინო\x00ბერიძე',
            '\u202eეკა\u202c',
            '\u2066x\u2069',
            'a\u200fb',
            '\x1b[31m',
            '\r\n\t',
            ' ',
            '',
            'ა' * 5000,
            "'; DROP TABLE users; --",
            '{{ 7*7 }}',
            '<script>alert(1)</script>',
        ]
    ),
    st.text(max_size=30),
)
#: Dates a date field may be sent.
NASTY_DATE = st.one_of(
    st.sampled_from(
        [
            '0001-01-01',
            '9999-12-31',
            '0000-00-00',
            '2026-02-30',
            '10000-01-01',
            '-0001-01-01',
            '31.12.9999',
            '2026-1-1',
            'today',
            '',
            '\x00',
        ]
    ),
    st.dates().map(date.isoformat),
    st.text(max_size=12),
)
#: Numbers (and not numbers) a number field or query parameter may be sent.
NASTY_NUMBER = st.one_of(
    st.sampled_from(
        ['0', '-1', '2147483648', '9' * 40, '1e999', 'NaN', 'inf', '0x10', '٣', ' 7 ', '', '\x00']
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=8),
)
#: Ids for page addresses: the edges of INTEGER and BIGINT, and far beyond.
HUGE_ID = st.one_of(
    st.sampled_from([0, 2**31 - 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64, 10**30]),
    st.integers(min_value=2**31, max_value=2**80),
)


def row_counts():
    """How many rows each table holds."""
    _db.session.expire_all()
    return {
        table.name: _db.session.scalar(select(func.count()).select_from(table))
        for table in _db.metadata.sorted_tables
        if table.name not in ('audit_entries',)  # a refused request writes none either
    }


@pytest.fixture
def academy(db):
    return small_academy()


@pytest.fixture
def admin_client(client, login, academy):
    login(academy.admin)
    return client


def _refused_beside_the_field(response):
    """A form shown again with its errors, the wrong fields marked."""
    assert response.status_code == 422, response.status_code
    assert 'is-invalid' in response.text or 'invalid-feedback' in response.text


def _post_form(client, url, base, field, value):
    before = row_counts()
    answer = client.post(url, data={**base, field: value})
    assert answer.status_code < 500, (field, value, answer.status_code)
    if answer.status_code >= 400:
        _refused_beside_the_field(answer)
        assert row_counts() == before
    return answer


def _course_form():
    return {
        'code': 'FZ-1',
        'title_ka': 'კურსი',
        'title_en': 'Course',
        'description_ka': '',
        'description_en': '',
        'kind': 'training',
        'hours': '16',
        'min_attendance_pct': '80',
        'grants_certificate': 'y',
        'validity_months': '',
    }


def _offering_form(academy):
    return {
        'course_id': str(academy.past.course_id),
        'starts_on': '2027-03-02',
        'ends_on': '2027-03-03',
        'location': 'ქუთაისი',
        'location_en': 'Kutaisi',
        'municipality_id': '',
        'format': 'in_person',
        'capacity': '20',
        'applications_open_on': '',
        'applications_close_on': '',
        'status': 'published',
    }


def _organisation_form():
    return {'name_ka': 'ორგანიზაცია', 'name_en': 'Organisation', 'kind': 'cso', 'region': ''}


def _person_form(person):
    return {
        'email': person.email,
        'full_name_ka': person.full_name_ka,
        'full_name_en': person.full_name_en,
        'role': person.role,
        'sector': person.sector,
        'organization_id': '',
        'position': '',
        'gender': '',
        'phone': '',
        'is_active': 'y',
    }


TEXT_FIELDS = {
    'course': ['code', 'title_ka', 'title_en', 'description_ka', 'description_en'],
    'offering': ['location', 'location_en'],
    'organisation': ['name_ka', 'name_en'],
    'person': ['email', 'full_name_ka', 'full_name_en', 'position', 'phone'],
}


@bounded(25)
@given(form=st.sampled_from(sorted(TEXT_FIELDS)), data=st.data())
def test_text_fields_of_the_admin_forms_take_any_text_without_a_500(
    admin_client, academy, form, data
):
    field = data.draw(st.sampled_from(TEXT_FIELDS[form]))
    value = data.draw(NASTY_TEXT)
    urls = {
        'course': ('/admin/courses/new', _course_form()),
        'offering': ('/admin/offerings/new', _offering_form(academy)),
        'organisation': ('/admin/organizations/new', _organisation_form()),
        'person': (
            f'/admin/people/{academy.participant.id}/edit',
            _person_form(academy.participant),
        ),
    }
    url, base = urls[form]
    _post_form(admin_client, url, base, field, value)
    _db.session.rollback()


@bounded(20)
@given(
    field=st.sampled_from(
        ['starts_on', 'ends_on', 'applications_open_on', 'applications_close_on']
    ),
    value=NASTY_DATE,
)
def test_dates_of_an_offering_far_out_of_range_are_refused_beside_the_field(
    admin_client, academy, field, value
):
    answer = _post_form(admin_client, '/admin/offerings/new', _offering_form(academy), field, value)
    if answer.status_code < 400:  # taken: then it is a real date the page can show again
        assert re.match(r'\d{4}-\d{2}-\d{2}$', value.strip()), value
    _db.session.rollback()


@bounded(20)
@given(
    field=st.sampled_from(['hours', 'min_attendance_pct', 'validity_months']), value=NASTY_NUMBER
)
def test_numbers_of_a_course_of_any_size_or_none_never_fail(admin_client, field, value):
    _post_form(admin_client, '/admin/courses/new', _course_form(), field, value)
    _db.session.rollback()


@bounded(15)
@given(
    field=st.sampled_from(['full_name_ka', 'full_name_en', 'email', 'position', 'password']),
    value=NASTY_TEXT,
)
def test_registration_takes_any_text_without_a_500(client, academy, field, value):
    base = {
        'full_name_ka': 'ნინო ბერიძე',
        'full_name_en': '',
        'email': 'nino@example.test',
        'sector': 'citizen',
        'organization_id': '',
        'position': '',
        'gender': '',
        'password': 'a long enough passphrase',
        'confirm': 'a long enough passphrase',
    }
    if field == 'password':
        base['confirm'] = value
    answer = _post_form(client, '/register', base, field, value)
    client.post('/logout')
    if answer.status_code < 400:  # an account was made: remove it for the next example
        _db.session.rollback()
    _db.session.rollback()


@bounded(20)
@given(
    field=st.sampled_from(['position', 'organization_other', 'motivation', 'sector']),
    value=NASTY_TEXT,
)
def test_an_application_takes_any_text_without_a_500(client, login, academy, field, value):
    login(academy.participant)
    base = {
        'sector': 'citizen',
        'organization_id': '',
        'organization_other': '',
        'position': '',
        'residence_municipality_id': str(academy.municipality_id),
        'motivation': '',
        'consent': 'y',
    }
    answer = client.post(
        f'/catalogue/offerings/{academy.open.id}/apply', data={**base, field: value}
    )
    assert answer.status_code < 500
    if answer.status_code == 422:
        assert 'is-invalid' in answer.text or 'invalid-feedback' in answer.text
    _db.session.rollback()


LIST_PAGES = [
    '/admin/people',
    '/admin/enrollments',
    '/admin/offerings',
    '/admin/courses',
    '/admin/organizations',
    '/admin/audit',
    '/admin/certificates',
    '/admin/mail',
    '/catalogue/',
    '/stats',
    '/stats.csv',
    '/stats.xlsx',
    '/',
]
QUERY_NAMES = [
    'page',
    'per_page',
    'q',
    'from',
    'to',
    'status',
    'offering_id',
    'course_id',
    'residence_id',
    'year',
    'kind',
    'sector',
    'gender',
    'action',
    'actor_id',
]


@bounded(40)
@given(
    page=st.sampled_from([*LIST_PAGES, 'applications']),
    query=st.dictionaries(
        st.sampled_from(QUERY_NAMES), st.one_of(NASTY_NUMBER, NASTY_TEXT), max_size=3
    ),
)
def test_list_pages_take_any_query_without_a_500(admin_client, academy, page, query):
    url = f'/admin/offerings/{academy.past.id}/applications' if page == 'applications' else page
    answer = admin_client.get(url, query_string=query)
    assert answer.status_code < 500, (url, query, answer.status_code)
    _db.session.rollback()


def _pages_with_ids(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith('/api/') or 'GET' not in rule.methods:
            continue
        if set(rule.arguments) and all(
            type(rule._converters[name]).__name__ == 'RowIdConverter' for name in rule.arguments
        ):
            yield rule


@bounded(6)
@given(number=HUGE_ID)
def test_page_addresses_with_ids_past_the_integer_range_are_not_found(app, admin_client, number):
    for rule in _pages_with_ids(app):
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f'<int:{name}>', str(number))
        answer = admin_client.get(url)
        assert answer.status_code in (404, 302, 403, 405), (url, answer.status_code)
        _db.session.rollback()


def _pages_with_words(app):
    """Pages whose address holds a word (a serial, a token, a key id), not only ids."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(('/api/', '/static')) or 'GET' not in rule.methods:
            continue
        if any(type(c).__name__ != 'RowIdConverter' for c in rule._converters.values()):
            yield rule


@bounded(15)
@given(word=NASTY_TEXT.filter(lambda w: w.strip('/.') != ''), number=HUGE_ID)
def test_page_addresses_with_any_word_in_them_never_fail(app, admin_client, word, number):
    for rule in _pages_with_words(app):
        url = rule.rule
        for name, converter in rule._converters.items():
            value = (
                str(number)
                if type(converter).__name__ == 'RowIdConverter'
                else quote(word, safe='')
            )
            url = re.sub(rf'<[^>]*{name}>', value, url)
        answer = admin_client.get(url)
        assert answer.status_code < 500, (url, answer.status_code)
        _db.session.rollback()
