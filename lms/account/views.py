"""A person's own account: their details, their password, the confirmation of their
address, their API tokens (to create, see and revoke), everything the academy holds about
them, and their request to have it erased."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.account import applications
from lms.account.forms import ChangePasswordForm, ErasureForm, ProfileForm, TokenForm
from lms.auth.login import log_in
from lms.extensions import db, limiter
from lms.forms import EmptyForm, form_data, render_form, saved
from lms.models import ApiToken
from lms.people.privacy import personal_data, request_erasure
from lms.people.service import (
    change_password,
    issue_token,
    revoke_token,
    send_address_confirmation,
    tokens_of,
    update_profile,
)
from lms.permissions import can_manage_token
from lms.redirects import safe_next

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


def _login_limit():
    return current_app.config['LOGIN_RATE_LIMIT']


def _mail_link_limit():
    return current_app.config['MAIL_LINK_RATE_LIMIT']


def _person():
    return f'account:{current_user.get_id()}'


@bp.route('/password', methods=['GET', 'POST'])
@limiter.limit(_login_limit, methods=['POST'], key_func=_person)
def password():
    """Change one's own password, knowing the current one."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    changed = saved(
        form,
        lambda: change_password(user, form.current_password.data, form.password.data, actor=user),
    )
    if changed:
        log_in(user)  # this session goes on; every other one of the person has ended
        flash(_('Your password is changed.'), 'success')
        return redirect(url_for('main.home'))
    return render_form('account/password.html', form)


@bp.post('/confirm-address/send')
@limiter.limit(_mail_link_limit, key_func=_person)
def send_confirmation():
    """The banner's button: the confirmation link once more, to the account's address."""
    back = safe_next(request.form.get('next'), url_for('main.home'))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if current_user.email_confirmed_at is not None:
        flash(_('Your e-mail address is already confirmed.'), 'info')
    else:
        send_address_confirmation(current_user._get_current_object())
        flash(_('We sent the link again to %(email)s.', email=current_user.email), 'success')
    return redirect(back)


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


@bp.route('/profile', methods=['GET', 'POST'])
def profile():
    """A person corrects their own details."""
    person = current_user._get_current_object()
    form = ProfileForm(obj=person)
    if saved(form, lambda: update_profile(person, form_data(form))):
        flash(_('Your details are saved.'), 'success')
        return redirect(url_for('.profile'))
    return render_form('account/profile.html', form)


def _private(response):
    response.headers['Cache-Control'] = 'no-store'
    return response


@bp.get('/data')
def data():
    """Everything the academy holds about the person, readable and printable."""
    held = personal_data(current_user._get_current_object())
    return _private(make_response(render_template('account/data.html', data=held)))


@bp.get('/data.json')
def data_json():
    """The same, as a JSON file to keep or take elsewhere."""
    response = jsonify(personal_data(current_user._get_current_object()))
    response.headers['Content-Disposition'] = 'attachment; filename="my-academy-data.json"'
    return _private(response)


@bp.route('/erasure', methods=['GET', 'POST'])
@limiter.limit(_login_limit, methods=['POST'], key_func=_person)
def erasure():
    """Ask for erasure (with the password); the academy carries it out."""
    form = ErasureForm()
    person = current_user._get_current_object()
    if saved(form, lambda: request_erasure(person, form.password.data)) is not None:
        flash(
            _(
                'Your request is recorded. Once the academy has erased your data, '
                'this account closes.'
            ),
            'success',
        )
        return redirect(url_for('.data'))
    return render_form('account/erasure.html', form, person=person)
