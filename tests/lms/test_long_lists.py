"""Long lists: search by part of a name, by exact e-mail and by serial in any spelling;
keyset pages that walk forwards and back without repeating or losing rows that tie on
the sort key; counts that stop at a cap. Runs on PostgreSQL too (TEST_DATABASE_URL),
where the trigram indexes answer the searches."""

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from certificates import Certificate
from lms import pagination, search
from lms.attendance.service import record_attendance
from lms.awarding.service import issue_for_offering
from lms.extensions import db as _db
from lms.models import Enrollment, OutboxMessage, User
from lms.pagination import capped_count, keyset_page
from lms.people.service import search_users, users_look_ahead
from tests.lms.lists import pager_link


@pytest.fixture
def admin(create_user, login):
    return login(create_user(role='admin', full_name_ka='ადმინი', full_name_en='Admin'))


@pytest.fixture
def people(db, create_user):
    nino = create_user(
        full_name_ka='ნინო ბერიძე', full_name_en='Nino Beridze', email='nino@example.ge'
    )
    giorgi = create_user(
        full_name_ka='გიორგი კაპანაძე', full_name_en='Giorgi Kapanadze', email='g.k@example.ge'
    )
    ninoshvili = create_user(
        full_name_ka='ეკა ნინოშვილი', full_name_en='Eka Ninoshvili', email='eka@nino.example.ge'
    )
    db.session.commit()
    return nino, giorgi, ninoshvili


def _found(query):
    return {u.email for u in _db.session.scalars(search_users(query))}


def test_part_of_a_name_finds_people_in_georgian_and_in_english(people):
    assert _found('ბერიძ') == {'nino@example.ge'}
    assert _found('კაპანა') == {'g.k@example.ge'}
    assert _found('beridze') == {'nino@example.ge'}
    assert _found('KAPAN') == {'g.k@example.ge'}
    assert _found('ნინო') == {'nino@example.ge', 'eka@nino.example.ge'}  # anywhere in the name


def test_an_e_mail_address_finds_its_owner_only(people):
    # 'nino@example.ge' is part of no other address, but 'nino' is part of three.
    assert _found('NINO@example.ge') == {'nino@example.ge'}
    assert _found(' g.k@example.ge ') == {'g.k@example.ge'}
    assert _found('nobody@example.ge') == set()
    assert _found('nino') == {'nino@example.ge', 'eka@nino.example.ge'}


def test_an_e_mail_address_is_one_equality_on_the_address():
    sql = str(search.people('Nino@Example.GE').compile(compile_kwargs={'literal_binds': True}))
    assert sql.endswith(".email = 'nino@example.ge')") and 'LIKE' not in sql.upper()
    assert search.email_address('nino@') is None and search.email_address('a b@c.ge') is None


def test_the_people_page_searches(client, admin, people):
    page = client.get('/admin/people', query_string={'q': 'ბერიძე'}).text
    assert 'nino@example.ge' in page and 'g.k@example.ge' not in page
    page = client.get('/admin/people', query_string={'q': 'eka@nino.example.ge'}).text
    assert 'eka@nino.example.ge' in page and 'nino@example.ge<' not in page


@pytest.fixture
def certificate(db, create_user, create_offering, create_enrollment):
    admin = create_user(role='admin')
    offering = create_offering()
    enrollment = create_enrollment(
        offering=offering,
        user=create_user(
            full_name_ka='თამარ გელაშვილი',
            full_name_en='Tamar Gelashvili',
            email='tamar@example.ge',
        ),
    )
    for offering_session in offering.sessions:
        record_attendance(
            offering_session, [{'enrollment_id': enrollment.id, 'status': 'present'}], actor=admin
        )
    (issued,), _ = issue_for_offering(offering, actor=admin)
    db.session.commit()
    return issued


def _certificates(query):
    stmt = select(Certificate.serial).where(search.certificates(query))
    return set(_db.session.scalars(stmt))


def test_a_serial_is_found_in_any_spelling(certificate):
    serial = certificate.serial
    grouped = certificate.formatted_serial
    spellings = [
        serial,
        serial.lower(),
        grouped,
        grouped.lower().replace('-', ' '),
        f' {grouped.replace("0", "O").replace("1", "l")} ',
        f'https://academy.example.ge/v/{grouped}?utm=x',
    ]
    for spelling in spellings:
        assert search.certificate_serial(spelling) == serial, spelling
        assert _certificates(spelling) == {serial}, spelling
    clause = search.certificates(grouped.lower())
    assert str(clause.compile(compile_kwargs={'literal_binds': True})) == (
        f"certificates.serial = '{serial}'"
    )


