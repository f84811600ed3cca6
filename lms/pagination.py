"""One page of a list, the same way on every list page, whatever the address bar says.

Short lists (courses, offerings, organisations, the catalogue) have numbered pages
(`paginate`, `?page=`); long lists (people, applications, certificates, e-mail, the audit
log) have keyset pages, "previous" and "next" only (`keyset_page`, `?after=` / `?before=`),
whose cost does not grow with the list.

A page number comes from the address bar, so it may be anything: text, zero, negative, or
a number of thirty digits. None of these is an error. Text, zero and negative numbers
mean the first page. A page beyond the last one shows the last page, not an empty one.
Such a link is usually an old bookmark or a shared link to a list that has since
shrunk, and the last page is the closest thing to what it pointed at. An empty page would
send the reader to look for a link back. The pager marks the page actually shown.
"""

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import any_, func, literal, literal_column, select, tuple_
from sqlalchemy.orm import aliased
from sqlalchemy.sql import operators

from lms.errors import Invalid
from lms.extensions import db
from lms.validation import MAX_INT

#: Beyond any real list. Numbers above it are read as "far beyond the last page", which
#: keeps OFFSET (page × per page) well inside the 64-bit integer both databases take.
MAX_PAGE = 1_000_000_000
_DIGITS = re.compile(r'\+?([0-9]+)')


def page_number(text):
    """The page asked for in `text` (a query-string value or None), from 1 to MAX_PAGE."""
    match = _DIGITS.fullmatch((text or '').strip())
    if match is None:
        return 1
    digits = match.group(1).lstrip('0')
    if len(digits) > len(str(MAX_PAGE)):  # too long to be a page: far beyond the last
        return MAX_PAGE
    return min(max(int(digits or 0), 1), MAX_PAGE)


def paginate(stmt, page=None, *, per_page=None):
    """One page of the select() `stmt`: a Flask-SQLAlchemy Pagination.

    `page` is the text of `?page=`, read by `page_number`; beyond the last page gives the
    last page (see the module docstring). `per_page` defaults to the PER_PAGE setting.
    An empty list gives an empty first page.
    """
    per_page = per_page or current_app.config['PER_PAGE']
    number = page_number(page)
    result = db.paginate(stmt, page=number, per_page=per_page, error_out=False)
    if number > 1 and not result.items and result.total:
        result = db.paginate(stmt, page=result.pages, per_page=per_page, error_out=False)
    return result


# -- long lists: keyset pages ----------------------------------------------------------------

#: A long list counts its rows up to this many and then says "more than …": the exact
#: number of a hundred thousand people is not worth reading them all on every page.
COUNT_CAP = 1000


@dataclass
class KeysetPage:
    """One page of a long list, found from where the previous or next page stopped.

    `after` / `before` are the ids of the rows a page starts after or ends before (the
    links of the pager); `total` is the number of rows up to COUNT_CAP, and
    `total_capped` says there are more.
    """

    items: list
    per_page: int
    has_prev: bool
    has_next: bool
    total: int
    total_capped: bool
    keyset: bool = True

    @property
    def prev_cursor(self):
        return self.items[0].id if self.has_prev and self.items else None

    @property
    def next_cursor(self):
        return self.items[-1].id if self.has_next and self.items else None

    @property
    def pages(self):
        """More than one page to show (what the pager asks before it shows itself)."""
        return 2 if self.has_prev or self.has_next else 1


def cursor(text):
    """The row id in `text` (`?after=` or `?before=`), or None for anything that is not a
    whole number an id column holds (the list then starts at its first page)."""
    match = _DIGITS.fullmatch((text or '').strip())
    if match is None or len(match.group(1)) > len(str(MAX_INT)):
        return None
    number = int(match.group(1))
    return number if 0 < number <= MAX_INT else None


def _order(stmt):
    """The columns `stmt` is ordered by and whether descending: keyset pages need one
    direction for all of them, and the row's id last (what makes the order total).

    Read from the statement itself, so that each list's order is written once, in its
    query (`_order_by_clauses` is SQLAlchemy's own record of the ORDER BY)."""
    columns, directions = [], set()
    for clause in stmt._order_by_clauses:
        modifier = getattr(clause, 'modifier', None)
        columns.append(
            clause.element if modifier in (operators.asc_op, operators.desc_op) else clause
        )
        directions.add(modifier is operators.desc_op)
    if len(directions) != 1 or columns[-1].key != 'id':
        raise ValueError('a keyset page needs one direction and the id last')
    return columns, directions.pop()


def _boundary(columns, row_id):
    """The sort values of row `row_id` (None when it is gone)."""
    row = db.session.execute(select(*columns).where(columns[-1] == row_id)).first()
    return (
        None
        if row is None
        else tuple_(
            *(literal(value, column.type) for value, column in zip(row, columns, strict=True))
        )
    )


def capped_count(stmt, cap=None):
    """How many rows `stmt` has, reading at most cap + 1 of them (COUNT_CAP unless
    given): (number up to cap, whether there are more)."""
    cap = cap or COUNT_CAP
    # Only a constant of each row: the database may answer from an index alone.
    rows = stmt.order_by(None).with_only_columns(literal_column('1'), maintain_column_froms=True)
    limited = rows.limit(cap + 1).subquery()
    number = db.session.scalar(select(func.count()).select_from(limited))
    return min(number, cap), number > cap


#: How many of a long list's next rows a search tests one by one before it asks its own
#: index (keyset_page, `look_ahead`).
LOOK_AHEAD = 1000


