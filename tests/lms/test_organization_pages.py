"""An organisation's public page, its people for the academy and its contact people, and
the index of organisations.

The expected counts are literals worked out by hand from the data set below (the working
is in the comments); none comes from the code under test.
"""

import re
from datetime import date
from decimal import Decimal

import pytest

from certificates import format_serial, new_serial
from lms.models import Attendance, Consultation, Enrollment
from lms.organizations.queries import readable_serial
from tests.conftest import make_certificate
from tests.statements import statements_of_page


@pytest.fixture
def english(client):
    with client.session_transaction() as sess:
        sess['locale'] = 'en'


@pytest.fixture
def academy(db, create_organization, create_course, create_offering, create_user):
    """Municipalities K (Kutaisi) and T (Telavi), a CSO C. One training course.

      O1 2024-03-04 host K completed (two sessions)   O2 2025-05-12 host K published
      O3 2025-09-01 host K draft                      O4 2025-10-01 host K cancelled
      O5 2024-06-03 host T completed

    People (profile organisation) and their enrollments:
      A (K): O1 accepted, present at both sessions, certificate valid;
             O5 accepted, certificate valid
      B (K): O2 accepted, certificate revoked
      C (C): O1 accepted, told K when applying; certificate expired on 2025-01-01
      D (K): O2 accepted, typed an organisation that is not listed; certificate valid
      E (K): O1 applied, never accepted
      F (T): O5 accepted

    Consultations: K 2024-05-10, K 2025-02-01, T 2025-06-01.
    """
    k = create_organization(kind='municipality', name_ka='ქუთაისი', name_en='Kutaisi')
    t = create_organization(kind='municipality', name_ka='თელავი', name_en='Telavi')
    c = create_organization(kind='cso', name_ka='მწვანე ალტერნატივა', name_en='Green Alt')
    course = create_course(kind='training', title_ka='სამოქალაქო ბიუჯეტი', title_en='Civic Budget')

    def offering(starts, host, status, sessions=0):
        return create_offering(
            course,
            starts_on=starts,
            ends_on=starts,
            municipality=host,
            status=status,
            sessions=sessions,
        )

    o1 = offering(date(2024, 3, 4), k, 'completed', sessions=2)
    o2 = offering(date(2025, 5, 12), k, 'published')
    o3 = offering(date(2025, 9, 1), k, 'draft')
    o4 = offering(date(2025, 10, 1), k, 'cancelled')
    o5 = offering(date(2024, 6, 3), t, 'completed')

    people = {
        key: create_user(
            organization=org,
            full_name_ka=f'პირი {key}',
            full_name_en=f'Person {key}',
            email=f'{key.lower()}@staff.test',
        )
        for key, org in [('A', k), ('B', k), ('C', c), ('D', k), ('E', k), ('F', t)]
    }

    def enroll(o, key, status='accepted', **told):
        e = Enrollment(offering=o, user=people[key], status=status, **told)
        db.session.add(e)
        db.session.flush()
        return e

    a1 = enroll(o1, 'A')
    a5 = enroll(o5, 'A')
    b2 = enroll(o2, 'B')
    c1 = enroll(o1, 'C', organization=k)
    d2 = enroll(o2, 'D', organization_other='ფონდი')
    enroll(o1, 'E', 'applied')
    enroll(o5, 'F')
    for offering_session in o1.sessions:
        db.session.add(
            Attendance(session_id=offering_session.id, enrollment_id=a1.id, status='present')
        )

    serials = {}

    def certificate(enrollment, key, status='valid', valid_until=None):
        made = make_certificate(
            enrollment, status, issued_on=date(2024, 3, 5), valid_until=valid_until
        )
        serials[key] = format_serial(made.serial)

    certificate(a1, 'A/O1')
    certificate(a5, 'A/O5')
    certificate(b2, 'B/O2', status='revoked')
    certificate(c1, 'C/O1', valid_until=date(2025, 1, 1))
    certificate(d2, 'D/O2')
    for org, day, topic in [
        (k, date(2024, 5, 10), 'სამოქალაქო ბიუჯეტის დანერგვა'),
        (k, date(2025, 2, 1), 'საჯარო განხილვები'),
        (t, date(2025, 6, 1), 'მოხალისეობა'),
    ]:
        db.session.add(
            Consultation(
                organization=org,
                expert_name='ნინო ბერიძე',
                consulted_on=day,
                topic=topic,
                hours=Decimal(3),
            )
        )
    db.session.flush()
    return {'K': k, 'T': t, 'C': c, 'people': people, 'serials': serials, 'o3': o3, 'o4': o4}


