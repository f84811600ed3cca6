"""The API blueprint and the helpers every resource module uses."""

from flask import Blueprint, g, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from lms.api.auth import authenticate_request

bp = Blueprint('api', __name__)
bp.before_request(authenticate_request)


def json_body():
    """The request's JSON object; 400 when the body is not a JSON object."""
    raw = request.get_data()
    if not raw.strip():
        return {}
    data = request.get_json(silent=True, force=True)
    if data is None:
        raise BadRequest(_l('The body is not valid JSON.'))
    if not isinstance(data, dict):
        raise BadRequest(_l('The body must be a JSON object.'))
    return data


def api_user():
    """The user the bearer token belongs to (None on public endpoints without a token)."""
    return g.api_user
