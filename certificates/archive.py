"""Certificates issued on paper before this system, as the academy's archive records them.

Looked up by the number printed on the paper, trimmed and without regard to case, exactly
otherwise: an archive number is not a serial, so none of a serial's reading rules (O as 0,
separators ignored) apply to it. What such a record proves is only that the academy's
archive lists the certificate; nothing about it is signed.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from certificates.models import ArchiveCertificate
from lms.extensions import db

#: The longest archive number kept (the column's length).
MAX_NUMBER_LENGTH = 60


def archive_key(text):
    """The form an archive number is stored and looked up in: trimmed, NFC, case-folded."""
    if not isinstance(text, str):
        return ''
    return unicodedata.normalize('NFC', text).strip().casefold()


@dataclass(frozen=True)
class ArchivedFacts:
    """What the archive records of a paper certificate (an ArchiveCertificate's facts)."""

    number: str
    holder_name_ka: str
    holder_name_en: str
    course_title_ka: str
    course_title_en: str
    course_kind: str
    hours: Decimal | None
    starts_on: date
    ends_on: date
    issued_on: date


def find_archived(text):
    """The ArchivedFacts of the paper certificate numbered `text`, or None."""
    key = archive_key(text)
    if not key or len(key) > MAX_NUMBER_LENGTH or not key.isprintable():
        # No number holds control characters (the import refuses them), and PostgreSQL
        # refuses a NUL in any text: such a "number" is simply not found.
        return None
    row = db.session.scalars(
        select(ArchiveCertificate).where(ArchiveCertificate.number_key == key)
    ).first()
    if row is None:
        return None
    return ArchivedFacts(
        number=row.number,
        holder_name_ka=row.holder_name_ka,
        holder_name_en=row.holder_name_en,
        course_title_ka=row.course_title_ka,
        course_title_en=row.course_title_en,
        course_kind=row.course_kind,
        hours=row.hours,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        issued_on=row.issued_on,
    )