def _figure(page, code):
    return int(re.search(rf'data-figure="{code}">([\d,\s]+)<', page).group(1).replace(',', ''))


def _year_row(page, year):
    row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', page, re.S).group(1)
    return [int(n) for n in re.findall(r'>(\d+)<', row)][1:]


def test_the_page_shows_the_counts_worked_out_by_hand(client, academy):
    page = client.get(f'/organizations/{academy["K"].id}').text

    # Trained: accepted with K as employer: A (profile K; O1, O5), C (told K at O1),
    # B (O2). Not D (typed another organisation), not E (only applied) -> {A, B, C} = 3.
    assert _figure(page, 'trained') == 3
    # Certified (a valid certificate in force): A (O1, O5: once). B's is revoked, C's
    # expired on 2025-01-01, D's is not for K -> 1.
    assert _figure(page, 'certified') == 1
    # Hosted: O1, O2 (O3 is a draft, O4 cancelled; O5 is T's) -> 2.
    assert _figure(page, 'hosted') == 2
    # Consultations of K: 2024-05-10, 2025-02-01 -> 2.
    assert _figure(page, 'consultations') == 2
    # Per year (trained, certified, hosted, consultations):
    # 2024: A and C (O1, O5 for A) = 2; A = 1; O1 = 1; one consultation.
    # 2025: B (O2) = 1; 0; O2 = 1; one consultation.
    assert _year_row(page, 2024) == [2, 1, 1, 1]
    assert _year_row(page, 2025) == [1, 0, 1, 1]


def test_the_page_lists_events_newest_first_without_drafts_and_the_consultations(
    client, academy, english
):
    page = client.get(f'/organizations/{academy["K"].id}').text
    events = page[page.index('id="events"') : page.index('id="consultations"')]
    # O4 (cancelled, 2025-10), O2 (2025-05), O1 (2024-03); not the draft O3.
    links = re.findall(r'/catalogue/offerings/(\d+)', events)
    assert links[0] == str(academy['o4'].id)
    assert str(academy['o3'].id) not in links
    assert len(links) == 3
    consultations = page[page.index('id="consultations"') :]
    assert consultations.index('საჯარო განხილვები') < consultations.index('სამოქალაქო ბიუჯეტის')
    assert 'ნინო ბერიძე' in consultations and 'მოხალისეობა' not in consultations


def test_an_anonymous_visitor_sees_no_personal_data(client, academy):
    page = client.get(f'/organizations/{academy["K"].id}').text

    for key in 'ABCDEF':
        assert f'პირი {key}' not in page and f'Person {key}' not in page
        assert f'{key.lower()}@staff.test' not in page
    for serial in academy['serials'].values():
        assert serial not in page
    assert f'/organizations/{academy["K"].id}/people' not in page


def test_an_admin_sees_the_certified_people_with_serials_linking_to_verify(
    client, academy, login, create_user
):
    login(create_user(role='admin'))
    page = client.get(f'/organizations/{academy["K"].id}').text
    certified = page[page.index('id="certified"') :]

    serials = academy['serials']
    for shown in ('A/O1', 'A/O5'):
        assert f'href="/verify/{serials[shown]}"' in certified
    for hidden in ('B/O2', 'C/O1', 'D/O2'):
        assert serials[hidden] not in certified
    assert 'პირი A' in certified and 'პირი C' not in certified
    assert f'/admin/consultations/new?organization_id={academy["K"].id}' in page


def test_a_contact_person_sees_their_people_and_nothing_of_another_organisation(
    client, academy, login, create_user, db, english
):
    k, t = academy['K'], academy['T']
    contact = create_user(email='hr@kutaisi.test')
    k.contacts.append(contact)
    db.session.flush()
    login(contact)

    page = client.get(f'/organizations/{k.id}').text
    assert 'პირი A' in page or 'Person A' in page
    people = client.get(f'/organizations/{k.id}/people')
    assert people.status_code == 200
    # Staff: people whose profile names K: A, B, D, E (C's profile is the CSO).
    shown = set(re.findall(r'data-person="(\d+)"', people.text))
    assert shown == {str(academy['people'][key].id) for key in 'ABDE'}
    # A's O1 is over: the final attendance (both sessions) and eligibility, and the
    # certificate's serial.
    assert 'Final attendance 100%' in people.text
    assert academy['serials']['A/O1'] in people.text

    assert client.get(f'/organizations/{t.id}/people').status_code == 403
    other = client.get(f'/organizations/{t.id}').text
    assert 'Person F' not in other and 'id="certified"' not in other
    # Their home page leads to their organisation's people.
    assert f'/organizations/{k.id}/people' in client.get('/home').text


