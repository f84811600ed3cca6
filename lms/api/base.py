"""The API blueprint and the helpers every resource module uses."""

import json

from flask import Blueprint, abort, g, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from lms.api.auth import authenticate_request, note_token_use_after
from lms.errors import Invalid
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
