"""Organisations: the list and the form."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import ContactForm, OrganizationForm
from lms.extensions import db
from lms.forms import EmptyForm, form_data, render_form, saved
from lms.i18n import current_language, localized
from lms.labels import choices
from lms.models import Organization, User
from lms.organizations.service import (
    add_contact,
    create_organization,
    remove_contact,
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
    return render_form(
        'admin/organization_form.html', form, organization=organization, contact_form=ContactForm()
    )


def contact_add(organization_id):
    """Add a contact person by e-mail; errors beside the field, on the organisation's page."""
    organization = db.get_or_404(Organization, organization_id)
    contact_form = ContactForm()
    person = saved(
        contact_form, lambda: add_contact(organization, form_data(contact_form), actor=current_user)
    )
    if person:
        flash(
            _(
                '%(person)s is now a contact person of %(name)s.',
                person=person.name(current_language()),
                name=localized(organization, 'name'),
            ),
            'success',
        )
        return redirect(url_for('.organization_edit', organization_id=organization.id))
    page = render_template(
        'admin/organization_form.html',
        form=OrganizationForm(obj=organization, formdata=None),
        organization=organization,
        contact_form=contact_form,
    )
    return page, 422


def contact_remove(organization_id, user_id):
    """GET asks for confirmation; POST removes the person's role on the organisation."""
    organization = db.get_or_404(Organization, organization_id)
    person = db.get_or_404(User, user_id)
    if person not in organization.contacts:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        remove_contact(organization, person, actor=current_user)
        flash(
            _('%(person)s is no longer a contact person.', person=person.name(current_language())),
            'success',
        )
        return redirect(url_for('.organization_edit', organization_id=organization.id))
    return render_template(
        'admin/organization_contact_remove.html',
        form=form,
        organization=organization,
        person=person,
    )