def test_a_participant_who_is_no_contact_person_gets_403(client, academy, login, create_user):
    login(academy['people']['A'])
    assert client.get(f'/organizations/{academy["K"].id}/people').status_code == 403


def test_the_index_searches_by_name_and_filters_by_kind_and_region(
    client, academy, create_organization
):
    create_organization(kind='cso', name_ka='ბათუმის ფონდი', region='adjara')
    found = client.get('/organizations', query_string={'q': 'ქუთ'}).text
    assert 'ქუთაისი' in found and 'თელავი' not in found
    csos = client.get('/organizations', query_string={'kind': 'cso'}).text
    assert 'მწვანე ალტერნატივა' in csos and 'ქუთაისი' not in csos
    adjara = client.get('/organizations', query_string={'region': 'adjara'}).text
    assert 'ბათუმის ფონდი' in adjara and 'მწვანე ალტერნატივა' not in adjara
    assert (
        client.get('/organizations', query_string={'region': 'nowhere', 'page': 'x'}).status_code
        == 200
    )


def test_the_index_has_pages(client, app, create_organization):
    for n in range(app.config['PER_PAGE'] + 1):
        create_organization(name_ka=f'ორგ {n:03d}')
    first = client.get('/organizations').text
    assert 'ორგ 000' in first and 'ორგ 025' not in first
    assert 'ორგ 025' in client.get('/organizations?page=2').text


def test_the_stats_page_links_municipalities_to_their_pages(client, academy):
    page = client.get('/stats?from=2024&to=2025').text
    assert f'href="/organizations/{academy["K"].id}"' in page


def test_an_unknown_organisation_is_404(client):
    assert client.get('/organizations/999999').status_code == 404


def test_a_number_from_before_the_system_is_shown_as_it_was_recorded():
    assert readable_serial('0042/2017') == '0042/2017'
    serial = new_serial()
    assert readable_serial(serial) == format_serial(serial)


@pytest.mark.app_config(PER_PAGE=1)
def test_every_list_of_an_organisation_pages_forgivingly(client, academy, login, create_user):
    login(create_user(role='admin'))
    k = academy['K'].id
    people = client.get(f'/organizations/{k}/people')
    assert people.status_code == 200 and len(re.findall(r'data-person="', people.text)) == 1
    # A, B, D, E: four pages; a page beyond shows the last, text shows the first.
    last = client.get(f'/organizations/{k}/people?page=99999').text
    assert re.search(r'aria-current="page">4<', last)
    assert re.search(
        r'aria-current="page">1<', client.get(f'/organizations/{k}/people?page=x').text
    )
    for name in ('events', 'consultations', 'certified'):
        for text in ('abc', '-1', '99999', '9' * 5000):
            page = client.get(f'/organizations/{k}', query_string={name: text})
            assert page.status_code == 200, (name, text)
    second = client.get(f'/organizations/{k}?events=2').text
    assert f'href="/organizations/{k}?events=3#events"' in second


def test_the_pages_send_as_many_statements_for_many_staff_as_for_few(
    client, app, db, login, create_user, create_organization, create_course, create_offering
):
    """The organisation's page and its people's page: each event, consultation, certified
    person and member of staff more (each with their enrollments and certificates) adds
    rows, never statements."""
    organization = create_organization(kind='municipality')
    login(create_user(role='admin'))
    path = f'/organizations/{organization.id}'

    def grow():
        course = create_course()
        offering = create_offering(
            course, municipality=organization, status='completed', sessions=2
        )
        for _ in range(2):
            person = create_user(organization=organization)
            e = Enrollment(offering=offering, user=person, status='accepted')
            db.session.add(e)
            db.session.flush()
            make_certificate(e)
            other = Enrollment(offering=create_offering(), user=person, status='accepted')
            db.session.add(other)
        db.session.add(
            Consultation(
                organization=organization,
                expert_name='ნინო ბერიძე',
                consulted_on=date(2025, 2, 1),
                topic='საჯარო განხილვები',
                hours=Decimal(2),
            )
        )
        db.session.commit()

    grow()
    few = statements_of_page(client, path), statements_of_page(client, f'{path}/people')
    for _ in range(4):
        grow()
    many = statements_of_page(client, path), statements_of_page(client, f'{path}/people')
    assert many == few
