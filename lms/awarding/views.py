"""Issuing certificates from the completion view; downloads for holders, trainers, admins."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from certificates import claims_of, credential_url
from lms.awarding import queries
from lms.awarding.jobs import start_issue, start_zip
from lms.awarding.responses import certificate_for, pdf_response
from lms.awarding.service import check_offering_over, issuable, issue_for_offering
from lms.awarding.sharing import linkedin_url_for
from lms.extensions import academy_today, db
from lms.forms import EmptyForm
from lms.i18n import current_language
from lms.models import Offering
from lms.permissions import can_manage_offering, require
from lms.transactions import attempt

bp = Blueprint('awarding', __name__, template_folder='templates')


@bp.before_request
@login_required
def _logged_in():
    """Every page here needs a login; each view then checks the certificate or offering."""


@bp.route('/offerings/<int:offering_id>/issue', methods=['GET', 'POST'])
def issue(offering_id):
    """Issue to one person (enrollment_id in the form), or to everyone eligible.

    Everyone at once is asked first: GET shows how many certificates will be created and
    for whom; the POST carries that number back and starts a job, which counts again and
    issues nothing when the number no longer holds (someone issued meanwhile, a score
    changed): its page then asks to check again. Counting a big offering takes a while,
    so the POST leaves it to the job and answers at once.
    """
    offering = db.get_or_404(Offering, offering_id)
    require(can_manage_offering(current_user, offering))
    back = redirect(url_for('trainer.completion', offering_id=offering.id))
    form = EmptyForm()
    chosen = request.form.get('enrollment_id', type=int)
    if request.method == 'POST' and chosen and form.validate_on_submit():
        _issue(offering, [chosen])
        return back
    not_over = attempt(lambda: check_offering_over(offering))[1]
    if not_over:
        flash(not_over.message, 'warning')
        return back
    expected = request.form.get('expected', type=int)
    if expected is not None and form.validate_on_submit():
        return _to_job(*start_issue(offering, actor=current_user, expected=expected))
    pending = issuable(offering)
    if not pending:
        flash(_('No certificate was issued: nobody eligible is still without one.'), 'info')
        return back
    return render_template(
        'awarding/issue_confirm.html', offering=offering, pending=pending, form=form
    )


def _to_job(job, started):
    """To the page of the job just started, or of the one already at work."""
    if not started:
        flash(_('This is already under way; here is its progress.'), 'info')
    return redirect(url_for('jobs.job', job_id=job.id))


def _issue(offering, enrollment_ids):
    """Issue and say how many; a refusal goes back to the page with its reason in words."""
    issued, _skipped = issue_for_offering(
        offering, actor=current_user, enrollment_ids=enrollment_ids
    )
    if issued:
        flash(
            ngettext('%(num)d certificate issued.', '%(num)d certificates issued.', len(issued)),
            'success',
        )
    else:
        flash(_('No certificate was issued: nobody eligible is still without one.'), 'info')


@bp.post('/offerings/<int:offering_id>/certificates.zip')
def offering_zip(offering_id):
    """Every valid certificate of the offering as one ZIP of the issued PDFs, written by a
    job; its page shows the progress and then the download."""
    offering = db.get_or_404(Offering, offering_id)
    require(can_manage_offering(current_user, offering))
    return _to_job(*start_zip(offering, actor=current_user))


@bp.get('/<serial>.pdf')
def pdf(serial):
    certificate = certificate_for(current_user, serial)
    return pdf_response(certificate)


@bp.get('/<serial>/credential.jwt')
def credential(serial):
    """The Open Badges 3.0 credential (VC-JWT) for the holder's wallet or backpack."""
    certificate = certificate_for(current_user, serial)
    return Response(
        certificate.credential_jws,
        mimetype='application/jwt',
        headers={
            'Content-Disposition': f'attachment; filename="{certificate.formatted_serial}.jwt"'
        },
    )


@bp.get('/mine')
def mine():
    certificates = queries.certificates_of(current_user)
    base = current_app.config['PUBLIC_BASE_URL']
    verify_urls = {c.id: credential_url(base, c.serial) for c in certificates}
    linkedin = {
        c.id: linkedin_url_for(
            c, claims_of(c), verify_url=verify_urls[c.id], language=current_language()
        )
        for c in certificates
        if c.status == 'valid'
    }
    return render_template(
        'awarding/mine.html',
        certificates=certificates,
        verify_urls=verify_urls,
        linkedin=linkedin,
        today=academy_today(),
    )
