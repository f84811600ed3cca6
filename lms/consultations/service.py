"""Recording an expert consultation (an expert's advice to an organisation, e.g. a
municipality introducing a civil budget). They count in the statistics by their date."""

from flask_babel import lazy_gettext as _l

from lms import audit
from lms.errors import Invalid
from lms.extensions import db
from lms.models import Consultation, Organization
from lms.validation import Field, clean

CONSULTATION_FIELDS = {
    'organization_id': Field('id'),
    'expert': Field(max_length=200),
    'held_on': Field('date'),
    'topic': Field(max_length=300),
    # Numeric(6, 2): below 10,000; one consultation is a matter of hours, not weeks.
    'hours': Field('decimal', min=0, max=1000),
    'notes': Field('text', required=False, max_length=5000, default=''),
}
AUDITED = ('organization_id', 'expert_name', 'consulted_on', 'topic', 'hours', 'notes')


def _columns(data):
    """The model's values for plain input; Invalid names every bad field, and an
    organisation that does not exist."""
    values = clean(data, CONSULTATION_FIELDS)
    if db.session.get(Organization, values['organization_id']) is None:
        raise Invalid(fields={'organization_id': _l('No organisation has this id.')})
    return {
        'organization_id': values['organization_id'],
        'expert_name': values['expert'],
        'consulted_on': values['held_on'],
        'topic': values['topic'],
        'hours': values['hours'],
        'notes': values['notes'],
    }


def consultation_input(consultation):
    """A consultation as the plain input `update_consultation` takes (to fill a form)."""
    return {
        'organization_id': consultation.organization_id,
        'expert': consultation.expert_name,
        'held_on': consultation.consulted_on,
        'topic': consultation.topic,
        'hours': consultation.hours,
        'notes': consultation.notes,
    }


def record_consultation(data, *, actor):
    """Record a consultation from plain input (API body or form data); Invalid names every
    bad field, and an organisation that does not exist. Audited; flushes, never commits."""
    consultation = Consultation(**_columns(data))
    db.session.add(consultation)
    db.session.flush()
    audit.record(
        actor,
        'consultation.recorded',
        consultation,
        after=audit.snapshot(consultation, AUDITED),
    )
    return consultation


def update_consultation(consultation, data, *, actor):
    """Change a consultation from plain input, by the same rules as recording one; audited
    with what it held before and after. Flushes, never commits."""
    return audit.update(
        consultation,
        _columns(data),
        actor=actor,
        action='consultation.updated',
        fields=AUDITED,
    )


def delete_consultation(consultation, *, actor):
    """Delete a consultation (recorded by mistake); the audit entry keeps what it held.
    Flushes, never commits."""
    audit.record(
        actor, 'consultation.deleted', consultation, before=audit.snapshot(consultation, AUDITED)
    )
    db.session.delete(consultation)
    db.session.flush()
