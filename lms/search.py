"""Free-text search over a few columns, the same way on every list page."""

from sqlalchemy import func, or_


def _escape(text):
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def contains(query, *columns):
    """A clause: any of `columns` contains `query`, ignoring case; % and _ match themselves."""
    pattern = f'%{_escape(query.strip().lower())}%'
    return or_(*(func.lower(column).like(pattern, escape='\\') for column in columns))
