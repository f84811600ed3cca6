"""Counting the SQL statements a piece of work sends: pages whose cost must not grow with
the data are checked by their statement counts, never by their time."""

from contextlib import contextmanager

from sqlalchemy import event

from lms.extensions import db


@contextmanager
def count_statements():
    """A list that collects the text of every statement sent inside the block."""
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, 'before_cursor_execute', before)
    try:
        yield statements
    finally:
        event.remove(db.engine, 'before_cursor_execute', before)


def statements_of_page(client, path):
    """How many statements one GET of `path` sends (it must answer 200)."""
    with count_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)
