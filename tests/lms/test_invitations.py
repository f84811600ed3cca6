"""Invitations from a CSV file: a dry run that names each bad line, every line or none,
nobody created twice, and the link that lets an invited person choose a password."""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from lms.extensions import utcnow
from lms.models import Enrollment, OutboxMessage, User
from lms.notifications.service import render

BASE = 'https://academy.example.test'
HEADER = 'full_name_ka,full_name_en,email,organization,position,sector,course_code,starts_on'


@pytest.fixture
def setting(db, create_user, create_organization, create_course, create_offering, login):
    admin = login(create_user(role='admin'))
    organization = create_organization(name_ka='ქუთაისის მერია', name_en='Kutaisi City Hall')
    course = create_course(code='PB-101')
    offering = create_offering(course, starts_on=date(2026, 3, 2), capacity=10)
    return admin, organization, offering


def _file(*lines):
    return '\r\n'.join([HEADER, *lines]) + '\r\n'


GOOD = _file(
    'ნინო ბერიძე,,Nino@Example.ge,ქუთაისის მერია,სპეციალისტი,civil_servant,PB-101,2026-03-02',
    'გიორგი კაპანაძე,Giorgi K,giorgi@example.ge,Kutaisi City Hall,,საჯარო მოხელე,,',
    'მარიამ ლომიძე,,mariam@example.ge,,,,pb-101,02.03.2026',
)


def _post(client, text, apply=False):
    data = {'csv_text': text, 'apply' if apply else 'check': '1'}
    return client.post('/admin/people/invite', data=data)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_people_list_links_to_the_invitations(client, setting):
    assert 'href="/admin/people/invite"' in client.get('/admin/people').text
    assert client.get('/admin/people/invite').status_code == 200


def test_a_dry_run_reports_each_bad_line_and_creates_nothing(client, db, setting):
    users_before = _count(db, User)
    text = _file(
        'ნინო ბერიძე,,nino@example.ge,,,,,',
        ',,nameless@example.ge,,,,,',  # line 3: no Georgian name
        'ანა,,not-an-address,,,,,',  # line 4
        'ნინო მეორე,,NINO@example.ge,,,,,',  # line 5: the same address as line 2
        'ლევანი,,levan@example.ge,Nowhere Inc,,,,',  # line 6
        'ეკა,,eka@example.ge,,,astronaut,,',  # line 7
        'დათო,,dato@example.ge,,,,XX-1,2026-03-02',  # line 8
        'სოსო,,soso@example.ge,,,,PB-101,March 2',  # line 9
    )
    for apply in (False, True):
        response = _post(client, text, apply=apply)
        assert response.status_code == 422
        rows = re.findall(r'<tr><td>(\d+)</td><td>(.*?)</td></tr>', response.text, re.S)
        assert [int(line) for line, _ in rows] == [3, 4, 5, 6, 7, 8, 9]
        problems = dict(rows)
        assert 'full_name_ka' in problems['3']
        assert 'email' in problems['4']
        assert 'მე-2 სტრიქონში' in problems['5']  # the same address as line 2
        assert 'organization' in problems['6']
        assert 'sector' in problems['7']
        assert 'course_code' in problems['8']
        assert 'starts_on' in problems['9']
    assert _count(db, User) == users_before
    assert _count(db, OutboxMessage) == 0


def test_a_dry_run_of_a_good_file_says_what_would_happen_and_does_nothing(client, db, setting):
    response = _post(client, GOOD)
    assert response.status_code == 200
    assert 'alert-success' in response.text
    assert 'იმპორტი შექმნის 3 პირს (0 უკვე არსებობს), ჩარიცხავს 2-ს და მოწვევას გაუგზავნის 3-ს' in (
        response.text
    )
    assert db.session.scalar(select(User).where(User.email == 'nino@example.ge')) is None
    assert _count(db, OutboxMessage) == 0


def test_applying_creates_enrols_and_invites_everyone(client, db, setting):
    _, organization, offering = setting
    response = _post(client, GOOD, apply=True)
    assert response.status_code == 302

    nino = db.session.scalar(select(User).where(User.email == 'nino@example.ge'))
    giorgi = db.session.scalar(select(User).where(User.email == 'giorgi@example.ge'))
    assert nino.full_name_en == 'Nino Beridze'  # romanised
    assert nino.organization_id == giorgi.organization_id == organization.id
    assert giorgi.sector == 'civil_servant'  # from the Georgian word
    assert nino.password_hash is None and nino.invited_at is not None
    assert nino.email_confirmed_at is None
    enrolled = db.session.scalars(
        select(Enrollment).where(Enrollment.offering_id == offering.id)
    ).all()
    assert sorted(e.user.email for e in enrolled) == ['mariam@example.ge', 'nino@example.ge']
    assert {e.status for e in enrolled} == {'accepted'}
    invitations = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == 'invitation')
    ).all()
    assert sorted(m.to_address for m in invitations) == [
        'giorgi@example.ge',
        'mariam@example.ge',
        'nino@example.ge',
    ]
    flashed = client.get('/admin/people').text
    assert 'შეიქმნა 3 პირი, უკვე არსებობდა 0, ჩაირიცხა 2, მოწვევა გაეგზავნა 3-ს' in flashed


