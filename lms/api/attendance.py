"""Attendance, scores and completion of an offering (trainers of the offering and admins)."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from certificates import valid_certificates_for
from lms.api.base import api_user, bp, get_or_404, if_match, json_body
from lms.assessment.service import record_results
from lms.attendance.service import (
    UNCHECKED,
    record_attendance,
    seen_at_version,
    session_attendance,
    version_of,
)
from lms.completion.service import offering_completion
from lms.completion.words import describe_all
from lms.errors import PreconditionFailed
from lms.models import Assessment, Offering, OfferingSession
from lms.permissions import can_manage_offering, require


def _records(body):
    return body.get('records')


def attendance_json(a):
    return {
        'enrollment_id': a.enrollment_id,
        'status': a.status,
        'note': a.note,
        'recorded_by_id': a.recorded_by_id,
        'recorded_at': a.recorded_at.isoformat(),
    }


def completion_json(c, serial):
    return {
        'enrollment_id': c.enrollment_id,
        'user_id': c.user_id,
        'attendance_pct': c.attendance_pct,
        'attendance_so_far_pct': c.progress_pct,
        'offering_over': c.over,
        'standing': c.eligibility.standing,
        'assessments_passed': c.assessments_passed,
        'eligible': c.eligibility.eligible,
        'reasons': describe_all(c.eligibility),
        'certificate_serial': serial,
    }


#: The ETag of a roster with nothing recorded (its version is '').
EMPTY_ROSTER = 'empty'


def roster_etag(records):
    """The roster's version as an entity tag: strong, since the version changes with
    every change to the records the answer lists."""
    return f'"{version_of(records) or EMPTY_ROSTER}"'


def _seen(offering_session):
    """What the PUT's If-Match says its client was shown (lms.attendance.service.Seen), or
    UNCHECKED without one or with `*` (the roster always exists). 400 when the field is
    not a list of entity tags; 412 when it is not one version this roster has had."""
    tags = if_match()
    if tags is None or tags == '*':
        return UNCHECKED
    if len(tags) != 1 or tags[0][0]:
        raise PreconditionFailed(
            _l('If-Match must be the one ETag that GET gave for this roster.'),
            fields={'If-Match': _l('Send the ETag of the roster you read, as it was given.')},
        )
    version = tags[0][1]
    seen = seen_at_version(offering_session, '' if version == EMPTY_ROSTER else version)
    if seen is None:
        raise PreconditionFailed(
            _l('If-Match names no version of this roster: read it again (GET) and save.'),
            fields={'If-Match': _l('Send the ETag of the roster you read, as it was given.')},
        )
    return seen


@bp.put('/sessions/<int:id>/attendance')
def put_attendance(id):
    offering_session = get_or_404(OfferingSession, id, _l('No session has this id.'))
    require(can_manage_offering(api_user(), offering_session.offering))
    # Machines send what their own schedules say; API.md gives no field to confirm with,
    # so a session that has not started is recorded as sent (pages ask first).
    saved = record_attendance(
        offering_session,
        _records(json_body()),
        actor=api_user(),
        before_start=True,
        seen=_seen(offering_session),
    )
    response = jsonify({'saved': saved})
    response.headers['ETag'] = roster_etag(session_attendance(offering_session).values())
    return response


@bp.get('/sessions/<int:id>/attendance')
def get_attendance(id):
    offering_session = get_or_404(OfferingSession, id, _l('No session has this id.'))
    require(can_manage_offering(api_user(), offering_session.offering))
    records = sorted(session_attendance(offering_session).values(), key=lambda a: a.enrollment_id)
    response = jsonify({'records': [attendance_json(a) for a in records]})
    response.headers['ETag'] = roster_etag(records)
    return response


@bp.put('/assessments/<int:id>/results')
def put_results(id):
    assessment = get_or_404(Assessment, id, _l('No assessment has this id.'))
    require(can_manage_offering(api_user(), assessment.offering))
    saved = record_results(assessment, _records(json_body()), actor=api_user())
    return jsonify({'saved': saved})


@bp.get('/offerings/<int:id>/completion')
def completion(id):
    offering = get_or_404(Offering, id, _l('No offering has this id.'))
    require(can_manage_offering(api_user(), offering))
    completions = offering_completion(offering)
    held = valid_certificates_for([c.enrollment_id for c in completions])
    return jsonify(
        {'items': [completion_json(c, _serial(held.get(c.enrollment_id))) for c in completions]}
    )


def _serial(certificate):
    return certificate.formatted_serial if certificate else None
