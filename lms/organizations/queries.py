"""An organisation's figures and lists: its public page, its certified people and its staff.

The figures follow the academy's statistics (lms/statistics/figures.py), narrowed to one
organisation, over all years, by the year an offering starts:

- staff trained: distinct people with an accepted enrollment whose employer at that
  enrollment was this organisation (the statistics' "participants" and their employer
  rule, `employer_enrollments`);
- staff certified: distinct such people holding a certificate in force for one of those
  enrollments (valid: neither revoked, superseded nor expired), or a paper one recorded
  from the academy's archive (the import of past years), as "certificates issued" counts
  them;
- events hosted: offerings it hosted, neither a draft nor cancelled (as "municipalities
  reached" counts them);
- consultations: the experts' consultations it received, by the year of their date.

Each figure is one SQL aggregate over indexes; no row of a person is loaded to count.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, extract, func, or_, select
from sqlalchemy.orm import load_only, selectinload

from certificates import ArchiveCertificate, Certificate, format_serial
from lms.completion.service import completions_of
from lms.extensions import academy_today, db
from lms.models import (
    Consultation,
    Enrollment,
    Offering,
    Organization,
    User,
    organization_contacts,
)
from lms.search import contains
from lms.statistics.figures import NOT_HELD, employer_enrollments


@dataclass(frozen=True)
class YearFigures:
    year: int
    trained: int = 0
    certified: int = 0
    hosted: int = 0
    consultations: int = 0


@dataclass(frozen=True)
class OrganizationFigures:
    trained: int
    certified: int
    hosted: int
    consultations: int
    #: One row per year with anything to show, newest first.
    by_year: list = field(default_factory=list)


def _in_force(today):
    return (
        Certificate.status == 'valid',
        or_(Certificate.valid_until.is_(None), Certificate.valid_until >= today),
    )


def _with_certificates(stmt, employed, today):
    """`stmt` over `employed` (employer_enrollments), each enrollment with its certificate
    in force and its paper one, if any (outer joins: one row per enrollment, as an
    enrollment has at most one certificate in force and one paper number); `_HOLDING` is
    true when it holds either. Each is found by its enrollment's index, for the few
    hundred enrollments of an organisation's staff."""
    return stmt.outerjoin(
        Certificate, and_(Certificate.enrollment_id == employed.c.id, *_in_force(today))
    ).outerjoin(ArchiveCertificate, ArchiveCertificate.enrollment_id == employed.c.id)


_HOLDING = or_(Certificate.id.is_not(None), ArchiveCertificate.id.is_not(None))


def organization_figures(organization, today=None):
    """The counts of the organisation's page, in total and per year (see the module)."""
    today = today or academy_today()
    employed = employer_enrollments(organization.id, status='accepted')
    offering_year = extract('year', Offering.starts_on)

    # One pass over the staff's accepted enrollments, each with its certificate in force
    # or its paper one if any: the people counted once for trained, and once more if
    # certified.
    rows = _with_certificates(
        select(
            employed.c.user_id,
            offering_year.label('year'),
            case((_HOLDING, employed.c.user_id)).label('certified'),
        ).join(Offering, Offering.id == employed.c.offering_id),
        employed,
        today,
    ).subquery()
    people = (
        func.count(func.distinct(rows.c.user_id)),
        func.count(func.distinct(rows.c.certified)),
    )
    trained, certified = db.session.execute(select(*people)).one()
    trained_by_year, certified_by_year = {}, {}
    for year, n_trained, n_certified in db.session.execute(
        select(rows.c.year, *people).group_by(rows.c.year)
    ):
        trained_by_year[int(year)] = n_trained
        if n_certified:
            certified_by_year[int(year)] = n_certified
    hosted_by_year = {
        int(y): n
        for y, n in db.session.execute(
            select(offering_year, func.count(Offering.id))
            .where(Offering.municipality_id == organization.id, Offering.status.not_in(NOT_HELD))
            .group_by(offering_year)
        )
    }
    consulted_year = extract('year', Consultation.consulted_on)
    consulted_by_year = {
        int(y): n
        for y, n in db.session.execute(
            select(consulted_year, func.count(Consultation.id))
            .where(Consultation.organization_id == organization.id)
            .group_by(consulted_year)
        )
    }
    years = sorted(
        {*trained_by_year, *certified_by_year, *hosted_by_year, *consulted_by_year}, reverse=True
    )
    return OrganizationFigures(
        trained=trained,
        certified=certified,
        hosted=sum(hosted_by_year.values()),
        consultations=sum(consulted_by_year.values()),
        by_year=[
            YearFigures(
                year,
                trained_by_year.get(year, 0),
                certified_by_year.get(year, 0),
                hosted_by_year.get(year, 0),
                consulted_by_year.get(year, 0),
            )
            for year in years
        ],
    )


def hosted_offerings(organization):
    """A select() of the offerings the organisation hosted that left draft, newest first."""
    return (
        select(Offering)
        .where(Offering.municipality_id == organization.id, Offering.status != 'draft')
        .order_by(Offering.starts_on.desc(), Offering.id.desc())
    )


