"""Free-text search over a few columns, the same way on every list page."""

from sqlalchemy import func, or_

#: How much of what was typed a search reads. Longer than any name, title or e-mail anyone
#: types to find something, and since the search is "contains", a longer paste still finds
#: what its first characters find. It also keeps the LIKE pattern small: SQLite refuses
#: patterns over 50,000 bytes, so an unlimited paste would fail instead of finding nothing.
MAX_QUERY_LENGTH = 100


def search_text(query):
    """The part of `query` a search uses: without outer spaces, at most MAX_QUERY_LENGTH
    characters; '' for None. List pages show this back in their search box."""
    return (query or '').strip()[:MAX_QUERY_LENGTH].strip()


def _escape(text):
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def contains(query, *columns):
    """A clause: any of `columns` contains `query` (as `search_text` reads it), ignoring
    case; % and _ match themselves."""
    pattern = f'%{_escape(search_text(query).lower())}%'
    return or_(*(func.lower(column).like(pattern, escape='\\') for column in columns))
