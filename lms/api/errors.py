"""The API's error envelope: {"error": {"code", "message", "fields"}} (plus "rows" for batches)."""

from flask import jsonify
from werkzeug.exceptions import HTTPException

_CODES = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'too_large',
    415: 'unsupported_media_type',
    422: 'invalid',
    429: 'too_many_requests',
    500: 'server_error',
}


def error_response(status, message, *, code=None, fields=None, rows=None, **extra):
    error = {
        'code': code or _CODES.get(status, 'error'),
        'message': str(message),
        'fields': {name: str(text) for name, text in (fields or {}).items()},
    }
    if rows:
        error['rows'] = [
            {'index': row['index'], 'errors': {k: str(v) for k, v in row['errors'].items()}}
            for row in rows
        ]
    response = jsonify({**extra, 'error': error})
    response.status_code = status
    if status == 401:
        response.headers['WWW-Authenticate'] = 'Bearer'
    return response


def domain_error_response(exc):
    return error_response(exc.status, exc.message, code=exc.code, fields=exc.fields, rows=exc.rows)


def http_error_response(exc: HTTPException):
    response = error_response(exc.code or 500, exc.description or exc.name)
    if exc.code == 429 and getattr(exc, 'retry_after', None):
        response.headers['Retry-After'] = str(exc.retry_after)
    return response
