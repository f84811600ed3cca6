"""Organisations: municipalities, CSOs, government bodies, academia (A only)."""

from flask import jsonify, request

from lms.api.base import api_user, bp, json_body
from lms.api.serializers import organization_json
from lms.organizations import service as organizations
from lms.pagination import api_page
from lms.permissions import can_administer, require
from lms.search import search_text


@bp.get('/organizations')
def list_organizations():
    """By id, `limit` at a time (1,000 unless given); `next` is the `cursor` of the next page,
    null on the last; `q` finds by part of a name."""
    require(can_administer(api_user()))
    stmt = organizations.search_organizations(search_text(request.args.get('q')), order='id')
    items, after = api_page(stmt, request.args.get('limit'), request.args.get('cursor'))
    return jsonify({'items': [organization_json(o) for o in items], 'next': after})


@bp.post('/organizations')
def create_organization():
    require(can_administer(api_user()))
    organization = organizations.create_organization(json_body(), actor=api_user())
    return jsonify(organization_json(organization)), 201
