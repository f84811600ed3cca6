"""Logging in, in a new session; sessions that end on every device at once.

Logging in starts a new session (`log_in`): nothing of the anonymous one survives but the
language chosen and a half-typed application, so a session planted before login is worth
nothing after it. A logged-in session names the person *and* their session version
(User.get_id, "id:version", checked by the user loader in lms/__init__.py); logging out
or changing the password raises the version, which ends every session of that person,
on every device, at its next request.
"""

from flask import session
from flask_login import login_user

#: What an anonymous session hands on to the logged-in one: the language, the answers of
#: an application typed before logging in (lms/catalogue/views.py), and a check-in QR code
#: scanned before logging in (lms/checkin/views.py; it holds no identity, only the signed
#: scan and its time).
KEPT_AT_LOGIN = ('locale', 'application_draft', 'check_in_scan')


def log_in(user):
    """Log `user` in, in a new session (see the module docstring)."""
    kept = {key: session[key] for key in KEPT_AT_LOGIN if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
