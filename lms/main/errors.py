"""Error pages for people, the error envelope for /api/, one place for both.

By the time a handler here runs, the request's transaction has been rolled back
(lms.transactions): an error never leaves half a change behind.
"""

from contextlib import suppress
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from lms import transactions
from lms.api.errors import domain_error_response, http_error_response
from lms.errors import Conflict, DomainError
from lms.redirects import safe_next

#: Seconds a client is asked to wait while the database is unavailable.
RETRY_AFTER = 30


def _wants_json():
    return request.path.startswith('/api/')


def _back():
    """Where the form that was sent came from: its `next` field, else the page that sent it
    (the Referer), if it is a page of this site; otherwise None."""
    named = safe_next(request.form.get('next'), None)
    if named:
        return named
    referrer = urlsplit(request.referrer or '')
    if referrer.netloc and referrer.netloc != request.host:
        return None
    path = referrer.path + (f'?{referrer.query}' if referrer.query else '')
    return safe_next(path, None)


def _limit_message(exc):
    """The words a rate limit gives for its pause (lms/auth/views.py), if it gives any."""
    limit = getattr(exc, 'limit', None)
    return exc.description if getattr(limit, 'error_message', None) else None


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(exc):
        """The API answers the error object. A page's button or form that a service refused
        goes back where it came from with the reason in words; anything else gets an error
        page. (Forms that show errors beside their fields catch them first: forms.saved.)"""
        if _wants_json():
            return domain_error_response(exc)
        back = _back() if request.method == 'POST' else None
        if back:
            flash(exc.message, 'danger')
            for message in exc.fields.values():
                flash(message, 'danger')
            return redirect(back)
        return render_template(
            'errors/error.html', status=exc.status, message=exc.message
        ), exc.status

    @app.errorhandler(IntegrityError)
    def integrity_error(exc):
        """Two requests raced past a service's check into a unique constraint: the loser is
        told of the conflict (the services check first, so this is rare)."""
        app.logger.warning('Conflict on %s %s: %s', request.method, request.path, exc.orig)
        return domain_error(Conflict())

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(exc):
        """The database is down, unreachable or busy: 503 with Retry-After, a friendly page,
        and one log line (not a traceback for every request while it lasts). Nothing to
        do when it is back: the pool checks each connection before use (pool_pre_ping)."""
        reason = str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0][:200]
        app.logger.warning(
            'Database unavailable on %s %s: %s', request.method, request.path, reason
        )
        with suppress(OperationalError, InterfaceError):  # the connection is gone: the pool
            transactions.rollback()  # replaces it
        g._login_user = AnonymousUserMixin()  # drawing the page must not ask the database
        return http_error(ServiceUnavailable(retry_after=RETRY_AFTER))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if _wants_json():
            return http_error_response(exc)
        headers = [(name, value) for name, value in exc.get_headers() if name == 'Retry-After']
        return (
            render_template(
                'errors/error.html', status=exc.code, message=_limit_message(exc), exc=exc
            ),
            exc.code,
            headers,
        )

    @app.errorhandler(Exception)
    def unexpected_error(exc):
        transactions.rollback()  # raised outside a view (a before_request hook, say)
        app.logger.exception('Unhandled error on %s %s', request.method, request.path)
        if app.config.get('TESTING') and not app.config.get('SHOW_ERROR_PAGES'):
            raise exc
        return http_error(InternalServerError())
