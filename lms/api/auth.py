"""Bearer-token authentication for /api/v1. Browser cookies never authenticate the API."""

from flask import g, request
from flask_babel import lazy_gettext as _l

from lms.api.errors import error_response
from lms.people.service import user_for_token

#: Endpoints anyone may call without a token.
PUBLIC_ENDPOINTS = {'api.openapi'}


def public(view):
    """Mark an API view as callable without a token."""
    PUBLIC_ENDPOINTS.add(f'api.{view.__name__}')
    return view


def authenticate_request():
    """Before every API request: find the token's owner, or answer 401 where one is needed."""
    g.api_user = None
    header = request.headers.get('Authorization', '')
    scheme, _, token = header.partition(' ')
    if scheme.lower() == 'bearer' and token.strip():
        g.api_user = user_for_token(token.strip())
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if g.api_user is None:
        message = (
            _l('The token is not valid or was revoked.')
            if header
            else _l('This endpoint needs an API token: Authorization: Bearer <token>.')
        )
        return error_response(401, message)
    return None
