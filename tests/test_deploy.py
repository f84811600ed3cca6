"""deploy/: the nginx site is one nginx accepts, and its proxy rules keep only public
verification answers, pass the client's address on, and go round a stopped web server.

Run with Debian's nginx (`make system-deps` installs nginx-light); skipped without it.
"""

import importlib.util
import os
import shutil
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization

from tests.certificates.samples import throwaway_key

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which('nginx') or '/usr/sbin/nginx'

pytestmark = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK), reason='nginx is not installed (make system-deps)'
)


def _local_nginx():
    spec = importlib.util.spec_from_file_location(
        'local_nginx', ROOT / 'deploy' / 'cluster' / 'local_nginx.py'
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _self_signed(folder):
    key, certificate = throwaway_key('academy.example.ge')
    (folder / 'fullchain.pem').write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / 'privkey.pem').write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def test_the_production_site_passes_nginx_t(tmp_path):
    """deploy/nginx/academy.conf as Debian's nginx.conf includes it, with its placeholder
    paths pointed into a temporary folder (a certificate made for the test)."""
    _self_signed(tmp_path)
    site = (ROOT / 'deploy' / 'nginx' / 'academy.conf').read_text(encoding='utf-8')
    replacements = {
        '/etc/ssl/academy/': f'{tmp_path}/',
        '/etc/nginx/snippets/academy-proxy.conf': str(ROOT / 'deploy/nginx/academy-proxy.conf'),
        '/var/cache/nginx/academy': str(tmp_path / 'cache'),
    }
    for placeholder, path in replacements.items():
        assert placeholder in site
        site = site.replace(placeholder, path)
    (tmp_path / 'academy.conf').write_text(site, encoding='utf-8')
    temp = ''.join(
        f'{kind}_temp_path {tmp_path}/{kind}; '
        for kind in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi')
    )
    (tmp_path / 'nginx.conf').write_text(
        f'pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n'
        'events { worker_connections 64; }\n'
        f'http {{ include /etc/nginx/mime.types; {temp}\n'
        f'  access_log off; include {tmp_path}/academy.conf; }}\n',
        encoding='utf-8',
    )
    result = subprocess.run(
        [NGINX, '-t', '-p', str(tmp_path), '-c', str(tmp_path / 'nginx.conf')],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert 'test is successful' in result.stderr


class _Upstream(BaseHTTPRequestHandler):
    """A web server that counts what reaches it and says, like the app, no-cache."""

    seen = None

    def _answer(self):
        self.seen.append((self.command, self.path, dict(self.headers)))
        body = f'{len(self.seen)} {self.path}'.encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Cache-Control', 'no-cache')
        if 'cookie' in self.path:
            self.send_header('Set-Cookie', 'session=new; HttpOnly')
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx(tmp_path):
    """nginx with the project's rules in front of a counting upstream and of a port where
    nothing listens (a stopped web server); yields (base URL, requests seen upstream)."""
    local = _local_nginx()
    seen = []
    handler = type('Handler', (_Upstream,), {'seen': seen})
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        stopped, port = s.getsockname()[1], None
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    process = local.start_nginx(NGINX, tmp_path, port, [stopped, server.server_address[1]])
    try:
        yield f'http://127.0.0.1:{port}', seen
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
        server.shutdown()
        server.server_close()


def _hits(seen, path):
    return sum(1 for _, p, _ in seen if p == path)


def test_public_verification_answers_are_kept_and_nothing_personal(nginx):
    base, seen = nginx
    for _ in range(3):
        for path in ('/api/v1/verify/K7QM3XWD9P2F', '/verify/K7QM3XWD9P2F', '/status/1'):
            assert requests.get(base + path, timeout=10).status_code == 200
        requests.get(base + '/verify/ABC', cookies={'session': 'x'}, timeout=10)
        requests.get(base + '/verify/ABC', headers={'Authorization': 'Bearer t'}, timeout=10)
        requests.post(base + '/verify/ABC', data=b'pdf', timeout=10)
        requests.get(base + '/status/cookie', timeout=10)
        requests.get(base + '/catalogue/', timeout=10)

    for path in ('/api/v1/verify/K7QM3XWD9P2F', '/verify/K7QM3XWD9P2F', '/status/1'):
        assert _hits(seen, path) == 1, path
    assert requests.get(base + '/verify/K7QM3XWD9P2F', timeout=10).headers['X-Cache-Status'] == (
        'HIT'
    )
    assert _hits(seen, '/verify/ABC') == 9  # session, token, POST: every time
    assert _hits(seen, '/status/cookie') == 3  # an answer that sets a cookie is not kept
    assert _hits(seen, '/catalogue/') == 3  # the pages are the app's business


def test_the_client_address_is_nginx_s_to_say_and_a_stopped_server_costs_nothing(nginx):
    base, seen = nginx
    answers = [
        requests.get(
            f'{base}/catalogue/?n={i}', headers={'X-Forwarded-For': '203.0.113.9'}, timeout=10
        ).status_code
        for i in range(6)
    ]
    static = requests.get(base + '/static/css/app.css', timeout=10)

    assert answers == [200] * 6  # the stopped server's share went to the other
    headers = seen[-1][2]
    assert headers['X-Forwarded-For'] == '127.0.0.1'  # the forged address is dropped
    assert headers['X-Forwarded-Proto'] == 'http'
    assert headers['X-Forwarded-Host'] == '127.0.0.1'
    assert static.status_code == 200
    assert static.content == (ROOT / 'lms/static/css/app.css').read_bytes()
    assert not any(p.startswith('/static/') for _, p, _ in seen)
