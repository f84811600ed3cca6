"""Assessment results: a score sheet saved in one transaction, validated to 0..maximum."""

from flask_babel import lazy_gettext as _l

from lms.attendance.service import accepted_enrollment_ids
from lms.batch import check_rows, upsert_by_enrollment
from lms.models import Result
from lms.validation import Field

ROW_FIELDS = {
    'enrollment_id': Field('id'),
    'score': Field('decimal', min=0, max=99999),
}


def record_results(assessment, records, *, actor):
    """Save the scores of an assessment: every row or none.

    `records` are dicts with `enrollment_id` and `score` (0..the assessment's maximum).
    Raises Invalid naming each bad row. Flushes, never commits. Returns rows saved.
    """
    accepted = accepted_enrollment_ids(assessment.offering)

    def check(values, seen):
        enrollment_id = values['enrollment_id']
        if enrollment_id in seen:
            return {'enrollment_id': _l('This person appears twice in the list.')}
        seen.add(enrollment_id)
        if enrollment_id not in accepted:
            return {'enrollment_id': _l('Not an accepted participant of this offering.')}
        if values['score'] > assessment.max_score:
            return {'score': _l('At most %(n)s.', n=f'{assessment.max_score:g}')}
        return None

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
