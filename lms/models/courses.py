"""The catalogue: courses, their offerings (runs), the sessions of an offering, signatories."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.functions import FunctionElement

from lms.extensions import UTCDateTime, db, one_of, utcnow
from lms.people.romanisation import romanise

COURSE_KINDS = ('training', 'seminar', 'conference', 'forum')
OFFERING_FORMATS = ('in_person', 'online', 'hybrid')
#: draft: not in the catalogue yet; published: visible, open for applications within its
#: window; completed: over; cancelled: will not take place.
OFFERING_STATUSES = ('draft', 'published', 'completed', 'cancelled')


class Course(db.Model):
    __tablename__ = 'courses'
    __table_args__ = (
        one_of('kind', COURSE_KINDS, 'kind'),
        CheckConstraint('hours >= 0', name='hours_not_negative'),
        CheckConstraint(
            'min_attendance_pct >= 0 AND min_attendance_pct <= 100', name='min_attendance_pct'
        ),
        CheckConstraint(
            'validity_months IS NULL OR validity_months > 0', name='validity_months_positive'
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title_ka: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    description_ka: Mapped[str] = mapped_column(Text, default='')
    description_en: Mapped[str] = mapped_column(Text, default='')
    kind: Mapped[str] = mapped_column(String(20), index=True)
    #: Nominal hours, as announced; a certificate states the hours of the sessions held.
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=0)
    min_attendance_pct: Mapped[int] = mapped_column(default=80)
    grants_certificate: Mapped[bool] = mapped_column(default=True)
    #: How long a certificate stays valid; None: it does not expire.
    validity_months: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    offerings = relationship(
        'Offering', back_populates='course', order_by='Offering.starts_on.desc()'
    )
    signatories = relationship('Signatory', back_populates='course', order_by='Signatory.position')

    def title(self, locale):
        return self.title_en if locale == 'en' and self.title_en else self.title_ka

    def __repr__(self):
        return f'<Course {self.code}>'


offering_trainers = Table(
    'offering_trainers',
    db.metadata,
    Column('offering_id', ForeignKey('offerings.id', ondelete='CASCADE'), primary_key=True),
    Column('user_id', ForeignKey('users.id', ondelete='CASCADE'), primary_key=True, index=True),
)


class Offering(db.Model):
    __tablename__ = 'offerings'
    __table_args__ = (
        one_of('format', OFFERING_FORMATS, 'format'),
        one_of('status', OFFERING_STATUSES, 'status'),
        CheckConstraint('ends_on >= starts_on', name='dates_in_order'),
        CheckConstraint('capacity IS NULL OR capacity > 0', name='capacity_positive'),
        CheckConstraint(
            'applications_close_on IS NULL OR applications_open_on IS NULL '
            'OR applications_close_on >= applications_open_on',
            name='application_window_in_order',
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey('courses.id'), index=True)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    #: Where it takes place, in Georgian.
    location: Mapped[str] = mapped_column(String(300), default='')
    #: The same in English, for English pages and the certificate's English side; when
    #: empty, the Georgian is romanised there.
    location_en: Mapped[str] = mapped_column(String(300), default='', server_default='')
    #: The municipality that hosts it (an organisation of kind 'municipality').
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey('organizations.id', ondelete='SET NULL'), index=True
    )
    format: Mapped[str] = mapped_column(String(20), default='in_person')
    capacity: Mapped[int | None]
    applications_open_on: Mapped[date | None]
    applications_close_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default='published', index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course = relationship('Course', back_populates='offerings', lazy='joined')
    municipality = relationship('Organization')
    trainers = relationship('User', secondary=offering_trainers, order_by='User.full_name_ka')
    sessions = relationship(
        'OfferingSession',
        back_populates='offering',
        order_by='OfferingSession.starts_at',
        cascade='all, delete-orphan',
    )
    enrollments = relationship(
        'Enrollment', back_populates='offering', cascade='all, delete-orphan'
    )
    assessments = relationship(
        'Assessment',
        back_populates='offering',
        order_by='Assessment.id',
        cascade='all, delete-orphan',
    )

    def place(self, lang):
        """Where it takes place in `lang`: the location, then the host municipality unless
        the location already names it. English falls back to the Georgian romanised, so
        an English page or certificate never shows Georgian letters."""
        municipality = self.municipality
        if lang == 'en':
            location = self.location_en or romanise(self.location or '')
            names = (municipality.name_en, municipality.name_ka) if municipality else ()
            name = municipality.name_en if municipality else ''
        else:
            location = self.location or ''
            names = (municipality.name_ka,) if municipality else ()
            name = municipality.name_ka if municipality else ''
        if not municipality or any(n and n in location for n in names):
            return location
        return ', '.join(part for part in (location, name) if part)

    def __repr__(self):
        return f'<Offering {self.id} {self.course_id} {self.starts_on}>'


class OfferingSession(db.Model):
    """One meeting of an offering. Never called `Session`: that word belongs to SQLAlchemy."""

    __tablename__ = 'offering_sessions'
    __table_args__ = (
        CheckConstraint('ends_at > starts_at', name='ends_after_start'),
        Index('ix_offering_sessions_offering_id_starts_at', 'offering_id', 'starts_at'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey('offerings.id', ondelete='CASCADE'))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    topic: Mapped[str] = mapped_column(String(300), default='')

    offering = relationship('Offering', back_populates='sessions')

    @property
    def seconds(self):
        """Length in whole seconds, as `seconds_between` counts it in the database."""
        return round((self.ends_at - self.starts_at).total_seconds())

    @property
    def hours(self):
        """Length in hours, to two decimals: hours follow start and end."""
        return session_hours(self.seconds)

    def __repr__(self):
        return f'<OfferingSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}>'


def session_hours(seconds):
    """A session's hours from its length in whole seconds, to two decimals."""
    return round(seconds / 3600, 2)


class seconds_between(FunctionElement):
    """Whole seconds from one UTCDateTime to a later one, counted by the database, so
    that hours can be summed per person and length without reading every session."""

    type = Integer()
    name = 'seconds_between'
    inherit_cache = True


@compiles(seconds_between)
def _seconds_between(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f'CAST(round(extract(epoch FROM {end} - {start})) AS INTEGER)'


@compiles(seconds_between, 'sqlite')
def _seconds_between_on_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f'CAST(round((julianday({end}) - julianday({start})) * 86400) AS INTEGER)'


class Signatory(db.Model):
    """A person who signs certificates: for one course, or (course None) for the academy."""

    __tablename__ = 'signatories'

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey('courses.id', ondelete='CASCADE'), index=True
    )
    name_ka: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    title_ka: Mapped[str] = mapped_column(String(200), default='')
    title_en: Mapped[str] = mapped_column(String(200), default='')
    #: A PNG of the signature, drawn on certificates when present.
    signature_png: Mapped[bytes | None]
    position: Mapped[int] = mapped_column(default=0)

    course = relationship('Course', back_populates='signatories')
