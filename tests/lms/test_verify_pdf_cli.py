"""`flask certificates verify-pdf FILE` offline, and `flask certificates rotate-key`.

API.md: exit 0 and `authentic` on the last line; exit 1 and a one-line reason otherwise;
no database and no network.
"""

import io
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import event, select

from certificates import (
    Certificate,
    KeyStore,
    SigningKey,
    build_credential,
    issue_certificate,
    key_store,
    render,
    sign_credential,
    sign_pdf,
)
from config import TestConfig
from lms import create_app
from lms.extensions import db as _db
from tests.certificates.samples import SERIAL, URL, sample_claims


@pytest.fixture
def issued(db, app, create_enrollment, tmp_path):
    """A certificate issued the real way, its PDF written to a file."""
    certificate = issue_certificate(sample_claims(), enrollment_id=create_enrollment().id)
    db.session.commit()
    path = tmp_path / 'certificate.pdf'
    path.write_bytes(certificate.pdf)
    return certificate, path


@pytest.fixture
def verify(runner):
    def _verify(path):
        result = runner.invoke(args=['certificates', 'verify-pdf', str(path)])
        return result.exit_code, result.output.splitlines()

    return _verify


def test_an_issued_pdf_is_authentic(verify, issued):
    certificate, path = issued
    code, lines = verify(path)
    assert code == 0, lines
    assert lines[-1] == 'authentic'
    assert f'serial: {certificate.formatted_serial}' in lines
    assert 'holder: ნინო გელაშვილი / Nino Gelashvili' in lines


def test_it_needs_no_database_and_no_network(app, issued, monkeypatch):
    """An app whose database cannot even be opened, and no socket may connect."""
    _, path = issued
    offline = create_app(
        TestConfig,
        CERTIFICATE_KEY_DIR=app.config['CERTIFICATE_KEY_DIR'],
        SQLALCHEMY_DATABASE_URI='sqlite:////nonexistent/folder/academy.sqlite',
    )

    def no_network(*args, **kwargs):
        raise AssertionError('verify-pdf opened a network connection')

    monkeypatch.setattr(socket.socket, 'connect', no_network)
    monkeypatch.setattr(socket, 'create_connection', no_network)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(_db.engine, 'before_cursor_execute', listener)
    try:
        result = offline.test_cli_runner().invoke(args=['certificates', 'verify-pdf', str(path)])
        same_app = app.test_cli_runner().invoke(args=['certificates', 'verify-pdf', str(path)])
    finally:
        event.remove(_db.engine, 'before_cursor_execute', listener)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == 'authentic'
    assert same_app.exit_code == 0
    assert statements == []


def _assert_refused(verify, path, words):
    code, lines = verify(path)
    assert code == 1, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith('not authentic: ') and words in lines[0], lines


@pytest.mark.parametrize('where', [0.1, 0.5, 0.9, -10])
def test_one_changed_byte_is_caught(verify, issued, tmp_path, where):
    certificate, _ = issued
    data = bytearray(certificate.pdf)
    at = int(len(data) * where) if where > 0 else len(data) + where
    data[at] = (data[at] + 1) % 256 if data[at] not in b'0123456789' else ord('x')
    changed = tmp_path / 'changed.pdf'
    changed.write_bytes(bytes(data))
    code, lines = verify(changed)
    assert code == 1 and len(lines) == 1 and lines[0].startswith('not authentic: '), lines


def test_an_update_appended_after_signing_is_caught(verify, issued, tmp_path):
    certificate, _ = issued
    appended = tmp_path / 'appended.pdf'
    appended.write_bytes(certificate.pdf + b'\n% a later change\n')
    _assert_refused(verify, appended, 'whole file')


def test_a_pdf_signed_with_another_key_is_not_authentic(verify, issued, tmp_path):
    stranger = KeyStore(tmp_path / 'stranger', academy_name='Participation Academy').current()
    claims = sample_claims()
    credential = build_credential(claims, SERIAL, base_url='https://academy.example.test')
    jws = sign_credential(credential, stranger, base_url='https://academy.example.test')
    pdf = sign_pdf(
        render(claims, SERIAL, URL),
        private_key=stranger.private_key,
        certificate=stranger.certificate,
        credential_jws=jws,
    )
    forged = tmp_path / 'forged.pdf'
    forged.write_bytes(pdf)
    _assert_refused(verify, forged, 'untrusted certificate')


