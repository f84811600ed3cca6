"""One transaction per request: the one place where pages and the API commit or roll back.

Services flush and never commit; views call them and render. Every view function of the
application is wrapped (`register`), and once it has answered:

- an answer under 400 (a page, a redirect, a created resource) commits what the request
  did;
- an error answer (a form shown again with its errors, 403, 404, 409, 422, ...) or an
  exception rolls everything back, so a refused request changes nothing. A DomainError
  then reaches the handlers of lms.main.errors: the error object for the API, a flashed
  message for pages.

A failure of the commit itself (two requests racing past a uniqueness check into the
database's constraint) is raised from here, after the rollback, like any other error.

Forms that show a service's errors beside their fields use `attempt`, which rolls back
what the failed write had flushed before the page is drawn again from the database.
Command-line commands are not requests: each commits once itself, as STYLE.md says.
"""

from functools import wraps

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from lms import jobs
from lms.errors import DomainError
from lms.extensions import db


def _session_in_use():
    """The request's session, if it opened one (public pages that read by other means,
    such as the verification fast path, never do: committing them would cost a session)."""
    return db.session() if db.session.registry.has() else None


def commit():
    session = _session_in_use()
    if session is not None and session.in_transaction():
        session.commit()
    jobs.run_deferred()  # immediate mode (tests): the jobs this request queued, now


def rollback():
    session = _session_in_use()
    if session is not None:
        session.rollback()


def transactional(view):
    """`view` with the request's transaction around it (see the module docstring)."""

    @wraps(view)
    def run(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            rollback()
            raise
        if response.status_code < 400:
            try:
                commit()
            except BaseException:
                rollback()
                raise
        else:
            rollback()
        return response

    return run


def attempt(write):
    """Run `write()`; (its result, None), or (None, the DomainError it raised).

    On a DomainError what `write` flushed is rolled back at once, so that the page showing
    the errors is drawn from what the database holds.
    """
    try:
        return write(), None
    except DomainError as error:
        rollback()
        return None, error


def separately(work, *, what):
    """Run `work()` in a small transaction of its own once the request's has ended (from an
    after_request hook) and commit it; should the database refuse, roll it back and log one
    line naming `what`. For bookkeeping that must not depend on how the request ended,
    such as noting an API token's use."""
    try:
        work()
        commit()
    except SQLAlchemyError as error:
        rollback()
        current_app.logger.warning('Could not note %s: %s', what, error)


def register(app):
    """Wrap every view function the blueprints registered (call after registering them)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != 'static' and not endpoint.endswith('.static'):
            app.view_functions[endpoint] = transactional(view)
