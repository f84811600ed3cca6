"""A person in an offering: the enrollment, attendance per session, assessments and results."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import UTCDateTime, db, one_of, utcnow

ENROLLMENT_STATUSES = ('applied', 'waitlisted', 'accepted', 'rejected', 'withdrawn')
ATTENDANCE_STATUSES = ('present', 'late', 'excused', 'absent')
#: Statuses that count as attended for the attendance percentage (DESIGN.md).
ATTENDED_STATUSES = ('present', 'late')
#: What the academy's archive of past years records of a person in an event (lms.history):
#: `completed` is accepted and finished the requirements.
ARCHIVE_OUTCOMES = ('applied', 'accepted', 'rejected', 'withdrawn', 'completed')
#: An enrollment whose employer is the person's profile's: it named no organisation.
PROFILE_EMPLOYER = 'organization_id IS NULL AND organization_other IS NULL'


class Enrollment(db.Model):
    __tablename__ = 'enrollments'
    __table_args__ = (
        UniqueConstraint('offering_id', 'user_id'),
        one_of('status', ENROLLMENT_STATUSES, 'status'),
        one_of('archive_outcome', ARCHIVE_OUTCOMES, 'archive_outcome'),
        # The statistics count accepted people per offering from this index alone.
        Index('ix_enrollments_offering_id_status_user_id', 'offering_id', 'status', 'user_id'),
        # The applications list (newest first) and an offering's queue (first come first).
        Index('ix_enrollments_applied_at_id', 'applied_at', 'id'),
        Index('ix_enrollments_offering_id_applied_at_id', 'offering_id', 'applied_at', 'id'),
        # An organisation's staff by their profile (statistics.employer_enrollments): the
        # enrollments of its people that named no organisation, without the academy's
        # other enrollments of those people.
        Index(
            'ix_enrollments_profile_employer',
            'user_id',
            'status',
            sqlite_where=text(PROFILE_EMPLOYER),
            postgresql_where=text(PROFILE_EMPLOYER),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey('offerings.id', ondelete='CASCADE'))
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id'), index=True)
    status: Mapped[str] = mapped_column(String(20), default='applied', index=True)
    #: What the applicant wrote when applying.
    motivation: Mapped[str] = mapped_column(Text, default='')
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # What the applicant told the academy when applying (it may differ from their profile
    # later, and the academy decides and reports on what it was then).
    sector: Mapped[str | None] = mapped_column(String(20))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey('organizations.id', ondelete='SET NULL'), index=True
    )
    #: "My organisation is not listed": its name as the applicant typed it.
    organization_other: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    residence_municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey('organizations.id', ondelete='SET NULL'), index=True
    )
    #: The version of the personal-data notice the applicant consented to, and when.
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A freed seat offered to this waitlisted person, held for them until then.
    offered_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: They let an offered seat go (or declined it): later offers pass them by.
    offer_lapsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: For an enrollment imported from the academy's archive of past years: the outcome
    #: the archive records (one of ARCHIVE_OUTCOMES; `completed` keeps the status
    #: `accepted`). None for enrollments made in this system. It is a record of the past,
    #: not a rule: eligibility for a signed certificate never reads it.
    archive_outcome: Mapped[str | None] = mapped_column(String(20))

    offering = relationship('Offering', back_populates='enrollments')
    user = relationship('User', lazy='joined')
    organization = relationship('Organization', foreign_keys=[organization_id])
    residence_municipality = relationship('Organization', foreign_keys=[residence_municipality_id])

    def __repr__(self):
        return f'<Enrollment {self.id} {self.status}>'


class Attendance(db.Model):
    __tablename__ = 'attendance'
    __table_args__ = (
        UniqueConstraint('session_id', 'enrollment_id'),
        one_of('status', ATTENDANCE_STATUSES, 'status'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey('offering_sessions.id', ondelete='CASCADE'))
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey('enrollments.id', ondelete='CASCADE'), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(500), default='')
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    offering_session = relationship('OfferingSession')
    enrollment = relationship('Enrollment')
    recorded_by = relationship('User')


class Assessment(db.Model):
    __tablename__ = 'assessments'
    __table_args__ = (
        CheckConstraint('max_score > 0', name='max_score_positive'),
        CheckConstraint('pass_score >= 0 AND pass_score <= max_score', name='pass_score_in_range'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        ForeignKey('offerings.id', ondelete='CASCADE'), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    max_score: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    pass_score: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    required: Mapped[bool] = mapped_column(default=True)

    offering = relationship('Offering', back_populates='assessments')


class Result(db.Model):
    __tablename__ = 'results'
    __table_args__ = (
        UniqueConstraint('assessment_id', 'enrollment_id'),
        CheckConstraint('score >= 0', name='score_not_negative'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey('assessments.id', ondelete='CASCADE'))
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey('enrollments.id', ondelete='CASCADE'), index=True
    )
    #: Within 0..the assessment's max_score (checked by the service: it spans two tables).
    score: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment = relationship('Assessment')
    enrollment = relationship('Enrollment')


class ApplicationTally(db.Model):
    """Applications to an offering that were removed (a person's erasure, the retention of
    rejected applications) and still count in the statistics: nothing of the person is
    kept, only how many there were."""

    __tablename__ = 'application_tallies'
    __table_args__ = (CheckConstraint('removed >= 0', name='removed_not_negative'),)

    offering_id: Mapped[int] = mapped_column(
        ForeignKey('offerings.id', ondelete='CASCADE'), primary_key=True
    )
    removed: Mapped[int] = mapped_column(default=0)
