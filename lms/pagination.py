"""One page of a list, the same way on every list page, whatever `?page=` says.

A page number comes from the address bar, so it may be anything: text, zero, negative, or
a number of thirty digits. None of these is an error. Text, zero and negative numbers
mean the first page. A page beyond the last one shows the last page, not an empty one.
Such a link is usually an old bookmark or a shared link to a list that has since
shrunk, and the last page is the closest thing to what it pointed at. An empty page would
send the reader to look for a link back. The pager marks the page actually shown.
"""

import re

from flask import current_app

from lms.extensions import db

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
