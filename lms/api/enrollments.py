from flask import jsonify
from flask_babel import lazy_gettext as _l

from lms.api.base import api_user, bp, json_body
from lms.api.serializers import enrollment_json
from lms.enrollments.service import enroll, set_enrollment_status
from lms.errors import Invalid
from lms.extensions import db
from lms.models import Enrollment, Offering
from lms.permissions import can_enroll, can_set_enrollment_status, is_admin, require


@bp.post('/offerings/<int:offering_id>/enrollments')
def create_enrollment(offering_id):
    offering = db.get_or_404(Offering, offering_id)
    user = api_user()
    data = json_body()
    if not is_admin(user):
        # A participant applies for themselves only, and cannot choose their own status.
        data.setdefault('user_id', user.id)
        require(data['user_id'] == user.id and can_enroll(user, offering, user))
        if data.get('status') not in (None, 'applied'):
            raise Invalid(fields={'status': _l('Only the academy decides the status.')})
    enrollment = enroll(offering, data, actor=user)
    db.session.commit()
    return jsonify(enrollment_json(enrollment)), 201


@bp.patch('/enrollments/<int:enrollment_id>')
def update_enrollment(enrollment_id):
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    require(can_set_enrollment_status(api_user(), enrollment))
    set_enrollment_status(enrollment, json_body(), actor=api_user())
    db.session.commit()
    return jsonify(enrollment_json(enrollment))
