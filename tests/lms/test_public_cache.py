"""The front page and the catalogue reuse what is the same for every visitor for a few
seconds (lms/caching.py), and never what belongs to one of them."""

from datetime import timedelta

import pytest

from lms import caching
from lms.extensions import academy_today
from tests.statements import count_statements

pytestmark = pytest.mark.app_config(PUBLIC_CACHE_SECONDS=30)

PAGES = ('/', '/catalogue/')


@pytest.fixture
def clock(monkeypatch):
    """The caches' clock, moved by the test instead of waiting."""
    now = [1000.0]
    monkeypatch.setattr(caching, 'clock', lambda: now[0])
    return now


@pytest.fixture
def upcoming(create_offering, create_course, create_organization):
    course = create_course(title_ka='სამოქალაქო ბიუჯეტი', title_en='Civil budget')
    host = create_organization(name_ka='ზუგდიდი', name_en='Zugdidi', kind='municipality')
    return create_offering(
        course=course,
        municipality_id=host.id,
        location='საკრებულო',
        starts_on=academy_today() + timedelta(days=14),
        ends_on=academy_today() + timedelta(days=15),
    )


def _browser(app, user=None, locale=None):
    browser = app.test_client()
    with browser.session_transaction() as session:
        if user is not None:
            session['_user_id'] = user.get_id()
            session['_fresh'] = True
        if locale:
            session['locale'] = locale
    return browser


@pytest.mark.parametrize('path', PAGES)
def test_a_change_shows_once_the_lifetime_is_over(app, db, upcoming, clock, create_user, path):
    visitor = _browser(app)
    person = _browser(app, create_user())
    seen_before = [b.get(path).get_data(as_text=True) for b in (visitor, person)]
    upcoming.course.title_ka = 'ახალი სახელი'
    db.session.commit()
    clock[0] += 29
    seen_within = [b.get(path).get_data(as_text=True) for b in (visitor, person)]
    clock[0] += 2
    seen_after = [b.get(path).get_data(as_text=True) for b in (visitor, person)]

    for page in seen_before + seen_within:
        assert 'სამოქალაქო ბიუჯეტი' in page
        assert 'ახალი სახელი' not in page
    for page in seen_after:
        assert 'ახალი სახელი' in page
        assert 'სამოქალაქო ბიუჯეტი' not in page


@pytest.mark.parametrize('path', PAGES)
def test_what_is_personal_never_goes_from_one_visitor_to_another(
    app, upcoming, clock, create_user, path
):
    anna = create_user(full_name_ka='ანა ბერიძე', full_name_en='Anna Beridze')
    nino = create_user(full_name_ka='ნინო კაპანაძე', full_name_en='Nino Kapanadze')
    first_visitor = _browser(app).get(path).get_data(as_text=True)
    as_anna = _browser(app, anna).get(path).get_data(as_text=True)
    as_nino = _browser(app, nino).get(path).get_data(as_text=True)
    next_visitor = _browser(app).get(path).get_data(as_text=True)

    assert 'ანა ბერიძე' in as_anna and 'ნინო კაპანაძე' not in as_anna
    assert 'ნინო კაპანაძე' in as_nino and 'ანა ბერიძე' not in as_nino
    for page in (first_visitor, next_visitor):
        assert 'ანა ბერიძე' not in page and 'ნინო კაპანაძე' not in page
        assert 'name="csrf_token"' not in page  # nobody's form token is kept either
        assert '/login' in page
    for page in (as_anna, as_nino):
        assert '/logout' in page
        assert 'სამოქალაქო ბიუჯეტი' in page  # the shared part, from the cache


def test_a_visitor_gets_no_session_from_a_kept_page(app, upcoming, clock):
    for path in PAGES:
        _browser(app).get(path)
        again = _browser(app).get(path)
        assert again.status_code == 200
        assert 'Set-Cookie' not in again.headers


@pytest.mark.parametrize('path', PAGES)
def test_each_language_is_kept_apart(app, upcoming, clock, path):
    georgian = _browser(app).get(path).get_data(as_text=True)
    english = _browser(app, locale='en').get(path).get_data(as_text=True)
    georgian_again = _browser(app).get(path).get_data(as_text=True)

    assert 'Civil budget' in english and 'Zugdidi' in english
    assert 'სამოქალაქო ბიუჯეტი' not in english
    for page in (georgian, georgian_again):
        assert 'სამოქალაქო ბიუჯეტი' in page and 'ზუგდიდი' in page
        assert 'Civil budget' not in page


@pytest.mark.app_config(PUBLIC_CACHE_SECONDS=0, STATS_CACHE_SECONDS=0)
@pytest.mark.parametrize('path', PAGES)
def test_the_lists_take_as_many_statements_for_many_offerings_as_for_one(
    app, db, create_offering, create_course, create_organization, path
):
    made = []

    def add(n):
        for _ in range(n):
            i = len(made)
            made.append(i)
            host = create_organization(name_ka=f'მუნიციპალიტეტი {i}', kind='municipality')
            create_offering(
                course=create_course(),
                municipality_id=host.id,
                starts_on=academy_today() + timedelta(days=3 + i),
                ends_on=academy_today() + timedelta(days=4 + i),
            )

    visitor = _browser(app)
    add(1)
    with count_statements() as one:
        visitor.get(path)
    add(8)
    with count_statements() as nine:
        page = visitor.get(path).get_data(as_text=True)

    assert page.count('მუნიციპალიტეტი') >= 6
    assert len(nine) == len(one)


def test_the_store_forgets_everything_past_its_size(app, monkeypatch, clock):
    monkeypatch.setattr(caching, 'MAX_ENTRIES', 3)
    calls = []
    with app.test_request_context():
        for key in range(4):
            caching.remembered(key, lambda k=key: calls.append(k) or k)
        assert caching.remembered(0, lambda: calls.append('again') or 0) == 0
    assert calls == [0, 1, 2, 3, 'again']
