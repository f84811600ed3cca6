"""Reading the experts' consultations: the admins' list."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.models import Consultation, Organization
from lms.search import contains


def search_consultations(organization_id=None, year=None, query=None):
    """A select() of consultations, newest first: of one organisation (`organization_id`)
    or of those whose name contains `query`, held in `year` when given."""
    stmt = (
        select(Consultation)
        .options(joinedload(Consultation.organization))
        .order_by(Consultation.consulted_on.desc(), Consultation.id.desc())
    )
    if organization_id is not None:
        stmt = stmt.where(Consultation.organization_id == organization_id)
    if year is not None:
        stmt = stmt.where(
            Consultation.consulted_on >= date(year, 1, 1),
            Consultation.consulted_on <= date(year, 12, 31),
        )
    if query:
        stmt = stmt.join(Organization, Organization.id == Consultation.organization_id).where(
            contains(query, Organization.name_ka, Organization.name_en)
        )
    return stmt
