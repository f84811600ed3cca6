"""Expert consultations the academy gives organisations (most often municipalities)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import UTCDateTime, db, utcnow


class Consultation(db.Model):
    __tablename__ = 'consultations'
    __table_args__ = (CheckConstraint('hours >= 0', name='hours_not_negative'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey('organizations.id'), index=True)
    #: The academy's expert, when they have an account; expert_name otherwise.
    expert_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    expert_name: Mapped[str] = mapped_column(String(200), default='')
    consulted_on: Mapped[date] = mapped_column(index=True)
    topic: Mapped[str] = mapped_column(String(300))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=0)
    notes: Mapped[str] = mapped_column(Text, default='')
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization = relationship('Organization')
    expert = relationship('User')
