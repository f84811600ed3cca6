"""People: the list, a person's page with their enrollments, the account form, and the
erasure of a person's data (asked for by them, or by letter)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.common import cursors
from lms.admin.forms import NewPersonForm, PersonForm
from lms.enrollments.queries import enrollments_of
from lms.extensions import db
from lms.forms import EmptyForm, form_data, organization_search, render_form, saved
from lms.i18n import localized
from lms.labels import choices
from lms.models import User
from lms.pagination import keyset_page
from lms.people.privacy import (
    check_erasable,
    erase_person,
    erasure_requests,
    what_erasure_removes,
)
from lms.people.service import create_user, search_users, update_user, users_look_ahead
from lms.search import search_text


def index():
    q, role = search_text(request.args.get('q')), request.args.get('role', '')
    return render_template(
        'admin/people.html',
        page=keyset_page(search_users(q, role), **cursors(), look_ahead=users_look_ahead(q, role)),
        q=q,
        role=role,
        roles=choices('role'),
    )


def detail(user_id):
    person = db.get_or_404(User, user_id)
    return render_template('admin/person.html', person=person, enrollments=enrollments_of(person))


def new():
    form = NewPersonForm()
    finding = organization_search()
    if finding is not None:  # "Find" in the organisation picker, without JavaScript
        return render_form('admin/person_form.html', form, person=None, finding=finding)
    person = saved(form, lambda: create_user(form_data(form), actor=current_user))
    if person:
        flash(_('%(name)s is added.', name=localized(person, 'full_name')), 'success')
        return redirect(url_for('.person', user_id=person.id))
    return render_form('admin/person_form.html', form, person=None, finding=None)


def edit(user_id):
    person = db.get_or_404(User, user_id)
    form = PersonForm(obj=person)
    finding = organization_search()
    if finding is not None:
        return render_form('admin/person_form.html', form, person=person, finding=finding)
    if saved(form, lambda: update_user(person, form_data(form), actor=current_user)):
        flash(_('%(name)s is saved.', name=localized(person, 'full_name')), 'success')
        return redirect(url_for('.person', user_id=person.id))
    return render_form('admin/person_form.html', form, person=person, finding=None)


def erasures():
    """Who asked for their data to be erased, and is waiting."""
    return render_template('admin/erasures.html', people=erasure_requests())


def erase(user_id):
    """GET shows what goes and what stays; POST erases."""
    person = db.get_or_404(User, user_id)
    check_erasable(person, current_user)  # refused at once, before the confirmation
    form = EmptyForm()
    if saved(form, lambda: erase_person(person, actor=current_user)) is not None:
        flash(_('The personal data of person no. %(id)s is erased.', id=person.id), 'success')
        return redirect(url_for('.erasures'))
    return render_form(
        'admin/person_erase.html', form, person=person, counts=what_erasure_removes(person)
    )
