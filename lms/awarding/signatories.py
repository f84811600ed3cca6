"""Signatories of certificates: the people whose names (and signature images) a course's
certificates carry, or the academy's when a course has none of its own."""

import io

from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import select

from lms import audit
from lms.errors import Invalid
from lms.extensions import db
from lms.models import Course, Signatory
from lms.validation import Field, clean


def signatories_for(course):
    """The course's own signatories, or the academy's when the course has none."""
    own = list(course.signatories)
    if own:
        return own
    return db.session.scalars(
        select(Signatory).where(Signatory.course_id.is_(None)).order_by(Signatory.position)
    ).all()


def all_signatories():
    """Every signatory, the academy's first, then by course code and position."""
    return db.session.scalars(
        select(Signatory)
        .outerjoin(Course)
        .order_by(Course.code.is_not(None), Course.code, Signatory.position, Signatory.id)
    ).all()


SIGNATORY_FIELDS = {
    'course_id': Field('id', required=False),
    'name_ka': Field(max_length=200),
    'name_en': Field(max_length=200),
    'title_ka': Field(max_length=200, required=False, default=''),
    'title_en': Field(max_length=200, required=False, default=''),
    'position': Field('int', required=False, min=0, max=100, default=0),
}
MAX_SIGNATURE_BYTES = 300 * 1024
SIGNATORY_AUDITED = tuple(SIGNATORY_FIELDS)


def _signature_png(data):
    """The bytes of a PNG signature image, checked; Invalid when they are something else."""
    if len(data) > MAX_SIGNATURE_BYTES:
        raise Invalid(fields={'signature': _l('At most 300 KB.')})
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            if image.format != 'PNG':
                raise ValueError
    except Exception:
        raise Invalid(fields={'signature': _l('Must be a PNG image.')}) from None
    return data


def save_signatory(signatory, data, *, actor, signature=None, remove_signature=False):
    """Create (signatory None) or change a signatory of a course, or of the academy.

    `signature` are the bytes of a PNG drawn above the name on certificates. Certificates
    already issued keep what they were issued with. Flushes, never commits.
    """
    values = clean(data, SIGNATORY_FIELDS)
    if values['course_id'] is not None and db.session.get(Course, values['course_id']) is None:
        raise Invalid(fields={'course_id': _l('No course has this id.')})
    created = signatory is None
    before = None if created else audit.snapshot(signatory, SIGNATORY_AUDITED)
    if created:
        signatory = Signatory()
        db.session.add(signatory)
    for name, value in values.items():
        setattr(signatory, name, value)
    if signature:
        signatory.signature_png = _signature_png(signature)
    elif remove_signature:
        signatory.signature_png = None
    db.session.flush()
    audit.record(
        actor,
        'signatory.created' if created else 'signatory.updated',
        signatory,
        before=before,
        after=audit.snapshot(signatory, SIGNATORY_AUDITED),
    )
    return signatory


def delete_signatory(signatory, *, actor):
    audit.record(
        actor, 'signatory.deleted', signatory, before=audit.snapshot(signatory, SIGNATORY_AUDITED)
    )
    db.session.delete(signatory)
    db.session.flush()
    return signatory
