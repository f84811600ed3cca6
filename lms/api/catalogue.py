"""Courses, offerings, and the sessions and assessments of an offering."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from lms.api.base import api_user, bp, get_or_404, json_body
from lms.api.serializers import assessment_json, course_json, offering_json, session_json
from lms.assessment.service import add_assessment
from lms.catalogue import service as catalogue
from lms.models import Offering
from lms.permissions import can_administer, can_manage_offering, require


@bp.post('/courses')
def create_course():
    require(can_administer(api_user()))
    course = catalogue.create_course(json_body(), actor=api_user())
    return jsonify(course_json(course)), 201


@bp.post('/offerings')
def create_offering():
    require(can_administer(api_user()))
    offering = catalogue.create_offering(json_body(), actor=api_user())
    return jsonify(offering_json(offering)), 201


@bp.post('/offerings/<int:id>/sessions')
def create_session(id):
    offering = get_or_404(Offering, id, _l('No offering has this id.'))
    require(can_manage_offering(api_user(), offering))
    offering_session = catalogue.add_session(offering, json_body(), actor=api_user())
    return jsonify(session_json(offering_session)), 201


@bp.post('/offerings/<int:id>/assessments')
def create_assessment(id):
    offering = get_or_404(Offering, id, _l('No offering has this id.'))
    require(can_manage_offering(api_user(), offering))
    assessment = add_assessment(offering, json_body(), actor=api_user())
    return jsonify(assessment_json(assessment)), 201
