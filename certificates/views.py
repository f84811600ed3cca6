"""The certificate authority's public addresses: keys (JWKS) and the issuer profile.

Public by nature: anyone checking a credential must be able to fetch the key it names.
"""

from flask import Blueprint, abort, jsonify

from certificates.service import base_url, issuer_profile, key_store

bp = Blueprint('certificates', __name__, template_folder='templates')


def _public(response, max_age=3600):
    response.headers['Cache-Control'] = f'public, max-age={max_age}'
    response.headers['Access-Control-Allow-Origin'] = '*'
    return response


@bp.get('/.well-known/jwks.json')
def jwks():
    """Every academy key, retired ones included (they still verify what they signed)."""
    return _public(jsonify(key_store().jwks()))


@bp.get('/.well-known/jwks/<kid>')
def jwk(kid):
    """The JWK a credential's `kid` header points at."""
    key = key_store().find(kid)
    if key is None:
        abort(404)
    return _public(jsonify(key.public_jwk))


@bp.get('/issuer')
def issuer():
    """The Open Badges 3.0 issuer Profile."""
    return _public(jsonify(issuer_profile(base_url())))
