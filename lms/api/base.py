"""The API blueprint and the helpers every resource module uses."""

import json
import re

from flask import Blueprint, abort, g, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from lms.api.auth import authenticate_request, note_token_use_after
from lms.errors import DomainError, Invalid
from lms.extensions import db
from lms.validation import MAX_INT

bp = Blueprint('api', __name__)
bp.before_request(authenticate_request)
bp.after_request(note_token_use_after)


def _refuse_constant(name):
    # Python's json reads NaN and Infinity, which are not JSON (RFC 8259).
    raise ValueError(name)


def json_body():
    """The request's JSON object ({} for an empty body).

    400 when the body is not JSON at all, 422 when it is JSON but not an object, 413
    (raised by Werkzeug while reading) when it is larger than MAX_CONTENT_LENGTH.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise BadRequest(_l('The body is not valid JSON.')) from None
    if not isinstance(data, dict):
        raise Invalid(_l('The body must be a JSON object.'))
    return data


def get_or_404(model, ident, message):
    """The row of `model` with id `ident`, or a 404 saying `message`.

    Ids beyond what an INTEGER column holds cannot exist; asking the database about them
    would fail instead of finding nothing.
    """
    obj = db.session.get(model, ident) if 0 < ident <= MAX_INT else None
    if obj is None:
        abort(404, description=message)
    return obj


def api_user():
    """The user the bearer token belongs to (None on public endpoints without a token)."""
    return g.api_user


#: One entity tag of a list (RFC 9110, 8.8.3): an optional weak mark, then a quoted tag.
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')


def if_match():
    """The request's If-Match: None without one, '*' for any version, else a list of
    (weak, tag) in order. 400 when the field is not a list of entity tags (RFC 9110,
    13.1.1): ignoring a condition the client meant to set could lose its update."""
    value = request.headers.get('If-Match')
    if value is None:
        return None
    rest = value.strip(' \t')
    if rest == '*':
        return '*'
    tags = []
    while rest:
        match = _ENTITY_TAG.match(rest)
        if match is None:
            tags = []
            break
        tags.append((bool(match[1]), match[2]))
        rest = rest[match.end() :].lstrip(' \t')
        if rest.startswith(','):
            rest = rest[1:].lstrip(' \t')
        elif rest:
            tags = []
            break
    if not tags:
        message = _l('If-Match must be an entity tag in double quotes, as ETag gave it.')
        raise DomainError(message, fields={'If-Match': message})
    return tags