def test_certificates_are_found_by_the_holders_name_address_or_part_of_the_serial(
    certificate, create_user, db
):
    create_user(full_name_ka='სხვა ადამიანი', full_name_en='Someone Else')
    db.session.commit()
    serial = certificate.serial
    assert _certificates('გელაშ') == {serial}
    assert _certificates('gelashvili') == {serial}
    assert _certificates('Tamar@Example.ge') == {serial}
    assert _certificates(certificate.formatted_serial[:9]) == {serial}
    assert _certificates('სხვა') == set()


def test_messages_are_found_by_exact_address_or_part_of_address_or_subject(db):
    for address, subject in [('nino@example.ge', 'სერტიფიკატი'), ('anino@example.ge', 'Hello')]:
        db.session.add(
            OutboxMessage(
                template='certificate_revoked',
                to_address=address,
                locale='ka',
                subject=subject,
                text_body='ტექსტი',
                html_body='<p>ტექსტი</p>',
            )
        )
    db.session.commit()

    def found(query):
        stmt = select(OutboxMessage.to_address).where(search.messages(query))
        return set(db.session.scalars(stmt))

    assert found('NINO@example.ge') == {'nino@example.ge'}
    assert found('nino@') == {'nino@example.ge', 'anino@example.ge'}
    assert found('სერტიფ') == {'nino@example.ge'}


# -- keyset pages -------------------------------------------------------------------------


def _ids(response, kind):
    return list(dict.fromkeys(int(n) for n in re.findall(rf'/admin/{kind}/(\d+)"', response.text)))


def _walk(client, url, kind):
    """Every page of a list forwards, then backwards from the last: the ids each showed."""
    pages = [client.get(url)]
    while link := pager_link(pages[-1], 'next'):
        pages.append(client.get(link))
    forward = [_ids(page, kind) for page in pages]
    backward = [forward[-1]]
    page = pages[-1]
    while link := pager_link(page, 'prev'):
        page = client.get(link)
        backward.append(_ids(page, kind))
    return forward, backward


@pytest.mark.app_config(PER_PAGE=3)
def test_people_with_the_same_name_are_each_on_one_page(client, admin, create_user, db):
    same = [create_user(full_name_ka='ნინო ბერიძე') for _ in range(8)]
    db.session.commit()
    forward, backward = _walk(client, '/admin/people', 'people')
    assert [len(ids) for ids in forward] == [3, 3, 3]  # the admin and eight Ninos
    shown = [i for ids in forward for i in ids]
    assert sorted(shown) == sorted([admin.id, *(u.id for u in same)])  # none twice, none lost
    assert backward == list(reversed(forward))


@pytest.mark.app_config(PER_PAGE=2)
def test_applications_made_at_the_same_moment_each_show_once(
    client, admin, create_offering, create_enrollment, db
):
    offering = create_offering()
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    enrollments = [create_enrollment(offering, status='applied') for _ in range(5)]
    for enrollment in enrollments:
        enrollment.applied_at = moment
    db.session.commit()
    url = f'/admin/offerings/{offering.id}/applications'

    pages = [client.get(url)]
    while link := pager_link(pages[-1], 'next'):
        pages.append(client.get(link))
    shown = [
        int(n) for p in pages for n in re.findall(r'name="enrollment_ids" value="(\d+)"', p.text)
    ]
    assert shown == sorted(e.id for e in enrollments)  # first come first; ties by id


def test_keyset_pages_of_the_service_walk_back_to_the_start(app, db, create_user):
    for n in range(7):
        create_user(full_name_ka=f'სახელი {n % 2}')
    db.session.commit()
    stmt = search_users()
    pages = [keyset_page(stmt, per_page=3)]
    while pages[-1].has_next:
        pages.append(keyset_page(stmt, after=str(pages[-1].next_cursor), per_page=3))
    ids = [u.id for p in pages for u in p.items]
    assert ids == [u.id for u in db.session.scalars(stmt)]
    back = keyset_page(stmt, before=str(pages[-1].prev_cursor), per_page=3)
    assert [u.id for u in back.items] == [u.id for u in pages[-2].items]
    assert back.has_next
    first = keyset_page(stmt, before=str(pages[1].prev_cursor), per_page=3)
    assert not first.has_prev and [u.id for u in first.items] == [u.id for u in pages[0].items]


