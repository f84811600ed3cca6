"""A 200,000-character paste never breaks a page: every form refuses it beside the field,
every search box reads what it can, and a body over 1 MB gets a page in the reader's
language. Nothing is saved on the way."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certificates import Certificate
from lms.extensions import academy_today
from tests.lms.lists import LIST_PAGES

#: What a person pastes by mistake: Latin letters, so the form (about 200 KB) is read and
#: refused by its fields.
LONG = 'x' * 200_000
#: The same paste in Georgian: three bytes a letter, percent-encoded, so the body is over
#: 1 MB and refused before any field is read.
LONG_GEORGIAN = 'ა' * 200_000


@pytest.fixture
def scene(db, filled, create_user, create_offering, create_enrollment):
    """Everyone and everything the forms below need; nobody logged in."""
    admin = filled
    trainer = create_user(role='trainer')
    today = academy_today()
    upcoming = create_offering(
        trainers=[trainer],
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=15),
        applications_open_on=today - timedelta(days=7),
        applications_close_on=today + timedelta(days=7),
    )
    enrollment = create_enrollment(offering=upcoming)
    db.session.commit()
    return {
        'admin': admin,
        'trainer': trainer,
        'participant': create_user(),
        'offering': upcoming,
        'session': upcoming.sessions[0],
        'enrollment': enrollment,
        'certificate': db.session.scalar(select(Certificate).order_by(Certificate.id)),
    }


def _forms(s):
    """{form: (who posts, URL, valid values)}."""
    return {
        'login': (None, '/login', {'email': 'nobody@example.test', 'password': 'correct horse'}),
        'register': (
            None,
            '/register',
            {
                'full_name_ka': 'ნინო ბერიძე',
                'full_name_en': '',
                'email': 'nino@example.ge',
                'sector': 'civil_servant',
                'position': 'სპეციალისტი',
                'password': 'long enough',
                'confirm': 'long enough',
            },
        ),
        'person': (
            'admin',
            '/admin/people/new',
            {
                'email': 'nino@example.ge',
                'full_name_ka': 'ნინო ბერიძე',
                'full_name_en': '',
                'role': 'participant',
                'sector': 'civil_servant',
                'position': 'სპეციალისტი',
                'phone': '+995 555 12 34 56',
                'password': '',
            },
        ),
        'course': (
            'admin',
            '/admin/courses/new',
            {
                'code': 'PB-101',
                'title_ka': 'სამოქალაქო ბიუჯეტი',
                'title_en': 'Civil budgeting',
                'description_ka': 'აღწერა',
                'description_en': 'About',
                'kind': 'training',
                'hours': '12',
                'min_attendance_pct': '75',
            },
        ),
        'offering': (
            'admin',
            '/admin/offerings/new',
            {
                'course_id': str(s['offering'].course_id),
                'starts_on': '2026-05-04',
                'ends_on': '2026-05-06',
                'location': 'ზუგდიდი',
                'format': 'in_person',
                'status': 'published',
            },
        ),
        'organization': (
            'admin',
            '/admin/organizations/new',
            {'name_ka': 'ფონდი', 'name_en': 'Fund', 'kind': 'cso', 'region': 'imereti'},
        ),
        'session': (
            'admin',
            f'/admin/offerings/{s["offering"].id}/sessions/new',
            {'day': '2026-03-03', 'starts_at': '10:00', 'ends_at': '12:00', 'topic': 'თემა'},
        ),
        'assessment': (
            'admin',
            f'/admin/offerings/{s["offering"].id}/assessments/new',
            {'title': 'ტესტი', 'max_score': '10', 'pass_score': '5'},
        ),
        'trainer assessment': (
            'trainer',
            f'/teach/offerings/{s["offering"].id}/assessments/new',
            {'title': 'ტესტი', 'max_score': '10', 'pass_score': '5'},
        ),
        'signatory': (
            'admin',
            '/admin/signatories/new',
            {'name_ka': 'ნინო', 'name_en': 'Nino', 'title_ka': 'დირექტორი', 'title_en': 'Director'},
        ),
        'revoke': (
            'admin',
            f'/admin/certificates/{s["certificate"].id}/revoke',
            {'reason': 'შეცდომით გაიცა.'},
        ),
        'roster': (
            'trainer',
            f'/teach/sessions/{s["session"].id}/roster',
            {f'status-{s["enrollment"].id}': 'present', f'note-{s["enrollment"].id}': ''},
        ),
        'application': (
            'participant',
            f'/catalogue/offerings/{s["offering"].id}/apply',
            {'motivation': 'მინდა ვისწავლო.'},
        ),
    }


#: (form, field): every text field of the forms above.
FIELDS = [
    ('login', 'email'),
    ('login', 'password'),
    ('register', 'full_name_ka'),
    ('register', 'full_name_en'),
    ('register', 'email'),
    ('register', 'position'),
    ('register', 'password'),
    ('register', 'confirm'),
    ('person', 'email'),
    ('person', 'full_name_ka'),
    ('person', 'full_name_en'),
    ('person', 'position'),
    ('person', 'phone'),
    ('person', 'password'),
    ('course', 'code'),
    ('course', 'title_ka'),
    ('course', 'title_en'),
    ('course', 'description_ka'),
    ('course', 'description_en'),
    ('offering', 'location'),
    ('organization', 'name_ka'),
    ('organization', 'name_en'),
    ('session', 'topic'),
    ('assessment', 'title'),
    ('trainer assessment', 'title'),
    ('signatory', 'name_ka'),
    ('signatory', 'name_en'),
    ('signatory', 'title_ka'),
    ('signatory', 'title_en'),
    ('revoke', 'reason'),
    ('roster', 'note-{enrollment}'),
    ('application', 'motivation'),
]


def _rows(db):
    """How many rows every table holds, and the certificates' statuses."""
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    db.session.expire_all()
    return counts, sorted(db.session.scalars(select(Certificate.status)))


