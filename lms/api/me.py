"""The owner of the token."""

from flask import jsonify

from lms.api.base import api_user, bp
from lms.api.serializers import user_json


@bp.get('/me')
def me():
    return jsonify(user_json(api_user()))