def test_a_plain_pdf_is_not_authentic(verify, issued, tmp_path):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, 'Certificate of completion: Nino Gelashvili')
    page.save()
    plain = tmp_path / 'plain.pdf'
    plain.write_bytes(buffer.getvalue())
    _assert_refused(verify, plain, 'found 0')


def test_something_that_is_not_a_pdf_or_no_file_at_all_fails_in_one_line(verify, issued, tmp_path):
    text = tmp_path / 'notes.txt'
    text.write_text('hello')
    code, lines = verify(text)
    assert code == 1 and len(lines) == 1 and lines[0].startswith('not authentic: ')
    code, lines = verify(tmp_path / 'missing.pdf')
    assert code == 1 and len(lines) == 1 and lines[0].startswith('cannot read ')


def test_without_keys_nothing_is_authentic(app, runner, issued, tmp_path):
    _, path = issued
    app.config['CERTIFICATE_KEY_DIR'] = str(tmp_path / 'empty')
    result = runner.invoke(args=['certificates', 'verify-pdf', str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == ['not authentic: no academy keys to check against']


def test_rotating_the_key_keeps_earlier_certificates_verifiable(
    app, db, runner, verify, issued, create_enrollment
):
    certificate, path = issued
    old_kid = key_store().current().kid

    result = runner.invoke(args=['certificates', 'rotate-key'])

    assert result.exit_code == 0, result.output
    new_kid = result.output.splitlines()[-1]
    assert new_kid != old_kid and key_store().current().kid == new_kid
    rows = {row.kid: row for row in db.session.scalars(select(SigningKey))}
    assert set(rows) == {old_kid, new_kid}
    assert rows[old_kid].retired_at is not None and rows[new_kid].retired_at is None
    assert verify(path)[1][-1] == 'authentic'  # signed with the retired key
    newer = issue_certificate(sample_claims(), enrollment_id=create_enrollment().id)
    assert newer.key_id == new_kid
    db.session.commit()
    path.write_bytes(db.session.get(Certificate, newer.id).pdf)
    assert verify(path)[1][-1] == 'authentic'


# -- with only the published keys (a saved /.well-known/jwks.json) ---------------------------


@pytest.fixture
def saved_keys(client, issued, tmp_path):
    """The academy's JWKS as anyone can save it from the public address."""
    path = tmp_path / 'academy-keys.json'
    path.write_bytes(client.get('/.well-known/jwks.json').data)
    return path


def test_the_saved_published_keys_are_enough_without_the_key_folder(
    app, runner, issued, saved_keys, tmp_path, monkeypatch
):
    certificate, path = issued
    app.config['CERTIFICATE_KEY_DIR'] = str(tmp_path / 'no-such-folder')

    def no_network(*args, **kwargs):
        raise AssertionError('verify-pdf opened a network connection')

    monkeypatch.setattr(socket.socket, 'connect', no_network)
    monkeypatch.setattr(socket, 'create_connection', no_network)

    result = runner.invoke(
        args=['certificates', 'verify-pdf', '--keys', str(saved_keys), str(path)]
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == 'authentic'
    assert f'serial: {certificate.formatted_serial}' in result.output.splitlines()
    assert not (tmp_path / 'no-such-folder').exists()


def test_a_pdf_signed_with_another_key_fails_against_the_saved_keys(
    runner, issued, saved_keys, tmp_path
):
    stranger = KeyStore(tmp_path / 'stranger', academy_name='Participation Academy').current()
    claims = sample_claims()
    jws = sign_credential(
        build_credential(claims, SERIAL, base_url='https://academy.example.test'),
        stranger,
        base_url='https://academy.example.test',
    )
    forged = tmp_path / 'forged.pdf'
    forged.write_bytes(
        sign_pdf(
            render(claims, SERIAL, URL),
            private_key=stranger.private_key,
            certificate=stranger.certificate,
            credential_jws=jws,
        )
    )

    result = runner.invoke(
        args=['certificates', 'verify-pdf', '--keys', str(saved_keys), str(forged)]
    )

    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert 'not authentic: ' in result.output and 'untrusted certificate' in result.output


@pytest.mark.parametrize(
    ('content', 'words'),
    [
        (None, 'cannot read'),
        (b'<html>not the keys</html>', 'not JSON'),
        (b'{"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "x"}]}', 'no certificate'),
        (b'{"keys": []}', 'no academy keys'),
    ],
)
def test_an_unusable_keys_file_fails_in_one_line(runner, issued, tmp_path, content, words):
    _, path = issued
    keys = tmp_path / 'keys.json'
    if content is not None:
        keys.write_bytes(content)

    result = runner.invoke(args=['certificates', 'verify-pdf', '--keys', str(keys), str(path)])

    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1 and words in result.output, result.output


# -- the README's offline check, run as written on a fresh copy of the project ---------------

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_copy(tmp_path, issued, saved_keys):
    """The project's files in a new folder, as a fresh clone has them: no instance folder,
    no key folder, no database; `.venv` is this test run's environment. The certificate
    and the saved keys sit there under the README's names."""
    copy = tmp_path / 'academy'
    copy.mkdir()
    for name in ('Makefile', 'wsgi.py', 'config.py'):
        shutil.copy2(ROOT / name, copy / name)
    for path in ROOT.glob('requirements*'):  # the Makefile installs from the locks
        shutil.copy2(path, copy / path.name)
    ignore = shutil.ignore_patterns('__pycache__', 'instance')
    for name in ('lms', 'certificates', 'typeset', 'migrations'):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    (copy / '.venv').mkdir()
    (copy / '.venv' / 'bin').symlink_to(Path(sys.prefix) / 'bin', target_is_directory=True)
    (copy / '.venv' / '.installed').touch()  # installed after the requirements were written
    certificate, path = issued
    shutil.copy(path, copy / 'certificate.pdf')
    shutil.copy(saved_keys, copy / 'academy-keys.json')
    return copy


def _readme_commands():
    """The offline check's commands as README.md shows them (all but the download)."""
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    section = readme[readme.index('### Offline, step by step') :]
    section = section[: section.index('\n## ')]
    blocks = re.findall(r'```sh\n(.*?)```', section, flags=re.S)
    commands = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert commands[0].startswith('curl -o academy-keys.json ')
    return commands[1:]


def _run(command, cwd):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ('DATABASE_URL', 'TEST_DATABASE_URL', 'CERTIFICATE_KEY_DIR', 'LMS_ENV')
        and not name.startswith(('FLASK_', 'MAKE'))
    }
    return subprocess.run(
        shlex.split(command), cwd=cwd, env=environment, capture_output=True, text=True, timeout=300
    )


def test_the_readmes_offline_check_works_as_written_on_a_fresh_copy(fresh_copy):
    commands = _readme_commands()
    assert [c.split()[0] for c in commands] == ['make', '.venv/bin/flask']

    for command in commands:
        done = _run(command, fresh_copy)

        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert done.stdout.splitlines()[-1] == 'authentic', command
        assert 'holder: ნინო გელაშვილი / Nino Gelashvili' in done.stdout.splitlines()
    assert not (fresh_copy / 'instance' / 'keys').exists()
    assert not (fresh_copy / 'instance' / 'academy.sqlite').exists()


def test_the_make_target_refuses_a_changed_pdf_and_asks_for_a_file(fresh_copy):
    data = bytearray((fresh_copy / 'certificate.pdf').read_bytes())
    data[len(data) // 2] ^= 0x01
    (fresh_copy / 'changed.pdf').write_bytes(bytes(data))

    changed = _run('make verify-pdf FILE=changed.pdf KEYS=academy-keys.json', fresh_copy)
    no_file = _run('make verify-pdf', fresh_copy)

    assert changed.returncode != 0
    assert changed.stdout.splitlines()[-1].startswith('not authentic: ')
    assert len(changed.stdout.splitlines()) == 1, changed.stdout
    assert no_file.returncode != 0
    assert 'usage: make verify-pdf FILE=' in no_file.stdout
