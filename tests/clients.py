"""The test client as a browser would be: a fresh request state per request, and a person
logged in without the login form. Shared by the fixtures and by the benchmarks."""

from flask import g, request_started


def forget_request_state(sender, **extra):
    """Requests in a test reuse the test's app context, and with it `g`, where Flask-Login
    keeps the user it loaded, Flask-Babel the language it chose and Flask-WTF its token.
    In production every request has a fresh `g`; give each test request one too."""
    g.pop('_login_user', None)
    g.pop('_flask_babel', None)
    g.pop('csrf_token', None)


def fresh_request_state(app):
    """Give every request of `app` a fresh `g` (see forget_request_state)."""
    request_started.connect(forget_request_state, app)


def log_in(client, user):
    """Log `user` into `client` without going through the login form."""
    with client.session_transaction() as session:
        session['_user_id'] = user.get_id()
        session['_fresh'] = True
    return user
