"""Logging in and out, participants registering themselves, and the links sent by e-mail:
finishing a registration, password reset, invitation, address confirmation."""

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from lms.auth.forms import LoginForm, RegistrationForm, ResetRequestForm, SetPasswordForm
from lms.auth.login import log_in
from lms.extensions import limiter
from lms.forms import EmptyForm, form_data, organization_search, render_form, saved
from lms.i18n import current_language
from lms.limits import address_key, limit_minutes
from lms.people.registration import finish_registration, request_registration
from lms.people.service import (
    authenticate,
    confirm_address,
    end_sessions,
    set_locale,
    set_password_with_link,
)
from lms.people.tasks import request_password_reset
from lms.people.tokens import TokenError, lifetime, read_token
from lms.redirects import safe_next

bp = Blueprint('auth', __name__, template_folder='templates')


def _login_limit():
    return current_app.config['LOGIN_RATE_LIMIT']


def _account_limit():
    return current_app.config['LOGIN_ACCOUNT_RATE_LIMIT']


def _account_asked():
    """The per-account key of the login form: the address typed, as accounts store it, so
    failed attempts from any number of clients add up. Unknown addresses are counted alike,
    so the pause tells nothing about which addresses have an account. Hashed: the shared
    storage (Redis) holds no e-mail addresses."""
    return _address_key('login-account')


def _address_key(scope):
    """The rate-limit key of the address typed in the form."""
    return f'{scope}:' + address_key(request.form.get('email'))


def _failed(response):
    """A login that was refused (wrong address or password) counts against the account."""
    return response.status_code == 422


def _account_paused():
    return _(
        'Too many failed attempts to log in with this e-mail address. To protect it, '
        'logging in with it is paused: please try again in %(minutes)d minutes, or reset '
        'the password.',
        minutes=limit_minutes(_account_limit()),
    )


@bp.route('/login', methods=['GET', 'POST'])
@limiter.limit(_login_limit, methods=['POST'])
@limiter.limit(
    _account_limit,
    methods=['POST'],
    key_func=_account_asked,
    deduct_when=_failed,
    error_message=_account_paused,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for('main.home'))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors = [_('Wrong e-mail or password.')]
        else:
            log_in(user)
            if session.get('locale'):  # chosen before logging in: kept on the account
                set_locale(user, session['locale'])
            return redirect(safe_next(request.args.get('next'), url_for('main.home')))
    return render_template('auth/login.html', form=form), 200 if not form.errors else 422


@bp.post('/logout')
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        end_sessions(current_user._get_current_object())  # on every device, this one too
        logout_user()
        flash(_('You are logged out.'), 'info')
    return redirect(url_for('main.index'))


@bp.route('/register', methods=['GET', 'POST'])
@limiter.limit(_login_limit, methods=['POST'])
def register():
    """Register: the answer is the same page whether or not the address has an account;
    the mail sent to it says the rest (lms/people/registration.py)."""
    if current_user.is_authenticated:
        return redirect(url_for('main.home'))
    form = RegistrationForm()
    finding = organization_search()
    if finding is not None:  # "Find" in the organisation picker, without JavaScript
        return render_template('auth/register.html', form=form, finding=finding)
    email = saved(
        form,
        lambda: request_registration(
            form_data(form, exclude=('csrf_token', 'confirm')), locale=current_language()
        ),
    )
    if email:
        return render_template(
            'auth/registration_sent.html', email=email, valid_for=lifetime('registration')
        )
    return render_template('auth/register.html', form=form, finding=None), (
        200 if not form.errors else 422
    )


@bp.route('/register/<token>', methods=['GET', 'POST'], endpoint='finish_registration')
def finish_registration_link(token):
    """The link mailed to a new address: a page that says what will happen, and its button
    makes the account (a POST, so that a mail scanner opening the link makes nothing)."""
    try:
        pending = read_token(token, 'registration')
    except TokenError as error:
        return _link_refused(error.reason, 'registration')
    form = EmptyForm()
    finished = saved(form, lambda: finish_registration(pending) or 'taken')
    if finished == 'taken':  # an account has the address meanwhile
        return _link_refused('used', 'registration')
    if finished:
        return _welcome(finished)
    page, status = render_form('auth/finish_registration.html', form, pending=pending)
    return _private(make_response(page, status))


