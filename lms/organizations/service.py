"""Organisations: creating and editing them, and Georgia's 64 municipalities as reference data."""

import csv
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms import audit, search
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.models import ORGANIZATION_KINDS, Organization, User, region_code
from lms.validation import MAX_INT, Field, clean

MUNICIPALITIES_CSV = Path(__file__).resolve().parents[1] / 'data' / 'municipalities.csv'

ORGANIZATION_FIELDS = {
    'name_ka': Field(max_length=200),
    'name_en': Field(max_length=200),
    'kind': Field(choices=ORGANIZATION_KINDS),
    'region': Field(max_length=60, required=False),
}
AUDITED = ('name_ka', 'name_en', 'kind', 'region')


def _values(data):
    values = clean(data, ORGANIZATION_FIELDS)
    if values['region'] is not None:
        code = region_code(values['region'])
        if code is None:
            raise Invalid(fields={'region': _l('Not a region of Georgia.')})
        values['region'] = code
    return values


def _check_unique(values, organization=None):
    other = db.session.scalar(
        select(Organization).where(
            Organization.kind == values['kind'], Organization.name_ka == values['name_ka']
        )
    )
    if other is not None and other is not organization:
        raise Conflict(
            _l('An organisation of this kind with this name already exists.'),
            fields={'name_ka': _l('Already exists.')},
        )


def create_organization(data, *, actor):
    """Create an organisation; Conflict when one of the same kind has the same Georgian name."""
    values = _values(data)
    _check_unique(values)
    organization = Organization(**values)
    db.session.add(organization)
    db.session.flush()
    audit.record(
        actor, 'organization.created', organization, after=audit.snapshot(organization, AUDITED)
    )
    return organization


def update_organization(organization, data, *, actor):
    values = _values(data)
    _check_unique(values, organization)
    return audit.update(
        organization, values, actor=actor, action='organization.updated', fields=AUDITED
    )


CONTACT_FIELDS = {'email': Field('email', max_length=254)}


def add_contact(organization, data, *, actor):
    """Make the person with the e-mail address in `data` a contact person of the
    organisation: they see its staff, their progress and certificates. Invalid when no
    account has that address; Conflict when they already are one. Audited; flushes."""
    email = clean(data, CONTACT_FIELDS)['email'].lower()
    person = db.session.scalar(select(User).where(User.email == email))
    if person is None:
        raise Invalid(fields={'email': _l('No account has this e-mail address.')})
    if person in organization.contacts:
        raise Conflict(
            _l('This person is already a contact person of the organisation.'),
            fields={'email': _l('Already a contact person.')},
        )
    organization.contacts.append(person)
    db.session.flush()
    audit.record(actor, 'organization.contact_added', organization, after={'user_id': person.id})
    return person


def remove_contact(organization, person, *, actor):
    """The person is no longer a contact person of the organisation (nothing happens when
    they were not). Audited; flushes."""
    if person in organization.contacts:
        organization.contacts.remove(person)
        db.session.flush()
        audit.record(
            actor, 'organization.contact_removed', organization, before={'user_id': person.id}
        )


def load_municipalities():
    """Add any of the 64 municipalities that are missing; returns how many were added.

    Idempotent: a municipality is matched by its Georgian name, and names an academy has
    edited in English are kept.
    """
    existing = set(
        db.session.scalars(select(Organization.name_ka).where(Organization.kind == 'municipality'))
    )
    added = 0
    with MUNICIPALITIES_CSV.open(encoding='utf-8') as fh:
        for row in csv.DictReader(fh):
            if row['name_ka'] in existing:
                continue
            db.session.add(
                Organization(
                    name_ka=row['name_ka'],
                    name_en=row['name_en'],
                    kind='municipality',
                    region=region_code(row['region_en']),
                )
            )
            added += 1
    db.session.flush()
    return added


def search_organizations(query=None, kind=None, region=None, *, order='name'):
    """A select() of organisations whose name contains `query`, of `kind` and in `region`
    when given, by Georgian name (or by id, `order='id'`, the order they were added in)."""
    keys = (Organization.id,) if order == 'id' else (Organization.name_ka, Organization.id)
    stmt = select(Organization).order_by(*keys)
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    if region:
        stmt = stmt.where(Organization.region == region)
    if query:
        stmt = stmt.where(search.organizations(query))
    return stmt


#: How many organisations the picker shows for what was typed; typing more narrows them.
FOUND_AT_MOST = 20


def find_organizations(query, limit=FOUND_AT_MOST):
    """The organisations whose name contains `query` (lms.search), by Georgian name, at most
    `limit`; none for an empty query (the picker asks for part of a name)."""
    if not search.search_text(query):
        return []
    return db.session.scalars(search_organizations(query).limit(limit)).all()


def organization_with_id(text):
    """The organisation whose id `text` spells (a form's value), or None."""
    text = (text or '').strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_INT:
        return None
    return db.session.get(Organization, int(text))


def municipalities():
    return db.session.scalars(
        select(Organization)
        .where(Organization.kind == 'municipality')
        .order_by(Organization.name_ka)
    ).all()
