from flask import jsonify

from lms.api.base import api_user, bp, json_body
from lms.api.serializers import assessment_json, course_json, offering_json, session_json
from lms.catalogue.service import add_assessment, add_session, create_course, create_offering
from lms.extensions import db
from lms.models import Offering
from lms.permissions import can_administer, can_manage_offering, require


@bp.post('/courses')
def create_course_():
    require(can_administer(api_user()))
    course = create_course(json_body(), actor=api_user())
    db.session.commit()
    return jsonify(course_json(course)), 201


@bp.post('/offerings')
def create_offering_():
    require(can_administer(api_user()))
    offering = create_offering(json_body(), actor=api_user())
    db.session.commit()
    return jsonify(offering_json(offering)), 201


@bp.post('/offerings/<int:offering_id>/sessions')
def create_session(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    require(can_manage_offering(api_user(), offering))
    offering_session = add_session(offering, json_body(), actor=api_user())
    db.session.commit()
    return jsonify(session_json(offering_session)), 201


@bp.post('/offerings/<int:offering_id>/assessments')
def create_assessment(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    require(can_manage_offering(api_user(), offering))
    assessment = add_assessment(offering, json_body(), actor=api_user())
    db.session.commit()
    return jsonify(assessment_json(assessment)), 201
