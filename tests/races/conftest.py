"""Races: requests or service calls started together on threads, each with an app context,
a database session and a browser (test client) of its own.

The threaded tests need a database that lets transactions run side by side, so they run on
PostgreSQL (TEST_DATABASE_URL) and are skipped on SQLite in memory, where every thread
would share one connection. Beside each of them a test checks the same rule one request
after the other, on every database.
"""

import threading

import pytest
from flask.testing import FlaskClient

#: How often each race is run: the threads start together, but the scheduler decides who
#: gets where first, so a few rounds make every order likely.
ROUNDS = 4


@pytest.fixture(autouse=True)
def _postgres_for_threads(request, db):
    if request.node.get_closest_marker('postgres') and db.engine.dialect.name != 'postgresql':
        pytest.skip(
            'threads race only on PostgreSQL (TEST_DATABASE_URL): SQLite in memory is one '
            'connection for every thread; the sequential test beside this one checks the rule'
        )


def together(*calls):
    """Run each call on a thread of its own, released at the same moment; returns their
    results in order. An exception on a thread is raised here."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # reported on the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def browser(app, user=None):
    """A test client of its own (the suite's client commits the test's session, which
    belongs to the test's thread), logged in as `user` when given."""
    client = FlaskClient(app, app.response_class, use_cookies=True)
    if user is not None:
        with client.session_transaction() as session:
            session['_user_id'] = user.get_id()
            session['_fresh'] = True
    return client
