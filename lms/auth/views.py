"""Logging in and out, and participants registering themselves."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.auth.forms import LoginForm, RegistrationForm
from lms.extensions import db, limiter
from lms.forms import EmptyForm, form_data, saved
from lms.organizations.service import search_organizations
from lms.people.service import authenticate, register_participant, set_locale
from lms.redirects import safe_next

bp = Blueprint('auth', __name__, template_folder='templates')


def _login_limit():
    return current_app.config['LOGIN_RATE_LIMIT']


@bp.route('/login', methods=['GET', 'POST'])
@limiter.limit(_login_limit, methods=['POST'])
def login():
    if current_user.is_authenticated:
        return redirect(url_for('main.home'))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors = [_('Wrong e-mail or password.')]
        else:
            login_user(user)
            if session.get('locale'):  # chosen before logging in: kept on the account
                set_locale(user, session['locale'])
            return redirect(safe_next(request.args.get('next'), url_for('main.home')))
    return render_template('auth/login.html', form=form), 200 if not form.errors else 422


@bp.post('/logout')
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_('You are logged out.'), 'info')
    return redirect(url_for('main.index'))


@bp.route('/register', methods=['GET', 'POST'])
@limiter.limit(_login_limit, methods=['POST'])
def register():
    if current_user.is_authenticated:
        return redirect(url_for('main.home'))
    organizations = db.session.scalars(search_organizations()).all()
    form = RegistrationForm(organizations=organizations)
    user = saved(
        form, lambda: register_participant(form_data(form, exclude=('csrf_token', 'confirm')))
    )
    if user:
        login_user(user)
        flash(_('Welcome! Your account is ready.'), 'success')
        return redirect(url_for('main.home'))
    return render_template('auth/register.html', form=form), 200 if not form.errors else 422