def test_uploading_the_same_file_again_creates_nobody_twice_and_mails_nobody_twice(
    client, db, setting
):
    assert _post(client, GOOD, apply=True).status_code == 302
    users, enrollments = _count(db, User), _count(db, Enrollment)

    again = _post(client, GOOD.replace('Nino@Example.ge', 'NINO@EXAMPLE.GE'), apply=True)

    assert again.status_code == 302
    assert _count(db, User) == users
    assert _count(db, Enrollment) == enrollments
    assert _count(db, OutboxMessage) == 3


def test_people_who_set_a_password_are_not_invited_again_and_expired_links_are_renewed(
    client, db, setting, create_user
):
    create_user(email='giorgi@example.ge')  # has a password already
    late = create_user(email='mariam@example.ge', password=None)
    late.invited_at = utcnow() - timedelta(days=20)

    assert _post(client, GOOD, apply=True).status_code == 302

    invited = db.session.scalars(
        select(OutboxMessage.to_address).where(OutboxMessage.template == 'invitation')
    ).all()
    assert sorted(invited) == ['mariam@example.ge', 'nino@example.ge']


def test_an_offering_that_is_full_is_a_bad_line(client, db, setting):
    _, _, offering = setting
    offering.capacity = 1
    response = _post(client, GOOD, apply=True)
    assert response.status_code == 422
    rows = re.findall(r'<tr><td>(\d+)</td>', response.text)
    assert rows == ['4']  # the second person for the one place
    assert _count(db, Enrollment) == 0


def test_an_invited_person_sets_a_password_from_the_link_and_logs_in(client, db, setting):
    _post(client, GOOD, apply=True)
    client.post('/logout')
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == 'nino@example.ge')
    )
    assert message.locale == 'ka'
    links = set(re.findall(re.escape(BASE) + r'/invitation/[^\s"<>]+', message.text_body))
    (link,) = links
    path = urlsplit(link).path

    page = client.get(path)
    assert page.status_code == 200
    done = client.post(path, data={'password': 'my own password', 'confirm': 'my own password'})
    assert done.status_code == 302
    nino = db.session.scalar(select(User).where(User.email == 'nino@example.ge'))
    assert nino.email_confirmed_at is not None
    assert client.get(path).status_code == 410  # used

    client.post('/logout')
    login = client.post('/login', data={'email': 'nino@example.ge', 'password': 'my own password'})
    assert login.status_code == 302
    assert login.headers['Location'] == '/home'


def test_an_upload_of_a_file_with_the_wrong_columns_is_refused(client, db, setting):
    response = client.post(
        '/admin/people/invite',
        data={'csv_file': (__import__('io').BytesIO(b'name;mail\r\nx;y\r\n'), 'people.csv')},
    )
    assert response.status_code == 422
    assert 'full_name_ka' in response.text
    assert _count(db, OutboxMessage) == 0


def test_semicolons_utf16_and_formula_escapes_are_read_as_the_attendance_import_reads_them(
    client, db, setting
):
    text = _file("'=ნინო ბერიძე,,nino@example.ge,,,,,").replace(',', ';')
    data = {'csv_file': (__import__('io').BytesIO(text.encode('utf-16')), 'people.csv')}
    response = client.post('/admin/people/invite', data={**data, 'apply': '1'})
    assert response.status_code == 302
    nino = db.session.scalar(select(User).where(User.email == 'nino@example.ge'))
    assert nino.full_name_ka == '=ნინო ბერიძე'


# -- the three e-mails, in both languages ----------------------------------------------------


@pytest.mark.parametrize('template', ['password_reset', 'invitation', 'confirm_address'])
@pytest.mark.parametrize('locale', ['ka', 'en'])
def test_every_account_mail_renders_in_both_languages(
    app, db, create_user, create_offering, template, locale
):
    user = create_user(full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze')
    context = {
        'user': user,
        'link': BASE + '/x/token',
        'valid_for': timedelta(hours=1) if template == 'password_reset' else timedelta(days=14),
    }
    if template == 'invitation':
        context['offering'] = create_offering()
    with app.test_request_context():
        subject, text, html = render(template, locale, **context)
    name = 'ნინო ბერიძე' if locale == 'ka' else 'Nino Beridze'
    for body in (text, html):
        assert name in body
        assert BASE + '/x/token' in body
    assert subject
    georgian = re.compile('[\u10d0-\u10ff]')
    english_words = re.compile(r'\b(?:the|you|your|this|link|password)\b', re.I)
    if locale == 'ka':
        assert georgian.search(subject)
        assert not english_words.search(re.sub(r'<[^>]+>|https?://\S+', ' ', text)), text
    else:
        assert not georgian.search(subject)
        assert 'You receive this because' in text
