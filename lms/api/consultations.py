"""Expert consultations to organisations (A)."""

from flask import jsonify

from lms.api.base import api_user, bp, json_body
from lms.api.serializers import consultation_json
from lms.consultations.service import record_consultation
from lms.permissions import can_administer, require


@bp.post('/consultations')
def create_consultation():
    require(can_administer(api_user()))
    consultation = record_consultation(json_body(), actor=api_user())
    return jsonify(consultation_json(consultation)), 201