def consultations_received(organization):
    """A select() of the consultations the organisation received, newest first."""
    return (
        select(Consultation)
        .where(Consultation.organization_id == organization.id)
        .order_by(Consultation.consulted_on.desc(), Consultation.id.desc())
    )


def certified_enrollments(organization, today=None):
    """A select() of the enrollments of the organisation's staff (employer rule) holding a
    certificate in force or a paper one from the archive, by the person's Georgian name;
    `serials_of` gives their serials."""
    today = today or academy_today()
    employed = employer_enrollments(organization.id, status='accepted')
    # The few certified enrollments first, from the staff's few hundred; then the rows
    # to show. (An IN over every certificate of the academy, or a join with the list in
    # the order of names, made PostgreSQL walk the academy's people by name.)
    certified = _with_certificates(select(employed.c.id), employed, today).where(_HOLDING)
    return (
        select(Enrollment)
        .options(selectinload(Enrollment.offering))
        .join(User, User.id == Enrollment.user_id)
        .join(Offering, Offering.id == Enrollment.offering_id)
        .where(Enrollment.id.in_(certified))
        .order_by(User.full_name_ka, Offering.starts_on.desc(), Enrollment.id)
    )


@dataclass(frozen=True)
class Serial:
    text: str  # as people read it
    archived: bool = False  # a paper certificate's number, from the archive


def serials_of(enrollments):
    """{enrollment id: the Serial of its certificate in force, else of its paper one} for
    `enrollments`."""
    ids = [e.id for e in enrollments]
    if not ids:
        return {}
    found = {
        enrollment_id: Serial(number, archived=True)
        for enrollment_id, number in db.session.execute(
            select(ArchiveCertificate.enrollment_id, ArchiveCertificate.number).where(
                ArchiveCertificate.enrollment_id.in_(ids)
            )
        )
    }
    rows = db.session.execute(
        select(Certificate.enrollment_id, Certificate.serial).where(
            Certificate.enrollment_id.in_(ids), Certificate.status == 'valid'
        )
    )
    found.update((enrollment_id, Serial(readable_serial(serial))) for enrollment_id, serial in rows)
    return found


def readable_serial(serial):
    """The serial as people read it (K7QM-3XWD-9P2F); a number from before the system, which
    has no such form, as it was recorded."""
    try:
        return format_serial(serial)
    except ValueError:
        return serial


def staff(organization, query=None):
    """A select() of the people whose organisation (on their profile) is this one, by
    Georgian name; `query` narrows by name."""
    stmt = (
        select(User)
        .where(User.organization_id == organization.id)
        .order_by(User.full_name_ka, User.id)
    )
    if query:
        stmt = stmt.where(contains(query, User.full_name_ka, User.full_name_en))
    return stmt


@dataclass(frozen=True)
class StaffProgress:
    enrollment: object
    completion: object  # lms.completion Completion, or None before the offering began
    certificates: list  # (Certificate, its serial as people read it), newest first
    archived: list = ()  # ArchiveCertificate: issued on paper, recorded from the archive


def staff_progress(people, now=None):
    """{user id: [StaffProgress]} of `people` (a page of them): every enrollment, newest
    first, with its completion (lms.completion, the trainers' rule) and its certificates,
    signed or recorded from the archive."""
    ids = [p.id for p in people]
    if not ids:
        return {}
    enrollments = db.session.scalars(
        select(Enrollment)
        .join(Offering, Offering.id == Enrollment.offering_id)
        .options(selectinload(Enrollment.offering).selectinload(Offering.sessions))
        .where(Enrollment.user_id.in_(ids))
        .order_by(Offering.starts_on.desc(), Enrollment.id.desc())
    ).all()
    completions = completions_of(enrollments, now=now)
    enrollment_ids = [e.id for e in enrollments]
    certificates, archived = {}, {}
    if enrollment_ids:
        for certificate in db.session.scalars(
            select(Certificate)
            .options(
                load_only(
                    Certificate.serial,
                    Certificate.enrollment_id,
                    Certificate.status,
                    Certificate.issued_on,
                )
            )
            .where(Certificate.enrollment_id.in_(enrollment_ids))
            .order_by(Certificate.id.desc())
        ):
            certificates.setdefault(certificate.enrollment_id, []).append(
                (certificate, readable_serial(certificate.serial))
            )
        for paper in db.session.scalars(
            select(ArchiveCertificate).where(ArchiveCertificate.enrollment_id.in_(enrollment_ids))
        ):
            archived.setdefault(paper.enrollment_id, []).append(paper)
    progress = {i: [] for i in ids}
    for e in enrollments:
        progress[e.user_id].append(
            StaffProgress(
                e, completions.get(e.id), certificates.get(e.id, []), archived.get(e.id, [])
            )
        )
    return progress


def organizations_in_contact(user):
    """The organisations `user` is a contact person of, by Georgian name."""
    if not getattr(user, 'is_authenticated', False):
        return []
    return db.session.scalars(
        select(Organization)
        .join(organization_contacts, organization_contacts.c.organization_id == Organization.id)
        .where(organization_contacts.c.user_id == user.id)
        .order_by(Organization.name_ka)
    ).all()
