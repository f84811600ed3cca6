"""The certificate authority's public addresses: keys (JWKS), the issuer profile, the
status list, and the verification pages (/verify, /verify/<serial>, /v/<serial>).

Public by nature: anyone checking a credential must be able to fetch the key it names, and
anyone handed a certificate must be able to check it.
"""

import hashlib
from functools import lru_cache

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
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from certificates.limits import verify_limit
from certificates.pdf import is_pdf
from certificates.serials import format_serial
from certificates.serials import read as read_serial
from certificates.service import (
    base_url,
    find_by_serial,
    issuer_profile,
    key_store,
    published_status_list,
    status_list_url,
)
from certificates.status_list import MEDIA_TYPE as STATUS_LIST_MEDIA_TYPE
from certificates.verification import (
    problem_sentence,
    revocation_category_label,
    typo_hints,
    verify,
    verify_issued_pdf,
)
from lms.extensions import academy_today

bp = Blueprint('certificates', __name__, template_folder='templates')
# A global, so the banner macro, imported without context, has the words too.
bp.add_app_template_global(revocation_category_label)


def _public(response, max_age=3600):
    response.headers['Cache-Control'] = f'public, max-age={max_age}'
    response.headers['Access-Control-Allow-Origin'] = '*'
    return response


@bp.get('/.well-known/jwks.json')
def jwks():
    """Every academy key, retired ones included (they still verify what they signed)."""
    return _public(jsonify(key_store().jwks(base_url())))


@bp.get('/.well-known/jwks/<kid>')
def jwk(kid):
    """The JWK a credential's `kid` header points at: its own `kid` is this very URL."""
    key = key_store().find(kid)
    if key is None:
        abort(404)
    return _public(jsonify(key.jwk(base_url())))


@bp.get('/issuer')
def issuer():
    """The Open Badges 3.0 issuer Profile."""
    return _public(jsonify(issuer_profile(base_url())))


@bp.get('/status/<int:number>')
def status_list(number):
    """Revocation list `number`: a BitstringStatusListCredential as a VC-JWT
    (application/vc+jwt). A credential names its list; a new list starts when one is full.

    Re-signed when a certificate is revoked; clients revalidate every time (no-cache) and
    get 304 while nothing changed, so a revocation is never hidden by a cache.
    """
    token = published_status_list(number)  # the last signed copy while the database is away
    if token is None:
        abort(404)
    response = Response(token, mimetype=STATUS_LIST_MEDIA_TYPE)
    response.set_etag(hashlib.sha256(token.encode('ascii')).hexdigest())
    response.headers['Cache-Control'] = 'public, no-cache'
    response.headers['Access-Control-Allow-Origin'] = '*'
    return response.make_conditional(request)


# -- public verification (DESIGN.md, Certificates and verification) ------------------------


def _verification_page(template, status=200, **context):
    context.setdefault('result', None)
    hints = typo_hints(context['result'].typo) if context['result'] else []
    response = current_app.make_response(
        (
            render_template(
                template, base=base_url(), status_list=status_list_url(), hints=hints, **context
            ),
            status,
        )
    )
    # Always asked afresh: a revocation must never hide behind a cached page.
    response.headers['Cache-Control'] = 'no-cache'
    return response


@bp.route('/verify', methods=['GET', 'POST'], endpoint='verify')
@verify_limit
def verify_page():
    """Type a serial (?serial=...) or upload a PDF (POST, field `file`)."""
    text = request.args.get('serial', '').strip()
    if request.method == 'GET' and text:
        serial = read_serial(text)
        if serial is not None:
            return redirect(url_for('.verify_serial', serial=format_serial(serial)))
        result = verify(text, today=academy_today())
        if result.archived:
            # A paper certificate's number (it may hold a slash, which no address can):
            # its whole answer on this page.
            return _verification_page(
                'certificates/verification.html', result=result, body=_render_result(result)
            )
        # Not even the shape of a serial: the help goes on this page.
        return _verification_page('certificates/verify.html', result=result)
    if request.method == 'POST':
        upload = request.files.get('file')
        data = upload.read() if upload else b''
        if not data:
            return _verification_page(
                'certificates/verify.html', 422, error=_('Choose the PDF file to check.')
            )
        if not is_pdf(data):
            return _verification_page(
                'certificates/verify.html', 422, error=_('This is not a PDF file.')
            )
        checked = verify_issued_pdf(data, today=academy_today())
        return _verification_page('certificates/verify.html', upload=checked)
    return _verification_page('certificates/verify.html')


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    """A body over MAX_CONTENT_LENGTH: in this blueprint only the upload on /verify takes
    one, so the answer is that page, its forms and what went wrong, rather than a bare
    error page."""
    limit = current_app.config['MAX_CONTENT_LENGTH'] / (1024 * 1024)
    return _verification_page(
        'certificates/verify.html',
        413,
        error=_(
            'The file is larger than %(size)s MB, so it is not a certificate the academy '
            'issued: their PDFs are much smaller. Check that you chose the right file.',
            size=format_decimal(limit),
        ),
    )


@bp.get('/verify/<serial>', endpoint='verify_serial')
@verify_limit
def verification(serial):
    """The answer for one serial: status banner, facts, evidence, machine-readable links."""
    result = verify(serial, today=academy_today())
    language = str(get_locale())
    if result.found and not result.archived and _anonymous_without_messages():
        page = _cached_page(result, language, request.full_path, base_url())
        response = current_app.make_response(page)
        response.headers['Cache-Control'] = 'no-cache'
        return response
    return _verification_page(
        'certificates/verification.html',
        200 if result.found else 404,
        result=result,
        body=_result_html(result, language),
    )


# Most verifications are strangers scanning a QR code: for them the whole page, layout
# included, is rendered once per answer, language and address and kept (a Verification is
# shared, and compared by identity, while its row and the day stay the same). The page
# holds no form that needs a CSRF token (the language switch is a link), so a stranger
# gets no session either. Signed-in visitors and pending flash messages get a fresh render.


def _anonymous_without_messages():
    return not current_user.is_authenticated and '_flashes' not in session


@lru_cache(maxsize=512)
def _cached_page(result, language, path, base):
    return render_template(
        'certificates/verification.html',
        result=result,
        body=_result_html(result, language),
        hints=(),
        base=base,
        status_list=status_list_url(),
    )


def _result_html(result, language):
    """The page's content for `result`: cached per answer and language when a certificate
    was found."""
    if result.found and not result.archived:
        return _cached_result_html(result, language, base_url())
    return _render_result(result)


@lru_cache(maxsize=512)
def _cached_result_html(result, language, base):
    return _render_result(result)


def _render_result(result):
    # Jinja escaped every value while rendering; Markup only keeps it from escaping twice.
    return Markup(  # noqa: S704
        render_template(
            'certificates/_result.html',
            result=result,
            hints=typo_hints(result.typo),
            problem_sentence=problem_sentence,
            base=base_url(),
            status_list=status_list_url(),
        )
    )


@bp.get('/v/<serial>')
def short_link(serial):
    """The QR code's short address: on to the verification page, serial as given."""
    return redirect(url_for('.verify_serial', serial=serial))


@bp.get('/verify/<serial>/credential.jwt', endpoint='credential')
@verify_limit
def credential(serial):
    """The signed credential (VC-JWT) anyone can check offline against the JWKS."""
    certificate = find_by_serial(serial)
    if certificate is None:
        abort(404)
    response = Response(certificate.credential_jws, mimetype='application/jwt')
    response.headers['Access-Control-Allow-Origin'] = '*'
    response.headers['Cache-Control'] = 'public, max-age=86400'  # a credential never changes
    return response
