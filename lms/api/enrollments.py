"""Enrollments: applying to an offering (A for anyone, P for themselves), deciding (A)."""

from flask import abort, jsonify
from flask_babel import lazy_gettext as _l

from lms.api.base import api_user, bp, get_or_404, json_body
from lms.api.serializers import enrollment_json
from lms.enrollments.service import enroll, set_enrollment_status
from lms.models import Enrollment, Offering
from lms.permissions import (
    can_administer,
    can_set_enrollment_status,
    can_view_offering,
    require,
    require_enrollment,
)
from lms.validation import Field


def _as_id(value):
    try:
        return Field('id').convert(value)
    except ValueError:
        return None  # not an id at all: the service answers 422 for it


@bp.post('/offerings/<int:id>/enrollments')
def create_enrollment(id):
    offering = get_or_404(Offering, id, _l('No offering has this id.'))
    user, data = api_user(), json_body()
    if not can_view_offering(user, offering):  # as the catalogue: a draft is not there
        abort(404, description=_l('No offering has this id.'))
    if not can_administer(user):
        data.setdefault('user_id', user.id)  # a participant applies for themselves
    require_enrollment(user, offering, _as_id(data.get('user_id')), data.get('status'))
    enrollment = enroll(offering, data, actor=user)
    return jsonify(enrollment_json(enrollment)), 201


@bp.patch('/enrollments/<int:id>')
def update_enrollment(id):
    enrollment = get_or_404(Enrollment, id, _l('No enrollment has this id.'))
    require(can_set_enrollment_status(api_user(), enrollment))
    set_enrollment_status(enrollment, json_body(), actor=api_user())
    return jsonify(enrollment_json(enrollment))
