"""Nobody gets past the door without logging in, except on the pages listed here as public.

The sweep walks ``app.url_map``, so every endpoint a blueprint adds later is checked
without anyone remembering to: a new page is private until someone adds it to
PUBLIC_ENDPOINTS below, on purpose and in review.
"""

from urllib.parse import urlsplit

import pytest
from flask import url_for
from werkzeug.routing import AnyConverter, IntegerConverter

from lms.api.auth import PUBLIC_ENDPOINTS as API_PUBLIC_ENDPOINTS

#: Endpoints anyone may call. Static files (`static`, `<blueprint>.static`) are public too.
PUBLIC_ENDPOINTS = {
    'main.index',
    'main.set_language',
    'auth.login',
    'auth.register',
    # Links sent by e-mail, opened before logging in: the signed token is the key.
    'auth.reset_password',
    'auth.reset_password_token',
    'auth.accept_invitation',
    'auth.confirm_address',
    'auth.finish_registration',
    'catalogue.index',  # the public browses the catalogue (DESIGN.md, who uses it)
    'catalogue.offering',
    'catalogue.apply',  # a newcomer applies and registers on the way (as auth.register)
    # Their organisation picker finds organisations by name (public bodies; no personal data).
    'main.find_organizations',
    'api.openapi',
    'certificates.jwks',  # anyone checking a credential fetches the academy's keys
    'certificates.jwk',
    'certificates.issuer',  # the Open Badges issuer profile
    'certificates.status_list',  # the revocation list every credential points at
    # Public verification (DESIGN.md): anyone handed a certificate checks it.
    'certificates.verify',
    'certificates.verify_serial',
    'certificates.short_link',
    'certificates.credential',  # the signed credential, for checks offline
    'api.verify',
    'api.verify_pdf',
    # The academy in numbers (DESIGN.md): for the public, with no personal data.
    'main.stats',
    'main.stats_chart',
    'main.stats_csv',
    'main.stats_xlsx',
    'api.stats',
    # Each organisation's page (DESIGN.md): counts, events, consultations; its people's
    # names only for the academy and its contact people (lms.permissions).
    'organizations.index',
    'organizations.detail',
    # A QR check-in scanned before logging in: the code is checked and remembered, then
    # the person is sent to log in; checking in itself needs the login.
    'checkin.scan',
}


def _is_public(endpoint):
    return endpoint in PUBLIC_ENDPOINTS or endpoint.rpartition('.')[2] == 'static'


def _sample(converter):
    """A value the converter accepts; no object has it, which must not matter."""
    if isinstance(converter, AnyConverter):
        return converter.items[0]
    return 1 if isinstance(converter, IntegerConverter) else 'x1'


def _calls(app, which):
    """(endpoint, method, url) for every method of every rule that `which(rule)` selects."""
    calls = []
    for rule in app.url_map.iter_rules():
        if not which(rule):
            continue
        values = {name: _sample(conv) for name, conv in getattr(rule, '_converters', {}).items()}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        calls += [
            (rule.endpoint, method, url) for method in sorted(rule.methods - {'HEAD', 'OPTIONS'})
        ]
    return calls


def _is_api(rule):
    return rule.rule.startswith('/api/')


def test_every_page_not_on_the_public_list_sends_anonymous_callers_to_the_login(app, client):
    calls = _calls(app, lambda rule: not _is_api(rule) and not _is_public(rule.endpoint))
    assert calls, 'the sweep found no pages'
    wrong = []
    for endpoint, method, url in calls:
        response = client.open(url, method=method)
        location = urlsplit(response.headers.get('Location', ''))
        if response.status_code != 302 or location.path != '/login':
            wrong.append(f'{method} {url} ({endpoint}): {response.status_code} {location.path}')
    assert not wrong, 'open to anyone:\n' + '\n'.join(wrong)


def test_every_api_endpoint_not_on_the_public_list_answers_401_without_a_token(app, client):
    calls = _calls(app, lambda rule: _is_api(rule) and not _is_public(rule.endpoint))
    assert calls, 'the sweep found no API endpoints'
    wrong = []
    for endpoint, method, url in calls:
        response = client.open(url, method=method, json={})
        error = (response.get_json(silent=True) or {}).get('error', {})
        if response.status_code != 401 or error.get('code') != 'unauthorized':
            wrong.append(f'{method} {url} ({endpoint}): {response.status_code}')
        elif response.headers.get('WWW-Authenticate') != 'Bearer' or error.get('fields') != {}:
            wrong.append(f'{method} {url} ({endpoint}): 401 without the error envelope')
    assert not wrong, 'API endpoints open without a token:\n' + '\n'.join(wrong)


def test_a_browser_session_never_authenticates_the_api(app, client, login, create_user):
    login(create_user(role='admin'))
    assert client.get('/home').status_code == 200  # the cookie does log in the pages
    calls = _calls(app, lambda rule: _is_api(rule) and not _is_public(rule.endpoint))
    wrong = [
        f'{method} {url} ({endpoint}): {status}'
        for endpoint, method, url in calls
        if (status := client.open(url, method=method, json={}).status_code) != 401
    ]
    assert not wrong, 'the session cookie opened:\n' + '\n'.join(wrong)


def test_a_bad_or_malformed_authorization_header_gets_401(client):
    for header in ('Bearer nonsense', 'Bearer ', 'Basic dXNlcjpwYXNz', 'lms_token-without-scheme'):
        response = client.get('/api/v1/me', headers={'Authorization': header})
        assert response.status_code == 401, header
        assert response.json['error']['code'] == 'unauthorized'


def test_the_api_marks_public_only_endpoints_on_the_public_list(app):
    """An API view made public with @public must be reviewed here as well."""
    assert API_PUBLIC_ENDPOINTS <= PUBLIC_ENDPOINTS


def test_the_public_list_names_only_endpoints_that_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not PUBLIC_ENDPOINTS - endpoints, 'listed as public but gone'


@pytest.mark.parametrize('endpoint', sorted(PUBLIC_ENDPOINTS))
def test_public_pages_open_without_a_login(app, client, endpoint):
    calls = _calls(app, lambda rule: rule.endpoint == endpoint)
    for _, method, url in calls:
        response = client.open(url, method=method)
        assert response.status_code not in (401, 403), f'{method} {url}'
        assert urlsplit(response.headers.get('Location', '')).path != '/login', f'{method} {url}'
