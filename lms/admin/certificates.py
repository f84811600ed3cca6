"""Certificates: the list, one certificate with its history, revoking and reissuing.

Revoke and reissue each have a page of their own: GET asks for confirmation (and for the
reason), POST acts. No JavaScript needed.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from certificates import Certificate, claims_of, credential_url
from lms.admin.common import cursors
from lms.admin.forms import RevokeForm
from lms.awarding import queries
from lms.awarding.service import reissue, reissue_claims, revoke
from lms.extensions import academy_today, db
from lms.forms import EmptyForm, render_form, saved
from lms.labels import label
from lms.models import Enrollment
from lms.pagination import keyset_page
from lms.search import search_text


def _status_choices():
    return [(status, label(status, 'certificate_status')) for status in queries.STATUS_FILTERS]


def index():
    q, status = search_text(request.args.get('q')), request.args.get('status', '')
    today = academy_today()
    return render_template(
        'admin/certificates.html',
        page=keyset_page(queries.search_certificates(q, status, today=today), **cursors()),
        q=q,
        status=status,
        statuses=_status_choices(),
        today=today,
    )


def _page_context(certificate):
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    return {
        'certificate': certificate,
        'claims': claims_of(certificate),
        'enrollment': enrollment,
        'today': academy_today(),
        'verify_url': credential_url(current_app.config['PUBLIC_BASE_URL'], certificate.serial),
    }


def detail(certificate_id):
    certificate = db.get_or_404(Certificate, certificate_id)
    return render_template(
        'admin/certificate.html',
        history=queries.certificate_history(certificate),
        chain=queries.certificates_of_enrollment(certificate),
        **_page_context(certificate),
    )


def _not_valid(certificate):
    flash(
        _('Only a valid certificate can be revoked or reissued; this one is %(status)s.',
          status=label(certificate.status, 'certificate_status')),
        'warning',
    )  # fmt: skip
    return redirect(url_for('.certificate', certificate_id=certificate.id))


def revoke_page(certificate_id):
    """GET: the reason and a last look; POST: revoke."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if certificate.status != 'valid':
        return _not_valid(certificate)
    form = RevokeForm()
    revoked = saved(
        form,
        lambda: revoke(
            certificate, form.reason.data, actor=current_user, category=form.category.data
        ),
    )
    if revoked:
        flash(
            _('Certificate %(serial)s is revoked.', serial=certificate.formatted_serial),
            'success',
        )
        return redirect(url_for('.certificate', certificate_id=certificate.id))
    return render_form('admin/certificate_revoke.html', form, **_page_context(certificate))


def reissue_page(certificate_id):
    """GET: what the new certificate would state, beside the old; POST: reissue."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if certificate.status != 'valid':
        return _not_valid(certificate)
    form = EmptyForm()
    new = saved(form, lambda: reissue(certificate, actor=current_user))
    if new:
        flash(
            _(
                'Certificate %(new)s replaces %(old)s.',
                new=new.formatted_serial,
                old=certificate.formatted_serial,
            ),
            'success',
        )
        return redirect(url_for('.certificate', certificate_id=new.id))
    changes = queries.reissue_preview(certificate, reissue_claims(certificate))
    return render_form(
        'admin/certificate_reissue.html', form, changes=changes, **_page_context(certificate)
    )