def keyset_page(stmt, after=None, before=None, *, per_page=None, count=True, look_ahead=None):
    """One page of the select() `stmt` in its own order (see `_order`), starting after
    the row `after` or ending before the row `before` (texts, read by `cursor`).

    No OFFSET: a page reads its own rows from the index of the order, however deep in the
    list it is, so rows that tie on the sort key (same name, same time) neither repeat nor
    go missing from page to page. A cursor whose row is gone starts at the first page.
    There is no "last page" link; the count is capped (capped_count), or not made at all
    with `count=False` (the API's pages, which answer `next` only).

    `look_ahead`, for a list searched (`stmt` with the search): (the same list without
    it, the search as a test of one row: a function of the list's entity or an alias of
    it, such as lms.search.person_found). A search that finds many finds its page among
    the next LOOK_AHEAD rows of the list, read from the index of the order; only when
    those hold less than a page are the rows it finds read first, and then put in order
    (`_found_first`). Either way the page is the one `stmt` would give.
    """
    per_page = per_page or current_app.config['PER_PAGE']
    columns, descending = _order(stmt)
    row_id, backwards = cursor(before), True
    if row_id is None:
        row_id, backwards = cursor(after), False
    boundary = _boundary(columns, row_id) if row_id is not None else None
    keys = tuple_(*columns)

    def arranged(statement):
        """`statement` from the boundary on, in the direction of this page."""
        if boundary is not None:
            # Forwards: the rows that come after the boundary in the list's order.
            later = keys < boundary if descending else keys > boundary
            earlier = keys > boundary if descending else keys < boundary
            statement = statement.where(earlier if backwards else later)
        if boundary is not None and backwards:
            reverse = [c.asc() if descending else c.desc() for c in columns]
            statement = statement.order_by(None).order_by(*reverse)
        return statement

    if look_ahead is None:
        rows = db.session.scalars(arranged(stmt).limit(per_page + 1)).unique().all()
    else:
        rows = _searched_rows(arranged(look_ahead[0]), look_ahead[1], per_page)
    more = len(rows) > per_page
    rows = rows[:per_page]
    if boundary is not None and backwards:
        rows.reverse()
        has_prev, has_next = more, True
    else:
        has_prev, has_next = boundary is not None, more
    if not count:
        total, capped = None, False
    elif boundary is None and not more:  # the whole list is on this page: nothing to count
        total, capped = len(rows), False
    elif look_ahead is None:
        total, capped = capped_count(stmt)
    else:  # the search as a test of each row, which may stop at the cap
        broad, test = look_ahead
        total, capped = capped_count(broad.where(test(_entity(broad))))
    return KeysetPage(rows, per_page, has_prev, has_next, total, capped)


def _entity(stmt):
    return stmt.column_descriptions[0]['entity']


def _searched_rows(listed, test, per_page):
    """Up to per_page + 1 rows of the arranged list `listed` that pass `test`, in order:
    from its next LOOK_AHEAD rows when they hold that many, else from all it finds."""
    entity = _entity(listed)
    nearest = listed.limit(LOOK_AHEAD).subquery()
    row = aliased(entity, nearest)
    columns, descending = _order(listed)
    order = [getattr(row, c.key).desc() if descending else getattr(row, c.key) for c in columns]
    ids = db.session.scalars(
        select(row.id).where(test(row)).order_by(*order).limit(per_page + 1)
    ).all()
    if len(ids) > per_page:
        return db.session.scalars(listed.where(entity.id.in_(ids))).unique().all()
    found = listed.where(_found_first(entity, test))
    return db.session.scalars(found.limit(per_page + 1)).unique().all()


def _found_first(entity, test):
    """A clause on `entity`: its rows that pass `test` (a function of an alias of
    `entity`), read first and then put in the list's order. On PostgreSQL as an array
    made before the list is read: a query planner that thinks many rows match would
    otherwise walk the list in its order testing each row, which is slow when the matches
    all come late in that order (a name in Latin letters whose Georgian spelling sorts
    last, in a list by Georgian name)."""
    found = aliased(entity)
    ids = select(found.id).where(test(found))
    if db.session.get_bind().dialect.name == 'postgresql':
        return entity.id == any_(func.array(ids.scalar_subquery()))
    return entity.id.in_(ids)


#: The API's pages: `limit` items at most, API_LIMIT when it is not given. API.md answers
#: a list as `{"items": [...]}`: a client that reads `items` alone (as the contract lets
#: it) must find every row of a list as long as an academy's lists are (its organisations
#: number in the hundreds), so the page it gets without asking is the largest one.
API_LIMIT = API_MAX_LIMIT = 1000


def api_page(stmt, limit=None, after=None):
    """One page of an API list: `limit` and `cursor` as the query string gave them (texts
    or None). Returns (items, next cursor or None). Raises Invalid (422) for a `limit`
    outside 1..API_MAX_LIMIT or a `cursor` no page gave."""
    fields = {}
    number = API_LIMIT
    if limit is not None:
        match = _DIGITS.fullmatch(limit.strip())
        number = int(match.group(1)) if match and len(match.group(1)) < 6 else 0
        if not 0 < number <= API_MAX_LIMIT:
            fields['limit'] = _l('A whole number from 1 to %(n)d.', n=API_MAX_LIMIT)
    if after is not None and cursor(after) is None:
        fields['cursor'] = _l('Use the value of `next` from the previous page.')
    if fields:
        raise Invalid(fields=fields)
    page = keyset_page(stmt, after=after, per_page=number, count=False)
    return page.items, (str(page.next_cursor) if page.has_next else None)
