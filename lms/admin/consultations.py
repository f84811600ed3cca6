"""Experts' consultations: the list, recording one, changing it, deleting it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.common import query_int
from lms.admin.forms import ConsultationForm
from lms.consultations.queries import search_consultations
from lms.consultations.service import (
    consultation_input,
    delete_consultation,
    record_consultation,
    update_consultation,
)
from lms.extensions import academy_today, db
from lms.forms import EmptyForm, form_data, render_form, saved
from lms.models import Consultation, Organization
from lms.organizations.service import search_organizations
from lms.pagination import paginate
from lms.search import search_text

#: Years a filter may ask for; others are ignored (a date needs a year it can hold).
YEARS = range(1900, 10000)


def index():
    organization_id, year = query_int('organization'), query_int('year')
    year = year if year in YEARS else None
    q = search_text(request.args.get('q'))
    return render_template(
        'admin/consultations.html',
        page=paginate(search_consultations(organization_id, year, q), request.args.get('page')),
        organization=db.session.get(Organization, organization_id) if organization_id else None,
        year=year,
        q=q,
    )


def _form_page(form, consultation):
    """The form, with the organisation it names and, for a name typed in the search box
    (`?q=`), the organisations that match: a link each, which fills in the number."""
    q = search_text(request.args.get('q'))
    chosen = form.organization_id.data
    organization = (
        db.session.get(Organization, chosen) if isinstance(chosen, int) and chosen > 0 else None
    )
    return render_form(
        'admin/consultation_form.html',
        form,
        consultation=consultation,
        organization=organization,
        q=q,
        matches=paginate(search_organizations(q), None, per_page=10) if q else None,
    )


def new():
    form = ConsultationForm(organization_id=query_int('organization_id'), held_on=academy_today())
    consultation = saved(form, lambda: record_consultation(form_data(form), actor=current_user))
    if consultation:
        flash(_('The consultation is recorded.'), 'success')
        return redirect(
            url_for(
                'organizations.detail',
                organization_id=consultation.organization_id,
                _anchor='consultations',
            )
        )
    return _form_page(form, None)


def edit(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    values = consultation_input(consultation)
    if query_int('organization_id'):  # another organisation chosen in the search box
        values['organization_id'] = query_int('organization_id')
    form = ConsultationForm(data=values)
    if saved(form, lambda: update_consultation(consultation, form_data(form), actor=current_user)):
        flash(_('The consultation is saved.'), 'success')
        return redirect(url_for('.consultations', organization=consultation.organization_id))
    return _form_page(form, consultation)


def delete(consultation_id):
    """GET asks for confirmation (no JavaScript needed); POST deletes."""
    consultation = db.get_or_404(Consultation, consultation_id)
    form = EmptyForm()
    if form.validate_on_submit():
        organization_id = consultation.organization_id
        delete_consultation(consultation, actor=current_user)
        flash(_('The consultation is deleted.'), 'success')
        return redirect(url_for('.consultations', organization=organization_id))
    return render_template('admin/consultation_delete.html', form=form, consultation=consultation)