def _welcome(finished):
    """The new person is in: off to their application, or their home page."""
    log_in(finished.user)
    session['locale'] = finished.user.locale
    if finished.enrollment is not None:
        flash(
            _('Your application has been sent. The academy will let you know its decision.'),
            'success',
        )
        return _private(redirect(url_for('account.applications')))
    flash(_('Welcome! Your account is ready.'), 'success')
    if finished.refused == 'answers':
        flash(
            _(
                'Your application could not be sent as it was: something it names has '
                'changed since. Please check the form and send it again.'
            ),
            'warning',
        )
        return _private(redirect(url_for('catalogue.apply', offering_id=finished.offering.id)))
    if finished.offering is not None:
        flash(_('This offering does not take applications now.'), 'warning')
        return _private(redirect(url_for('catalogue.offering', offering_id=finished.offering.id)))
    return _private(redirect(url_for('main.home')))


def _mail_link_limit():
    return current_app.config['MAIL_LINK_RATE_LIMIT']


def _address_asked():
    """The per-address key of the reset form: one address is not flooded with mail."""
    return _address_key('reset-password')


def _links_paused():
    return _(
        'Many links were asked for this e-mail address already. To keep its mailbox from '
        'being flooded, no more are sent for now: please try again in %(minutes)d minutes.',
        minutes=limit_minutes(_mail_link_limit()),
    )


@bp.route('/reset-password', methods=['GET', 'POST'])
@limiter.limit(_login_limit, methods=['POST'])
@limiter.limit(
    _mail_link_limit, methods=['POST'], key_func=_address_asked, error_message=_links_paused
)
def reset_password():
    """Ask for a reset link. The answer is the same page, at once, whether or not the
    address has an account: the e-mail is looked up and sent by a job (lms.people.tasks)."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        return render_template(
            'auth/reset_sent.html', email=form.email.data, valid_for=lifetime('password')
        )
    return render_form('auth/reset_password.html', form)


@bp.route('/reset-password/<token>', methods=['GET', 'POST'])
def reset_password_token(token):
    return _set_password(token, 'password')


@bp.route('/invitation/<token>', methods=['GET', 'POST'])
def accept_invitation(token):
    return _set_password(token, 'invitation')


def _set_password(token, purpose):
    """The page of a reset or invitation link: the new password, then the person is in."""
    try:
        user = read_token(token, purpose)
    except TokenError as error:
        return _link_refused(error.reason, purpose)
    form = SetPasswordForm()
    if saved(form, lambda: set_password_with_link(user, form.password.data, purpose=purpose)):
        log_in(user)
        flash(_('Your password is set, and you are logged in.'), 'success')
        return redirect(url_for('main.home'))
    page, status = render_form('auth/set_password.html', form, purpose=purpose, person=user)
    return _private(make_response(page, status))


def _private(response):
    """A page whose address holds a token: kept out of caches and of Referer headers."""
    response.headers['Cache-Control'] = 'no-store'
    response.headers['Referrer-Policy'] = 'no-referrer'
    return response


def _link_refused(reason, purpose):
    """404 for a link that was never ours, 410 for one that expired or was used."""
    page = render_template('auth/link_refused.html', reason=reason, purpose=purpose)
    return _private(make_response(page, 404 if reason == 'invalid' else 410))


@bp.get('/confirm-address/<token>', endpoint='confirm_address')
def confirm_address_link(token):
    """Opening the link sent to the address confirms it."""
    try:
        user = read_token(token, 'confirm_address')
    except TokenError as error:
        return _link_refused(error.reason, 'confirm_address')
    confirm_address(user)
    flash(_('Thank you: your e-mail address is confirmed.'), 'success')
    target = url_for('main.home') if current_user.is_authenticated else url_for('.login')
    return _private(redirect(target))
