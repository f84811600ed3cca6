"""The academy's figures as the job worker last counted them (lms/statistics/snapshots.py)."""

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import UTCDateTime, db


class FigureSnapshot(db.Model):
    """Every figure of one range of years, as JSON; counted by the worker, read by pages."""

    __tablename__ = 'figure_snapshots'
    __table_args__ = (
        UniqueConstraint('first_year', 'last_year', name='uq_figure_snapshots_range'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_year: Mapped[int]
    last_year: Mapped[int]
    figures_json: Mapped[str] = mapped_column(Text)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
