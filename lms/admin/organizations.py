"""Organisations: the list and the form."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import OrganizationForm
from lms.extensions import db
from lms.forms import form_data, render_form, saved
from lms.i18n import localized
from lms.labels import choices
from lms.models import Organization
from lms.organizations.service import (
    create_organization,
    search_organizations,
    update_organization,
)
from lms.pagination import paginate
from lms.search import search_text


def index():
    q, kind = search_text(request.args.get('q')), request.args.get('kind', '')
    return render_template(
        'admin/organizations.html',
        page=paginate(search_organizations(q, kind), request.args.get('page')),
        q=q,
        kind=kind,
        kinds=choices('organization_kind'),
    )


def new():
    form = OrganizationForm()
    organization = saved(form, lambda: create_organization(form_data(form), actor=current_user))
    if organization:
        flash(_('%(name)s is added.', name=localized(organization, 'name')), 'success')
        return redirect(url_for('.organizations'))
    return render_form('admin/organization_form.html', form, organization=None)


def edit(organization_id):
    organization = db.get_or_404(Organization, organization_id)
    form = OrganizationForm(obj=organization)
    if saved(form, lambda: update_organization(organization, form_data(form), actor=current_user)):
        flash(_('%(name)s is saved.', name=localized(organization, 'name')), 'success')
        return redirect(url_for('.organizations'))
    return render_form('admin/organization_form.html', form, organization=organization)
