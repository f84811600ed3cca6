"""The home page, each role's landing page, and the language switch."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from lms.caching import shared_page
from lms.catalogue.queries import offerings_taught, open_offerings, past_offerings_taught
from lms.completion.queries import at_a_glance
from lms.completion.service import completions_of
from lms.completion.words import describe_all
from lms.enrollments.queries import enrollments_of
from lms.errors import Invalid
from lms.extensions import academy_today
from lms.i18n import current_language, localized
from lms.labels import label
from lms.organizations import service as organizations
from lms.organizations.queries import organizations_in_contact
from lms.pagination import keyset_page
from lms.people.service import set_locale
from lms.redirects import safe_next
from lms.spreadsheets import CSV, XLSX, attachment
from lms.statistics.charts import bar_chart
from lms.statistics.exports import csv_bytes, headline, section, sections, xlsx_bytes
from lms.statistics.queries import (
    admin_overview,
    current_figures,
    default_range,
    home_figures,
    years_asked,
)

bp = Blueprint('main', __name__, template_folder='templates')

#: How many past offerings the trainer's home shows at a time.
PAST_PER_PAGE = 10


@bp.get('/')
def index():
    return shared_page(
        ('main.index', current_language(), request.full_path),
        lambda: render_template('main/index.html', **home_figures()),
        personal=current_user.is_authenticated or '_flashes' in session,
    )


@bp.get('/organizations/find')
def find_organizations():
    """The organisation picker's search as you type (static/js/picker.js): organisations
    whose name contains ?q=, in the reader's language. Public, as the organisations are:
    the registration form uses it before anyone has an account."""
    found = organizations.find_organizations(request.args.get('q'))
    return jsonify(
        {
            'items': [
                {
                    'id': o.id,
                    'name': localized(o, 'name'),
                    'kind': label(o.kind, 'organization_kind'),
                }
                for o in found
            ]
        }
    )


@bp.get('/stats')
def stats():
    """The academy in numbers: headline figures, charts with their tables, municipalities."""
    errors = {}
    try:
        first, last = years_asked(request.args)
    except Invalid as error:
        errors = error.fields
        first, last = default_range()
    f = current_figures(first, last)
    return render_template(
        'main/stats.html',
        f=f,
        headline=headline(f),
        sections=sections(f),
        errors=errors,
        asked={name: request.args.get(name, '') for name in ('from', 'to')},
    )


@bp.get('/stats/charts/<key>.svg')
def stats_chart(key):
    """One chart of /stats; the page names the language in the address (`lang`), so a
    cached chart never shows the other language's words."""
    first, last = years_asked(request.args)
    part = section(current_figures(first, last), key)
    if part is None:
        abort(404)
    svg = bar_chart(part.labels, part.values, horizontal=part.horizontal, lang=current_language())
    response = Response(svg, mimetype='image/svg+xml')
    response.headers['Content-Language'] = current_language()
    response.vary.add('Cookie')
    return response


@bp.get('/stats.csv')
def stats_csv():
    first, last = years_asked(request.args)
    body = csv_bytes(current_figures(first, last), current_language())
    return attachment(body, CSV, f'academy-in-numbers-{first}-{last}.csv')


@bp.get('/stats.xlsx')
def stats_xlsx():
    first, last = years_asked(request.args)
    body = xlsx_bytes(current_figures(first, last), current_language())
    return attachment(body, XLSX, f'academy-in-numbers-{first}-{last}.xlsx')


@bp.get('/home')
@login_required
def home():
    """Each role lands on its own page."""
    if current_user.is_admin:
        return render_template('main/home_admin.html', **admin_overview())
    if current_user.is_trainer:
        today = academy_today()
        current = offerings_taught(current_user, today)
        past = keyset_page(
            past_offerings_taught(current_user, today),
            request.args.get('after'),
            request.args.get('before'),
            per_page=PAST_PER_PAGE,
        )
        return render_template(
            'main/home_trainer.html',
            current=current,
            past=past,
            glance=at_a_glance(current),
            today=today,
            contact_of=organizations_in_contact(current_user),
        )
    enrollments, today = enrollments_of(current_user), academy_today()
    return render_template(
        'main/home_participant.html',
        enrollments=enrollments,
        progress=completions_of(enrollments),
        reasons=describe_all,
        open_offerings=open_offerings(current_user, today),
        today=today,
        contact_of=organizations_in_contact(current_user),
    )


@bp.route('/language/<code>', methods=['GET', 'POST'])
def set_language(code):
    """Remember the chosen language in the session; a POST also on the person's account.

    For visitors a plain link (GET): it writes nothing but their own session cookie, and a
    page without forms needs no CSRF token, so someone verifying a certificate gets no
    session until they ask for one. People logged in switch with a small form (POST, with
    CSRF), which also keeps the choice on their account for their next visit and their
    e-mails. A GET never writes to the database.
    """
    if code in current_app.config['LANGUAGES']:
        session['locale'] = code
        if request.method == 'POST' and current_user.is_authenticated:
            set_locale(current_user, code)
    target = request.values.get('next')
    return redirect(safe_next(target, url_for('main.index')))
