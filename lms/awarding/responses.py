"""What the pages and the API answer alike about one certificate: finding it for a
caller who may see it, and its PDF as issued."""

from flask import Response, abort
from flask_babel import lazy_gettext as _l

from certificates import find_by_serial
from lms.awarding.service import intact_pdf
from lms.extensions import db
from lms.models import Enrollment
from lms.permissions import can_see_enrollment, require


def pdf_response(certificate):
    """The PDF exactly as issued: byte-identical on every download, its SHA-256 as ETag."""
    return Response(
        intact_pdf(certificate),
        mimetype='application/pdf',
        headers={
            'Content-Disposition': f'attachment; filename="{certificate.formatted_serial}.pdf"',
            'ETag': f'"{certificate.pdf_sha256}"',
            'Cache-Control': 'private, max-age=3600',
        },
    )


def certificate_for(user, serial):
    """The certificate a typed serial names, if `user` may see it: admins, the trainers of
    its offering, its holder. 404 when no certificate has the serial, 403 otherwise."""
    certificate = find_by_serial(serial)
    if certificate is None:
        abort(404, description=_l('No certificate has this serial.'))
    require(can_see_enrollment(user, db.session.get(Enrollment, certificate.enrollment_id)))
    return certificate
