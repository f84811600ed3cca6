"""Signatories of certificates: for the academy, or for one course."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import SignatoryForm
from lms.awarding.signatories import all_signatories, delete_signatory, save_signatory
from lms.catalogue.service import search_courses
from lms.extensions import db
from lms.forms import EmptyForm, form_data, render_form, saved
from lms.models import Signatory


def _courses():
    return db.session.scalars(search_courses()).all()


def index():
    return render_template(
        'admin/signatories.html', signatories=all_signatories(), form=EmptyForm()
    )


def _save(signatory):
    form = SignatoryForm(obj=signatory, courses=_courses())
    upload = request.files.get('signature')

    def write():
        return save_signatory(
            signatory,
            form_data(form, exclude=('csrf_token', 'signature', 'remove_signature')),
            actor=current_user,
            signature=upload.read() if upload and upload.filename else None,
            remove_signature=form.remove_signature.data,
        )

    if saved(form, write):
        flash(_('The signatory is saved.'), 'success')
        return redirect(url_for('.signatories'))
    return render_form('admin/signatory_form.html', form, signatory=signatory)


def new():
    return _save(None)


def edit(signatory_id):
    return _save(db.get_or_404(Signatory, signatory_id))


def delete(signatory_id):
    signatory = db.get_or_404(Signatory, signatory_id)
    if saved(EmptyForm(), lambda: delete_signatory(signatory, actor=current_user)):
        flash(
            _('The signatory is removed. Certificates already issued keep their signatures.'),
            'success',
        )
    return redirect(url_for('.signatories'))
