"""Read side of assessments: the scores of a sheet."""

from sqlalchemy import select

from lms.extensions import db
from lms.models import Result


def assessment_scores(assessment):
    """{enrollment_id: score} of an assessment (one query)."""
    rows = db.session.execute(
        select(Result.enrollment_id, Result.score).where(Result.assessment_id == assessment.id)
    )
    return dict(rows.all())
