from flask import jsonify

from lms.api.base import api_user, bp, json_body
from lms.api.serializers import user_json
from lms.extensions import db
from lms.people.service import create_user
from lms.permissions import can_administer, require


@bp.post('/users')
def create_user_():
    require(can_administer(api_user()))
    user = create_user(json_body(), actor=api_user())
    db.session.commit()
    return jsonify(user_json(user)), 201
