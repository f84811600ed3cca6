"""What every admin page does the same way: read the query."""

from flask import request

from lms.validation import MAX_INT


def cursors():
    """Where a keyset page starts or ends (lms.pagination.keyset_page): ?after= / ?before=."""
    return {'after': request.args.get('after'), 'before': request.args.get('before')}


def query_int(name):
    """A positive whole number from the query string (an id, a year), or None when it is
    absent, not a number, or larger than the database's integer columns hold (a filter on
    such a number would fail in the database instead of finding nothing)."""
    number = request.args.get(name, type=int)
    return number if number is not None and 0 < number <= MAX_INT else None
