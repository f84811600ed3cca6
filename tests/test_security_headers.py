"""Every answer carries the security headers; no page runs inline script (the policy
would block it, so a page that had some would quietly lose its JavaScript)."""

import re
from pathlib import Path

import pytest

from config import ProductionConfig
from lms import create_app
from lms.security import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    'path',
    [
        '/',
        '/catalogue/',
        '/verify',
        '/login',
        '/api/v1/verify/K7QM-3XWD-9P2F',
        '/.well-known/jwks.json',
        '/static/js/app.js',
        '/no-such-page',
    ],
)
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed
    headers = response.headers
    policy = headers['Content-Security-Policy']
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert 'unsafe-inline' not in policy.split('script-src')[1].split(';')[0]
    assert headers['X-Content-Type-Options'] == 'nosniff'
    assert headers['X-Frame-Options'] == 'DENY'
    assert headers['Referrer-Policy']
    assert 'Strict-Transport-Security' not in headers  # development: no HTTPS promised


def test_production_promises_https(tmp_path, monkeypatch):
    monkeypatch.setenv('SECRET_KEY', 'kQ7v2Xw9pL4mZ8rT1yB6nC3hF0sD5gJa')
    monkeypatch.setenv('PUBLIC_BASE_URL', 'https://academy.example.ge')
    monkeypatch.setenv('MAIL_URL', 'none')
    monkeypatch.setenv('DATABASE_URL', f'sqlite:///{tmp_path / "a.sqlite"}')
    app = create_app(ProductionConfig, instance_path=str(tmp_path / 'instance'))
    answer = app.test_client().get('/login')
    assert answer.headers['Strict-Transport-Security'].startswith('max-age=63072000')


def test_no_template_holds_inline_script_or_event_handlers():
    inline = re.compile(r'<script(?![^>]*\bsrc=)[^>]*>', re.I)
    handlers = re.compile(r'\son[a-z]+\s*=\s*["\']', re.I)
    for template in [
        *ROOT.glob('lms/**/templates/**/*.html'),
        *ROOT.glob('certificates/**/templates/**/*.html'),
    ]:
        if '/mail/' in template.as_posix():
            continue  # e-mail is not served by the site
        text = template.read_text('utf-8')
        assert not inline.search(text), f'{template.relative_to(ROOT)}: inline <script>'
        assert not handlers.search(text), f'{template.relative_to(ROOT)}: on…= handler'


def test_the_policy_names_only_the_academy():
    sources = re.findall(r'https?://\S+', CONTENT_SECURITY_POLICY)
    assert sources == []
