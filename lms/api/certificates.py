"""Issuing certificates for an offering, and a certificate's record, PDF and credential."""

from flask import Response, abort, jsonify
from flask_babel import lazy_gettext as _l

from certificates import claims_of, find_by_serial
from lms.api.base import api_user, bp, get_or_404, json_body
from lms.api.serializers import json_number
from lms.awarding.responses import certificate_for, pdf_response
from lms.awarding.service import issue_for_offering, reissue, revoke
from lms.models import Offering
from lms.permissions import can_administer, can_manage_offering, require


def certificate_json(certificate):
    claims = claims_of(certificate)
    successor = certificate.superseded_by
    return {
        'serial': certificate.formatted_serial,
        'status': certificate.status,
        'holder': {'name_ka': claims.holder_name_ka, 'name_en': claims.holder_name_en},
        'course': {
            'code': claims.course_code,
            'title_ka': claims.course_title_ka,
            'title_en': claims.course_title_en,
            'kind': claims.course_kind,
        },
        'certificate_type': claims.certificate_type,
        'hours': json_number(claims.hours),
        'issued_on': certificate.issued_on.isoformat(),
        'valid_until': certificate.valid_until.isoformat() if certificate.valid_until else None,
        'pdf_sha256': certificate.pdf_sha256,
        'supersedes': certificate.supersedes.formatted_serial if certificate.supersedes else None,
        'superseded_by': successor.formatted_serial if successor else None,
    }


@bp.post('/offerings/<int:id>/certificates')
def issue_certificates(id):
    offering = get_or_404(Offering, id, _l('No offering has this id.'))
    require(can_manage_offering(api_user(), offering))
    json_body()  # `{}`: nothing to choose; a malformed body is still refused
    issued, skipped = issue_for_offering(offering, actor=api_user())
    return jsonify({'issued': [c.formatted_serial for c in issued], 'skipped': skipped})


@bp.get('/certificates/<serial>')
def certificate(serial):
    return jsonify(certificate_json(certificate_for(api_user(), serial)))


@bp.get('/certificates/<serial>/pdf')
def certificate_pdf(serial):
    certificate = certificate_for(api_user(), serial)
    return pdf_response(certificate)


@bp.get('/certificates/<serial>/credential')
def certificate_credential(serial):
    certificate = certificate_for(api_user(), serial)
    return Response(certificate.credential_jws, mimetype='text/plain')


def _certificate_for_admin(serial):
    require(can_administer(api_user()))
    certificate = find_by_serial(serial)
    if certificate is None:
        abort(404, description=_l('No certificate has this serial.'))
    return certificate


@bp.post('/certificates/<serial>/revoke')
def revoke_certificate(serial):
    """`{reason, category?}`: the certificate stays verifiable and answers revoked (API.md:
    200); `category` is the public reason ('other' when not given), `reason` the detail
    only admins see."""
    certificate = _certificate_for_admin(serial)
    body = json_body()
    revoke(certificate, body.get('reason'), actor=api_user(), category=body.get('category'))
    return jsonify(certificate_json(certificate))


@bp.post('/certificates/<serial>/reissue')
def reissue_certificate(serial):
    """`{}`: a new certificate from the enrollment's current data; the old one is superseded."""
    certificate = _certificate_for_admin(serial)
    json_body()  # nothing to choose; a malformed body is still refused
    new = reissue(certificate, actor=api_user())
    return jsonify(certificate_json(new)), 201
