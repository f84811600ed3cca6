"""The academy in numbers (DESIGN.md, "Statistics"): one module that every consumer uses.

The page `/stats`, its CSV and XLSX downloads, the front page and `GET /api/v1/stats` all
ask `figures(first, last)`; so they agree. Every figure is counted by the database
(GROUP BY, COUNT DISTINCT over indexed joins); no row of a person is loaded into Python.

The definitions, for the years `first`..`last` by the year an offering starts:

- applications by kind of event: enrollments of any status, by the kind of the course,
  and the applications removed since (an erasure, the retention of rejected ones), which
  are counted per offering when they go (ApplicationTally);
- participants: distinct people with an accepted enrollment; per year, distinct people
  with an accepted enrollment in an offering starting that year (someone who took part
  in two years counts in both years, once in the total);
- municipalities reached: distinct organisations of kind `municipality` that hosted an
  offering (neither a draft nor cancelled) or employ an accepted participant. The
  employer is the organisation the person named when applying, else their profile's
  organisation unless they named one that is not listed. Where someone lives does not
  make a municipality reached, nor does an application that was not accepted;
- participants by sector, gender and region: each participant once, as they were at
  their latest accepted enrollment of the range (sector as given when applying, else the
  profile's; region of the municipality they live in, else of their employer);
- certificates issued: enrollments holding a certificate in force (not revoked; a
  reissue replaces, it does not add one) or one issued on paper before the system and
  recorded from the academy's archive (the import of past years); per year by the year
  the offering started;
- consultations: the experts' consultations held in those years (by their date), and
  the distinct organisations that received them.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, extract, func, literal, select, union, union_all

from certificates import ArchiveCertificate, Certificate
from lms.extensions import academy_today, db
from lms.models import (
    COURSE_KINDS,
    GENDERS,
    REGIONS,
    SECTORS,
    ApplicationTally,
    Consultation,
    Course,
    Enrollment,
    Offering,
    Organization,
    User,
)

#: The years a range may span (the API describes them too).
MIN_YEAR, MAX_YEAR = 2000, 2100
#: The key for a person whose gender or region is not known.
UNKNOWN = 'unknown'
#: Offerings in these statuses hosted nothing.
NOT_HELD = ('draft', 'cancelled')


@dataclass(frozen=True)
class Municipality:
    id: int
    name_ka: str
    name_en: str
    region: str | None
    hosted: int  # offerings it hosted in the range
    participants: int  # distinct accepted participants it employs


@dataclass(frozen=True)
class Figures:
    first: int
    last: int
    applications_by_kind: dict
    participants: int
    participants_by_year: dict
    municipalities: int
    participants_by_sector: dict
    participants_by_gender: dict
    participants_by_region: dict
    certificates_issued: int
    certificates_by_year: dict
    consultations: int
    organizations_consulted: int
    municipalities_reached: list = field(default_factory=list)

    @property
    def applications(self):
        return sum(self.applications_by_kind.values())

    @property
    def years(self):
        return list(range(self.first, self.last + 1))

    def by_region(self):
        """The municipalities reached, grouped by region (regions in reference order), each
        group ranked by participants, then events hosted, then name."""
        groups = {code: [] for code in (*REGIONS, None)}
        for m in self.municipalities_reached:
            groups[m.region if m.region in REGIONS else None].append(m)
        return [(code, rows) for code, rows in groups.items() if rows]


def default_range():
    """From the first year with data (an offering that is not a draft, or a consultation)
    to the current academy year."""
    this_year = academy_today().year
    first = db.session.execute(
        select(
            select(func.min(Offering.starts_on))
            .where(Offering.status != 'draft')
            .scalar_subquery(),
            select(func.min(Consultation.consulted_on)).scalar_subquery(),
        )
    ).one()
    years = [d.year for d in first if d is not None]
    return min([*years, this_year]), this_year


def figures(first=None, last=None):
    """Every figure for the years first..last (defaults: `default_range()`)."""
    if first is None or last is None:
        default_first, default_last = default_range()
        first = default_first if first is None else first
        last = default_last if last is None else last
    start, end = date(first, 1, 1), date(last, 12, 31)
    in_range = and_(Offering.starts_on >= start, Offering.starts_on <= end)
    year = extract('year', Offering.starts_on)
    years = range(first, last + 1)

    # Every enrollment is one application, and the applications removed since (an erasure,
    # the retention of rejected ones) still count: one sum over both, by kind of course.
    # The enrollments are counted per offering first, along its index, so that only a row
    # per offering is joined to the offerings of the range.
    counted = union_all(
        select(Enrollment.offering_id, func.count().label('n')).group_by(Enrollment.offering_id),
        select(ApplicationTally.offering_id, ApplicationTally.removed.label('n')),
    ).subquery()
    applications = dict.fromkeys(COURSE_KINDS, 0)
    applications.update(
        (kind, int(n))
        for kind, n in db.session.execute(
            select(Course.kind, func.sum(counted.c.n))
            .select_from(counted)
            .join(Offering, Offering.id == counted.c.offering_id)
            .join(Course, Course.id == Offering.course_id)
            .where(in_range)
            .group_by(Course.kind)
        )
    )

    accepted = (
        select(Enrollment.user_id)
        .join(Offering, Offering.id == Enrollment.offering_id)
        .where(Enrollment.status == 'accepted', in_range)
    )
    participants = db.session.scalar(
        select(func.count()).select_from(accepted.distinct().subquery())
    )
    per_year = dict.fromkeys(years, 0)
    per_year.update(
        (int(y), n)
        for y, n in db.session.execute(
            accepted.with_only_columns(
                year, func.count(func.distinct(Enrollment.user_id))
            ).group_by(year)
        )
    )

    sector, gender, region = _breakdowns(in_range)
    reached = _municipalities(in_range, accepted)

    # Certificates in force, and those issued on paper before the system as the archive
    # records them: an enrollment holding either (or both) counts once.
    holding = union(
        select(Certificate.enrollment_id.label('enrollment_id')).where(
            Certificate.status == 'valid'
        ),
        select(ArchiveCertificate.enrollment_id.label('enrollment_id')),
    ).subquery()
    certificates_by_year = dict.fromkeys(years, 0)
    certificates_by_year.update(
        (int(y), n)
        for y, n in db.session.execute(
            select(year, func.count(func.distinct(holding.c.enrollment_id)))
            .select_from(holding)
            .join(Enrollment, Enrollment.id == holding.c.enrollment_id)
            .join(Offering, Offering.id == Enrollment.offering_id)
            .where(in_range)
            .group_by(year)
        )
    )

    consultations, consulted = db.session.execute(
        select(
            func.count(Consultation.id), func.count(func.distinct(Consultation.organization_id))
        ).where(Consultation.consulted_on >= start, Consultation.consulted_on <= end)
    ).one()

    return Figures(
        first=first,
        last=last,
        applications_by_kind=applications,
        participants=participants,
        participants_by_year=per_year,
        municipalities=len(reached),
        participants_by_sector=sector,
        participants_by_gender=gender,
        participants_by_region=region,
        certificates_issued=sum(certificates_by_year.values()),
        certificates_by_year=certificates_by_year,
        consultations=consultations,
        organizations_consulted=consulted,
        municipalities_reached=reached,
    )


def _employer(enrollment=Enrollment.__table__.c):
    """The organisation an enrollment's person worked for (see the module's docstring);
    `enrollment`: the columns of the enrollment (default: the table's own)."""
    return case(
        (enrollment.organization_id.is_not(None), enrollment.organization_id),
        (enrollment.organization_other.is_not(None), literal(None)),
        else_=User.organization_id,
    )


def employer_enrollments(organization_id, status=None):
    """A subquery (id, user_id, offering_id) of the enrollments whose person worked for
    `organization_id`, by the same rule as `_employer` (the organisation named when
    applying, else the profile's unless they named one that is not listed); only those in
    `status` when given. The organisation pages count their staff over it.

    Written as two disjoint halves joined by UNION ALL, so that each reads an index (the
    enrollments of an organisation; the people of an organisation and, by the partial
    index ix_enrollments_profile_employer, their enrollments that named no organisation)
    instead of testing the rule on every enrollment of the academy.
    """
    named = select(Enrollment.id, Enrollment.user_id, Enrollment.offering_id).where(
        Enrollment.organization_id == organization_id
    )
    profile = (
        select(Enrollment.id, Enrollment.user_id, Enrollment.offering_id)
        .join(User, User.id == Enrollment.user_id)
        .where(
            User.organization_id == organization_id,
            Enrollment.organization_id.is_(None),
            Enrollment.organization_other.is_(None),
        )
    )
    if status is not None:
        named = named.where(Enrollment.status == status)
        profile = profile.where(Enrollment.status == status)
    return union_all(named, profile).subquery('employed')


def _breakdowns(in_range):
    """Participants by sector, gender and region: one grouped query over each person's
    latest accepted enrollment of the range."""
    # The ranking carries what the breakdowns read of the enrollment, so the chosen rows
    # need no second look-up of the enrollment each (half the time on PostgreSQL).
    ranked = (
        select(
            Enrollment.user_id,
            Enrollment.sector,
            Enrollment.residence_municipality_id,
            Enrollment.organization_id,
            Enrollment.organization_other,
            func.row_number()
            .over(
                partition_by=Enrollment.user_id,
                order_by=(Offering.starts_on.desc(), Enrollment.id.desc()),
            )
            .label('rank'),
        )
        .join(Offering, Offering.id == Enrollment.offering_id)
        .where(Enrollment.status == 'accepted', in_range)
        .subquery()
    )
    home = Organization.__table__.alias('home')
    employer = Organization.__table__.alias('employer')
    sector = func.coalesce(ranked.c.sector, User.sector)
    region = func.coalesce(home.c.region, employer.c.region)
    rows = db.session.execute(
        select(sector, User.gender, region, func.count())
        .select_from(ranked)
        .join(User, User.id == ranked.c.user_id)
        .outerjoin(home, home.c.id == ranked.c.residence_municipality_id)
        .outerjoin(employer, employer.c.id == _employer(ranked.c))
        .where(ranked.c.rank == 1)
        .group_by(sector, User.gender, region)
    ).all()
    by_sector = dict.fromkeys(SECTORS, 0)
    by_gender = dict.fromkeys((*GENDERS, UNKNOWN), 0)
    by_region = dict.fromkeys((*REGIONS, UNKNOWN), 0)
    for s, g, r, n in rows:
        by_sector[s if s in by_sector else 'other'] += n
        by_gender[g if g in by_gender else UNKNOWN] += n
        by_region[r if r in by_region else UNKNOWN] += n
    return by_sector, by_gender, by_region


def _municipalities(in_range, accepted):
    """The municipalities reached, each with the offerings it hosted and the distinct
    accepted participants it employs; ranked by participants, then offerings hosted."""
    hosted = dict(
        db.session.execute(
            select(Offering.municipality_id, func.count(Offering.id))
            .where(
                in_range, Offering.status.not_in(NOT_HELD), Offering.municipality_id.is_not(None)
            )
            .group_by(Offering.municipality_id)
        ).all()
    )
    employer = _employer()
    employing = dict(
        db.session.execute(
            accepted.join(User, User.id == Enrollment.user_id)
            .with_only_columns(employer, func.count(func.distinct(Enrollment.user_id)))
            .where(employer.is_not(None))
            .group_by(employer)
        ).all()
    )
    ids = set(hosted) | set(employing)
    if not ids:
        return []
    rows = db.session.execute(
        select(
            Organization.id, Organization.name_ka, Organization.name_en, Organization.region
        ).where(Organization.kind == 'municipality', Organization.id.in_(ids))
    ).all()
    reached = [
        Municipality(i, ka, en, region, hosted.get(i, 0), employing.get(i, 0))
        for i, ka, en, region in rows
    ]
    reached.sort(key=lambda m: (-m.participants, -m.hosted, m.name_ka))
    return reached
