"""The API's error envelope: {"error": {"code", "message", "fields"}} (plus "rows" for batches)."""

from flask import jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

_CODES = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    412: 'precondition_failed',
    413: 'too_large',
    415: 'unsupported_media_type',
    422: 'invalid',
    429: 'too_many_requests',
    500: 'server_error',
    503: 'unavailable',
}
#: Messages for HTTP errors raised without one of our own (Werkzeug's are English only).
_MESSAGES = {
    400: _l('The request is malformed.'),
    401: _l('This endpoint needs an API token: Authorization: Bearer <token>.'),
    403: _l('You are not allowed to do this.'),
    404: _l('Nothing was found at this address.'),
    405: _l('This address does not accept this method.'),
    409: _l('This conflicts with an existing record.'),
    413: _l('The request body is too large: at most 1 MB.'),
    415: _l('This media type is not supported here.'),
    429: _l('Too many requests. Please wait a moment and try again.'),
    500: _l('Something went wrong on our side. Please try again later.'),
    503: _l('The service is briefly unavailable. Please try again in a minute.'),
}
#: Headers of an HTTP error worth keeping in the JSON answer (405 says what is allowed).
_KEPT_HEADERS = ('Allow', 'Retry-After')


def error_response(status, message, /, *, code=None, fields=None, rows=None, **extra):
    """The envelope with HTTP `status`; `extra` keys go beside `error` (positional-only
    `status`, so that the verification answers can add their own `status` key)."""
    error = {
        'code': code or _CODES.get(status, 'error'),
        'message': str(message),
        'fields': {name: str(text) for name, text in (fields or {}).items()},
    }
    if rows:
        # A row may say more than its errors (a roster's clash: whose mark, and when).
        error['rows'] = [
            {
                'index': row['index'],
                **{k: v for k, v in row.items() if k not in ('index', 'errors')},
                'errors': {k: str(v) for k, v in row['errors'].items()},
            }
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
    status = exc.code or 500
    # A description set where the error was raised says more than the generic one.
    custom = exc.description and exc.description != type(exc).description
    message = exc.description if custom else _MESSAGES.get(status, exc.name)
    response = error_response(status, message)
    for name, value in exc.get_headers():
        if name in _KEPT_HEADERS:
            response.headers[name] = value
    if status == 429 and getattr(exc, 'retry_after', None):
        response.headers['Retry-After'] = str(exc.retry_after)
    return response