def _post(client, login, scene, form, field, value):
    who, url, data = _forms(scene)[form]
    if who:
        login(scene[who])
    field = field.format(enrollment=scene['enrollment'].id)
    return client.post(url, data={**data, field: value})


@pytest.mark.parametrize(('form', 'field'), FIELDS, ids=[f'{f}.{n}' for f, n in FIELDS])
def test_a_long_paste_into_a_field_is_refused_beside_it_and_saves_nothing(
    client, db, login, scene, form, field
):
    before = _rows(db)

    response = _post(client, login, scene, form, field, LONG)

    assert response.status_code == 422
    assert 'მაქსიმუმ' in response.text  # "at most … characters", in Georgian
    assert _rows(db) == before


@pytest.mark.parametrize('form', sorted({form for form, _ in FIELDS}))
def test_a_long_georgian_paste_is_too_large_a_body_and_saves_nothing(
    client, db, login, scene, form
):
    before = _rows(db)
    field = next(name for f, name in FIELDS if f == form)

    response = _post(client, login, scene, form, field, LONG_GEORGIAN)

    assert response.status_code == 413
    assert 'ფაილი ან ფორმა ძალიან დიდია (მაქსიმუმ 1 MB).' in response.text
    assert _rows(db) == before


@pytest.mark.parametrize(
    ('text', 'status'),
    [
        (LONG, 422),
        ('enrollment_id,status,note\r\n{enrollment},present,' + LONG, 422),
        ('enrollment_id,status,note\r\n{enrollment},present,"' + LONG + '"', 422),
        ('enrollment_id,status,note\r\n{enrollment},present,' + LONG_GEORGIAN, 413),
    ],
    ids=['no header', 'a long note', 'a long quoted note', 'a long Georgian note'],
)
def test_a_long_paste_into_the_csv_text_area_is_refused_and_saves_nothing(
    client, db, login, scene, text, status
):
    login(scene['trainer'])
    before = _rows(db)

    response = client.post(
        f'/teach/sessions/{scene["session"].id}/import',
        data={'csv_text': text.format(enrollment=scene['enrollment'].id), 'apply': '1'},
    )

    assert response.status_code == status
    assert _rows(db) == before


@pytest.mark.parametrize('url', LIST_PAGES.values())
def test_a_long_paste_into_a_search_box_finds_what_its_start_finds(client, login, scene, url):
    login(scene['admin'])
    response = client.get(url, query_string={'q': LONG})

    assert response.status_code == 200
    assert f'value="{"x" * 100}"' in response.text  # what the search read is shown back


def test_the_search_on_the_enroll_page_takes_a_long_paste_too(client, login, scene):
    login(scene['admin'])
    url = f'/admin/offerings/{scene["offering"].id}/enroll'

    assert client.get(url, query_string={'q': LONG}).status_code == 200


@pytest.mark.parametrize('csrf', [False, True], ids=['without CSRF', 'with CSRF'])
@pytest.mark.parametrize(
    ('url', 'who'),
    [
        ('/login', None),
        ('/register', None),
        ('/admin/courses/new', 'admin'),
        ('/teach/sessions/{session}/import', 'trainer'),
        ('/catalogue/offerings/{offering}/apply', 'participant'),
    ],
)
def test_a_body_over_1_mb_gets_a_page_in_the_reader_s_language(
    app, client, login, scene, url, who, csrf
):
    app.config['WTF_CSRF_ENABLED'] = csrf  # with CSRF, the body is refused before the view
    if who:
        login(scene[who])
    url = url.format(session=scene['session'].id, offering=scene['offering'].id)
    body = {'file': LONG * 6}

    georgian = client.post(url, data=body)
    client.get('/language/en')
    english = client.post(url, data=body)

    assert georgian.status_code == english.status_code == 413
    assert 'ფაილი ან ფორმა ძალიან დიდია (მაქსიმუმ 1 MB).' in georgian.text
    assert 'The file or form is too large (at most 1 MB).' in english.text
    assert 'Request Entity Too Large' not in georgian.text + english.text
