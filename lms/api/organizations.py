"""Organisations: municipalities, CSOs, government bodies, academia (A only)."""

from flask import jsonify

from lms.api.base import api_user, bp, json_body
from lms.api.serializers import organization_json
from lms.extensions import db
from lms.organizations import service as organizations
from lms.permissions import can_administer, require


@bp.get('/organizations')
def list_organizations():
    require(can_administer(api_user()))
    items = db.session.scalars(organizations.search_organizations(order='id')).all()
    return jsonify({'items': [organization_json(o) for o in items]})


@bp.post('/organizations')
def create_organization():
    require(can_administer(api_user()))
    organization = organizations.create_organization(json_body(), actor=api_user())
    return jsonify(organization_json(organization)), 201
