"""The academy's figures: the public ones on the front page, and the admin's overview."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.caching import remembered
from lms.catalogue.queries import upcoming_cards
from lms.errors import Invalid
from lms.extensions import academy_today, db
from lms.models import Enrollment, Offering, Organization, User
from lms.statistics.exports import headline
from lms.statistics.figures import MAX_YEAR, MIN_YEAR, default_range, figures
from lms.statistics.snapshots import kept_figures
from lms.validation import Field, clean


def current_figures(first=None, last=None):
    """The figures of first..last as the public pages show them: counted by the job worker
    and kept (lms/statistics/snapshots.py), and reused for STATS_CACHE_SECONDS by this
    process; with STATS_CACHE_SECONDS = 0, counted afresh. A year left out defaults as
    `default_range`."""
    if None in (first, last):
        default_first, default_last = default_range()
        first, last = first or default_first, last or default_last
    seconds = current_app.config['STATS_CACHE_SECONDS']
    if not seconds:
        return figures(first, last)
    return remembered(
        ('figures', first, last),
        lambda: kept_figures(first, last, seconds),
        seconds=seconds,
    )


def home_figures():
    """The headline figures for the front page (the same as /stats shows by default) and
    what is coming up (OfferingCards, reused for PUBLIC_CACHE_SECONDS); no personal data."""
    current = current_figures()
    return {
        'figures': current,
        'figures_headline': headline(current),
        'upcoming': upcoming_cards(academy_today()),
    }


YEAR_FIELDS = {
    'from': Field('int', required=False, min=MIN_YEAR, max=MAX_YEAR),
    'to': Field('int', required=False, min=MIN_YEAR, max=MAX_YEAR),
}


def years_asked(args):
    """The range of years `args` asks for (`from`, `to`; each defaults as `default_range`);
    Invalid, naming the field, for a year that is not one or a range that runs backwards."""
    values = clean({name: args.get(name) for name in YEAR_FIELDS}, YEAR_FIELDS)
    first, last = values['from'], values['to']
    if first is None or last is None:
        default_first, default_last = default_range()
        if first is None:
            first = min(default_first, last) if last is not None else default_first
        if last is None:
            last = max(default_last, first)
    if first > last:
        raise Invalid(fields={'to': _l('The last year comes before the first.')})
    return first, last


def stats_json(first, last):
    """The figures as GET /api/v1/stats answers them (API.md)."""
    f = current_figures(first, last)
    return {
        'from': f.first,
        'to': f.last,
        'applications_by_kind': f.applications_by_kind,
        'applications': f.applications,
        'participants': f.participants,
        'participants_by_year': {str(y): n for y, n in f.participants_by_year.items()},
        'municipalities': f.municipalities,
        'participants_by_sector': f.participants_by_sector,
        'participants_by_gender': f.participants_by_gender,
        'participants_by_region': f.participants_by_region,
        'certificates_issued': f.certificates_issued,
        'certificates_by_year': {str(y): n for y, n in f.certificates_by_year.items()},
        'consultations': f.consultations,
        'organizations_consulted': f.organizations_consulted,
    }


def admin_overview():
    return {
        'pending_applications': db.session.scalar(
            select(func.count()).select_from(Enrollment).where(Enrollment.status == 'applied')
        ),
        'people_count': db.session.scalar(select(func.count()).select_from(User)),
        'organizations_count': db.session.scalar(select(func.count()).select_from(Organization)),
        'erasure_requests': db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.erasure_requested_at.is_not(None), User.erased_at.is_(None))
        ),
        'upcoming': db.session.scalars(
            select(Offering)
            .options(joinedload(Offering.course), joinedload(Offering.municipality))
            .where(Offering.ends_on >= academy_today())
            .order_by(Offering.starts_on)
            .limit(10)
        ).all(),
    }
