"""Bearer-token authentication for /api/v1. Browser cookies never authenticate the API."""

from flask import g, request
from flask_babel import lazy_gettext as _l

from lms import transactions
from lms.api.errors import error_response
from lms.extensions import utcnow
from lms.people.service import find_token, is_use_unnoted, note_token_use, token_refusal

#: Endpoints anyone may call without a token.
PUBLIC_ENDPOINTS = {'api.openapi'}


def public(view):
    """Mark an API view as callable without a token."""
    PUBLIC_ENDPOINTS.add(f'api.{view.__name__}')
    return view


def authenticate_request():
    """Before every API request: find the token's owner, or answer 401 where one is needed."""
    g.api_user, g.api_token_to_note, refusal, token = None, None, None, None
    now = utcnow()
    header = request.headers.get('Authorization', '')
    scheme, _, plain = header.partition(' ')
    if scheme.lower() == 'bearer' and plain.strip():
        token = find_token(plain.strip())
        refusal = token_refusal(token, now)
        if refusal is None:
            g.api_user = token.user
            if is_use_unnoted(token, now):
                g.api_token_to_note = (token.id, now)
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if g.api_user is None:
        if refusal == 'expired':
            message = _l(
                'The token expired on %(date)s. Create a new one on your account page.',
                date=token.expires_at.date().isoformat(),
            )
        elif header:
            message = _l('The token is not valid or was revoked.')
        else:
            message = _l('This endpoint needs an API token: Authorization: Bearer <token>.')
        return error_response(401, message)
    return None


def note_token_use_after(response):
    """After the request's own transaction has ended (committed or rolled back), note the
    token's use in a small transaction of its own, so that reads, refusals and errors are
    noted too. At most once a minute per token (lms.people.service.note_token_use)."""
    noted = g.pop('api_token_to_note', None)
    if noted is not None:
        transactions.separately(
            lambda: note_token_use(*noted), what=f'the use of API token {noted[0]}'
        )
    return response
