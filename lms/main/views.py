"""The home page, each role's landing page, and the language switch."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from lms.completion.service import completions_of
from lms.completion.words import describe_all
from lms.extensions import academy_today, csrf, db
from lms.main import queries
from lms.people.service import set_locale
from lms.redirects import safe_next
from lms.trainer.queries import at_a_glance

bp = Blueprint('main', __name__, template_folder='templates')


@bp.get('/')
def index():
    return render_template('main/index.html', **queries.home_figures())


@bp.get('/home')
@login_required
def home():
    """Each role lands on its own page."""
    if current_user.is_admin:
        return render_template('main/home_admin.html', **queries.admin_overview())
    if current_user.is_trainer:
        offerings, today = queries.offerings_taught(current_user), academy_today()
        return render_template(
            'main/home_trainer.html',
            offerings=offerings,
            glance=at_a_glance([o for o in offerings if o.ends_on >= today]),
            today=today,
        )
    enrollments, today = queries.enrollments_of(current_user), academy_today()
    return render_template(
        'main/home_participant.html',
        enrollments=enrollments,
        progress=completions_of(enrollments),
        reasons=describe_all,
        open_offerings=queries.open_offerings(current_user, today),
        today=today,
    )


@bp.route('/language/<code>', methods=['GET', 'POST'])
@csrf.exempt
def set_language(code):
    """Remember the chosen language in the session and, for people logged in, their account.

    A plain link, not a form: choosing a language changes nothing anyone else could abuse,
    and a page without forms needs no CSRF token, so an anonymous visitor (someone
    verifying a certificate) gets no session cookie until they ask for one.
    """
    if code in ('ka', 'en'):
        session['locale'] = code
        if current_user.is_authenticated:
            set_locale(current_user, code)
            db.session.commit()
    target = request.values.get('next')
    return redirect(safe_next(target, url_for('main.index')))
