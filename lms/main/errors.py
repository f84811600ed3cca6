"""Error pages for people, the error envelope for /api/, one place for both."""

from flask import render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.api.errors import domain_error_response, http_error_response
from lms.errors import DomainError
from lms.extensions import db


def _wants_json():
    return request.path.startswith('/api/')


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(exc):
        db.session.rollback()
        if _wants_json():
            return domain_error_response(exc)
        return render_template(
            'errors/error.html', status=exc.status, message=exc.message
        ), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if _wants_json():
            return http_error_response(exc)
        return render_template(
            'errors/error.html', status=exc.code, message=None, exc=exc
        ), exc.code

    @app.errorhandler(Exception)
    def unexpected_error(exc):
        db.session.rollback()
        app.logger.exception('Unhandled error on %s %s', request.method, request.path)
        if app.config.get('TESTING') and not app.config.get('SHOW_ERROR_PAGES'):
            raise exc
        return http_error(InternalServerError())
