"""`flask certificates verify-pdf FILE` offline, and `flask certificates rotate-key`.

API.md: exit 0 and `authentic` on the last line; exit 1 and a one-line reason otherwise;
no database and no network.
"""

import io
import socket

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
