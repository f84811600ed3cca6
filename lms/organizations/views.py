"""Organisations for the public: the index, each organisation's page; and its people, for
the academy's staff and the organisation's own contact people."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from lms.completion.words import describe_all
from lms.extensions import db
from lms.labels import choices
from lms.models import ORGANIZATION_KINDS, REGIONS, Organization
from lms.organizations import queries
from lms.organizations.service import search_organizations
from lms.pagination import paginate
from lms.permissions import can_see_organization_people, require
from lms.search import search_text

bp = Blueprint('organizations', __name__, template_folder='templates')

#: At most so many people on one page of an organisation's staff: each comes with every
#: enrollment and its completion, worked out offering by offering (bench/stats.py).
STAFF_PER_PAGE = 10


@bp.get('')
def index():
    q = search_text(request.args.get('q'))
    kind = request.args.get('kind') if request.args.get('kind') in ORGANIZATION_KINDS else ''
    region = request.args.get('region') if request.args.get('region') in REGIONS else ''
    page = paginate(search_organizations(q, kind, region), request.args.get('page'))
    return render_template(
        'organizations/index.html',
        page=page,
        q=q,
        kind=kind,
        region=region,
        kinds=choices('organization_kind'),
        regions=choices('region'),
    )


@bp.get('/<int:organization_id>')
def detail(organization_id):
    """Counts, events hosted and consultations for everyone; the certified people only for
    those who may see the organisation's people."""
    organization = db.get_or_404(Organization, organization_id)
    people = can_see_organization_people(current_user, organization)
    certified = serials = None
    if people:
        certified = paginate(
            queries.certified_enrollments(organization), request.args.get('certified')
        )
        serials = queries.serials_of(certified.items)
    return render_template(
        'organizations/detail.html',
        organization=organization,
        figures=queries.organization_figures(organization),
        events=paginate(queries.hosted_offerings(organization), request.args.get('events')),
        consultations=paginate(
            queries.consultations_received(organization), request.args.get('consultations')
        ),
        certified=certified,
        serials=serials,
    )


@bp.get('/<int:organization_id>/people')
@login_required
def people(organization_id):
    """The organisation's staff (people whose organisation is this one), each with their
    enrollments, progress and certificates."""
    organization = db.get_or_404(Organization, organization_id)
    require(can_see_organization_people(current_user, organization))
    q = search_text(request.args.get('q'))
    page = paginate(
        queries.staff(organization, q),
        request.args.get('page'),
        per_page=min(STAFF_PER_PAGE, current_app.config['PER_PAGE']),
    )
    return render_template(
        'organizations/people.html',
        organization=organization,
        page=page,
        q=q,
        progress=queries.staff_progress(page.items),
        reasons=describe_all,
    )
