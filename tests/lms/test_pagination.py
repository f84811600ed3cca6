"""Every list page reads ?page= forgivingly: no value anyone can type gives an error."""

import re

import pytest

from lms.pagination import MAX_PAGE, page_number
from tests.lms.lists import (
    KEYSET_PAGES,
    LIST_PAGES,
    OFFERING_LIST_PAGES,
    ORGANIZATION_LIST_PAGES,
    TEMPLATES,
    pager_link,
)

#: The list pages with numbered pages, and those with keyset pages.
NUMBERED = [url for name, url in LIST_PAGES.items() if name not in KEYSET_PAGES]
KEYSET = [url for name, url in LIST_PAGES.items() if name in KEYSET_PAGES]


@pytest.mark.parametrize(
    ('text', 'number'),
    [
        (None, 1),
        ('', 1),
        ('2', 2),
        (' 3 ', 3),
        ('+4', 4),
        ('007', 7),
        ('abc', 1),
        ('2.5', 1),
        ('1e3', 1),
        ('0', 1),
        ('-1', 1),
        ('-99999', 1),
        ('99999', 99999),
        (str(MAX_PAGE), MAX_PAGE),
        (str(10**30), MAX_PAGE),
        ('9' * 5000, MAX_PAGE),
        ('٣', 1),
    ],
)
def test_a_page_number_is_read_from_any_text(text, number):
    assert page_number(text) == number


def _current_page(response):
    return int(re.search(r'aria-current="page">(\d+)<', response.text).group(1))


def _last_page(response):
    return max(int(n) for n in re.findall(r'[?&]page=(\d+)', response.text))


@pytest.mark.app_config(PER_PAGE=1)
@pytest.mark.parametrize('url', NUMBERED)
def test_no_page_number_breaks_a_list(client, login, filled, url):
    login(filled)
    first = client.get(url)
    assert first.status_code == 200
    last = _last_page(first)
    assert last >= 2

    for text in ('abc', '', '2.5', '0', '-1', '-99999'):
        response = client.get(url, query_string={'page': text})
        assert response.status_code == 200, text
        assert _current_page(response) == 1, text
    for text in ('99999', str(10**30), '9' * 5000):
        response = client.get(url, query_string={'page': text})
        assert response.status_code == 200, text
        assert _current_page(response) == last, text


@pytest.mark.parametrize('url', LIST_PAGES.values())
def test_an_empty_list_answers_any_page_number(client, login, create_user, url):
    login(create_user(role='admin'))
    for text in ('1', '99999', str(10**30), '-1', 'abc'):
        assert client.get(url, query_string={'page': text}).status_code == 200, text


def test_every_list_with_a_pager_is_listed():
    """A new list page with a pager joins LIST_PAGES, and so every test over them."""
    used = set()
    for template in TEMPLATES.rglob('*.html'):
        used |= set(re.findall(r"pagination\(page, '([\w.]+)'\)", template.read_text('utf-8')))
    assert used == set(LIST_PAGES) | set(OFFERING_LIST_PAGES) | set(ORGANIZATION_LIST_PAGES)


@pytest.mark.parametrize(
    'url',
    [
        '/admin/offerings?course_id={n}',
        '/admin/offerings?year={n}',
        '/admin/enrollments?offering_id={n}',
        '/admin/offerings/new?course_id={n}',
    ],
)
def test_a_filter_number_no_database_column_holds_is_ignored(client, login, filled, url):
    login(filled)
    for n in (10**30, 2**31, -1, 0):
        assert client.get(url.format(n=n)).status_code == 200, n


@pytest.mark.app_config(PER_PAGE=1)
@pytest.mark.parametrize('url', KEYSET)
def test_no_cursor_breaks_a_long_list(client, login, filled, url):
    """Whatever ?after=, ?before= or an old ?page= say, a long list answers its first page."""
    login(filled)
    first = client.get(url)
    assert first.status_code == 200
    assert pager_link(first, 'next') is not None and pager_link(first, 'prev') is None
    for name in ('after', 'before', 'page'):
        for text in ('abc', '', '2.5', '0', '-1', '99999', str(10**30), '9' * 5000, '٣'):
            response = client.get(url, query_string={name: text})
            assert response.status_code == 200, (name, text)
            assert pager_link(response, 'prev') is None, (name, text)


@pytest.mark.app_config(PER_PAGE=1)
@pytest.mark.parametrize('url', KEYSET)
def test_a_long_list_walks_to_its_end_and_back(client, login, filled, url):
    login(filled)
    forward = [client.get(url)]
    while (link := pager_link(forward[-1], 'next')) is not None:
        assert 'after=' in link
        forward.append(client.get(link))
    assert len(forward) >= 2
    backward = [forward[-1]]
    while (link := pager_link(backward[-1], 'prev')) is not None:
        assert 'before=' in link
        backward.append(client.get(link))
    assert [_list_part(r) for r in backward] == [_list_part(r) for r in reversed(forward)]


def _list_part(response):
    """A page without its pager and the fields that name the page's own address."""
    text = re.sub(
        r'<nav aria-label="[^"]*">\s*<ul class="pagination.*?</nav>', '', response.text, flags=re.S
    )
    return re.sub(r'name="(next|csrf_token)"[^>]*>', '', text)


def test_the_order_of_a_list_is_read_from_sqlalchemys_private_record_of_it():
    """Canary for the one private attribute keyset pages use (`_order_by_clauses`,
    SQLAlchemy pinned exactly in requirements.txt): its clauses name the columns and
    their direction, as lms/pagination.py reads them."""
    from sqlalchemy import select
    from sqlalchemy.sql import operators

    from lms.models import User

    stmt = select(User).order_by(User.full_name_ka.desc(), User.id.desc())
    clauses = list(stmt._order_by_clauses)
    assert [c.modifier is operators.desc_op for c in clauses] == [True, True]
    assert [c.element.key for c in clauses] == ['full_name_ka', 'id']
    ascending = list(select(User).order_by(User.email, User.id)._order_by_clauses)
    assert [getattr(c, 'modifier', None) for c in ascending] == [None, None]
    assert [c.key for c in ascending] == ['email', 'id']
    explicit = list(select(User).order_by(User.email.asc(), User.id.asc())._order_by_clauses)
    assert [c.modifier is operators.asc_op for c in explicit] == [True, True]
    assert [c.element.key for c in explicit] == ['email', 'id']
