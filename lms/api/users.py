"""People: the academy creates accounts (A only)."""

from flask import jsonify

from lms.api.base import api_user, bp, json_body
from lms.api.serializers import user_json
from lms.people import service as people
from lms.permissions import can_administer, require


@bp.post('/users')
def create_user():
    require(can_administer(api_user()))
    user = people.create_user(json_body(), actor=api_user())
    return jsonify(user_json(user)), 201
