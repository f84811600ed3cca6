"""Assessments of an offering, and their results: a score sheet saved in one transaction,
validated to 0..maximum."""

from flask_babel import lazy_gettext as _l

from lms import audit
from lms.attendance.service import accepted_enrollment_ids
from lms.batch import check_rows, once_per_accepted_enrollment, upsert_by_enrollment
from lms.errors import Invalid
from lms.extensions import db
from lms.models import Assessment, Result
from lms.validation import Field, clean

ASSESSMENT_FIELDS = {
    'title': Field(max_length=200),
    'max_score': Field('decimal', min=0.01, max=99999),
    'pass_score': Field('decimal', min=0, max=99999),
    'required': Field('bool', required=False, default=True),
}

ROW_FIELDS = {
    'enrollment_id': Field('id'),
    'score': Field('decimal', min=0, max=ASSESSMENT_FIELDS['max_score'].max),
}


def record_results(assessment, records, *, actor):
    """Save the scores of an assessment: every row or none.

    `records` are dicts with `enrollment_id` and `score` (0..the assessment's maximum).
    Raises Invalid naming each bad row. Flushes, never commits. Returns rows saved.
    """

    def within_maximum(values):
        if values['score'] > assessment.max_score:
            return {'score': _l('At most %(n)s.', n=f'{assessment.max_score:g}')}
        return None

    check = once_per_accepted_enrollment(
        accepted_enrollment_ids(assessment.offering), within_maximum
    )

    rows = check_rows(records, ROW_FIELDS, check)
    if rows:
        upsert_by_enrollment(
            Result,
            (Result.assessment_id, assessment.id),
            rows,
            ('score',),
            actor=actor,
            action='result.recorded',
        )
    return len(rows)


def add_assessment(offering, data, *, actor):
    """Add an assessment to an offering; its pass score lies within 0..max_score."""
    values = clean(data, ASSESSMENT_FIELDS)
    if values['pass_score'] > values['max_score']:
        raise Invalid(fields={'pass_score': _l('The pass score cannot exceed the maximum.')})
    assessment = Assessment(offering=offering, **values)
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        actor,
        'assessment.created',
        assessment,
        after=audit.snapshot(assessment, tuple(ASSESSMENT_FIELDS)),
    )
    return assessment
