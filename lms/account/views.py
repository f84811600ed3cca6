"""A person's own account: their API tokens, to create, see and revoke."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.account import applications
from lms.account.forms import TokenForm
from lms.extensions import db
from lms.forms import EmptyForm
from lms.models import ApiToken
from lms.people.service import issue_token, revoke_token, tokens_of
from lms.permissions import can_manage_token

bp = Blueprint('account', __name__, template_folder='templates')


@bp.before_request
@login_required
def _logged_in():
    """Every page here is about the person logged in."""


@bp.route('/tokens', methods=['GET', 'POST'])
def tokens():
    """The list and a form for a new token; a new token is shown on this answer only."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        created = (form.name.data, issue_token(user, name=form.name.data, actor=user))
        form = TokenForm(formdata=None)
    page = render_template(
        'account/tokens.html', form=form, tokens=tokens_of(current_user), created=created
    )
    response = make_response(page, 422 if form.errors else 200)
    response.headers['Cache-Control'] = 'no-store'  # the new token must not linger in a cache
    return response


@bp.route('/tokens/<int:token_id>/revoke', methods=['GET', 'POST'])
def token_revoke(token_id):
    """GET asks for confirmation (no JavaScript needed); POST revokes."""
    token = db.get_or_404(ApiToken, token_id)
    if not can_manage_token(current_user, token):
        abort(404)  # someone else's token: not even that it exists is told
    form = EmptyForm()
    if form.validate_on_submit():
        revoke_token(token, actor=current_user)
        flash(_('The token is revoked.'), 'success')
        return redirect(url_for('.tokens'))
    return render_template('account/token_revoke.html', form=form, token=token)


# A participant's applications (lms/account/applications.py).
bp.add_url_rule('/applications', 'applications', applications.index)
bp.add_url_rule(
    '/applications/<int:enrollment_id>/withdraw',
    'application_withdraw',
    applications.withdraw_page,
    methods=['GET', 'POST'],
)
bp.add_url_rule(
    '/applications/<int:enrollment_id>/confirm',
    'offer_confirm',
    applications.confirm_offer,
    methods=['POST'],
)
bp.add_url_rule(
    '/applications/<int:enrollment_id>/decline',
    'offer_decline',
    applications.decline_offer,
    methods=['POST'],
)