@pytest.mark.parametrize('query', ['ბერიძე', 'nino', 'Zurab'])
def test_a_searched_list_looks_ahead_and_pages_as_without(app, db, create_user, monkeypatch, query):
    """Pages found among the list's next rows (many found: 'ბერიძე', every other person)
    or from all that is found (few: 'Zurab'; or found late in the order: 'nino', whose
    people come last by Georgian name) are the pages the plain search gives, forwards
    and back."""
    monkeypatch.setattr(pagination, 'LOOK_AHEAD', 4)
    for n in range(12):
        create_user(full_name_ka=f'ანა ბერიძე {n}', full_name_en=f'Ana Beridze {n}')
        create_user(full_name_ka=f'ბექა {n}', full_name_en=f'Beka {n}')
    for n in range(5):
        create_user(full_name_ka=f'ჰ {n}', full_name_en=f'Nino {n}')
    create_user(full_name_ka='ზურაბ', full_name_en='Zurab')
    db.session.commit()
    stmt, look_ahead = search_users(query), users_look_ahead(query)
    expected = [u.id for u in db.session.scalars(stmt)]
    pages = [keyset_page(stmt, per_page=2, look_ahead=look_ahead)]
    while pages[-1].has_next:
        after = str(pages[-1].next_cursor)
        pages.append(keyset_page(stmt, after=after, per_page=2, look_ahead=look_ahead))
    assert [u.id for p in pages for u in p.items] == expected
    for earlier, later in itertools.pairwise(pages):
        before = str(later.prev_cursor)
        back = keyset_page(stmt, before=before, per_page=2, look_ahead=look_ahead)
        assert [u.id for u in back.items] == [u.id for u in earlier.items]
    assert pages[0].total == len(expected)


def test_a_search_finds_nothing_across_a_name_and_an_address(people):
    """Names and address are searched as one text, a line break between them; a search
    reads a line break as a space, so nothing is found across the two."""
    assert _found('ბერიძე\nNino') == set()
    assert _found('Beridze\nnino@') == set()
    assert search.search_text(' ბერიძე\r\nNino ') == 'ბერიძე Nino'


def test_a_cursor_whose_row_is_gone_starts_at_the_first_page(app, db, create_user):
    users = [create_user() for _ in range(3)]
    db.session.commit()
    page = keyset_page(search_users(), after=str(users[-1].id + 1000), per_page=2)
    assert not page.has_prev and len(page.items) == 2


def test_a_count_stops_at_its_cap(app, db, create_user):
    for _ in range(5):
        create_user()
    db.session.commit()
    assert capped_count(select(User), cap=3) == (3, True)
    assert capped_count(select(User), cap=5) == (5, False)
    assert capped_count(select(Enrollment), cap=3) == (0, False)


@pytest.mark.app_config(PER_PAGE=2)
def test_a_long_list_says_more_than_the_cap(client, admin, create_user, db, monkeypatch):
    for _ in range(4):
        create_user()
    db.session.commit()
    client.post('/language/en')
    monkeypatch.setattr(pagination, 'COUNT_CAP', 3)
    assert 'More than 3 in all' in client.get('/admin/people').text
    monkeypatch.setattr(pagination, 'COUNT_CAP', 5)
    assert '5 in all' in client.get('/admin/people').text


def test_a_trainers_home_shows_what_is_to_come_and_pages_the_past(
    client, login, create_user, create_course, create_offering, db
):
    trainer = create_user(role='trainer')
    coming = create_offering(
        course=create_course(title_ka='მომავალი კურსი'),
        trainers=[trainer],
        starts_on=date(2099, 5, 1),
        ends_on=date(2099, 5, 2),
        sessions=0,
    )
    past = [
        create_offering(
            course=create_course(title_ka=f'წარსული {n:02d}'),
            trainers=[trainer],
            starts_on=date(2020, 1, 1) + timedelta(days=n),
            ends_on=date(2020, 1, 1) + timedelta(days=n),
            sessions=0,
        )
        for n in range(13)
    ]
    create_offering(course=create_course(title_ka='სხვისი კურსი'), sessions=0)
    login(trainer)

    first = client.get('/home')
    assert 'მომავალი კურსი' in first.text and 'სხვისი კურსი' not in first.text
    assert f'/teach/offerings/{coming.id}"' in first.text

    def shown(response):
        return re.findall(r'წარსული (\d\d)', response.text)

    assert shown(first) == [f'{n:02d}' for n in range(12, 2, -1)]  # the latest ten
    second = client.get(pager_link(first, 'next'))
    assert shown(second) == ['02', '01', '00'] and 'მომავალი კურსი' in second.text
    assert pager_link(second, 'next') is None
    assert shown(client.get(pager_link(second, 'prev'))) == shown(first)
    assert len(past) == 13
