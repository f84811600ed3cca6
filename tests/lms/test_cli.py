"""`flask users create` and `flask users token [--revoke]`, as API.md fixes them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from config import TestConfig
from lms import create_app
from lms.extensions import db as _db
from lms.models import ApiToken, AuditEntry, User
from lms.people.service import authenticate

ROOT = Path(__file__).resolve().parents[2]


def create(runner, *options):
    return runner.invoke(args=['users', 'create', *options])


def _users(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_users_create_makes_an_account_that_can_log_in(runner, db):
    result = create(
        runner, '--email', 'Nino@Example.ge', '--password', 'long enough', '--role', 'trainer',
        '--name-ka', 'ნინო ბერიძე',
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == 'nino@example.ge'))
    assert (user.role, user.full_name_ka, user.full_name_en) == (
        'trainer',
        'ნინო ბერიძე',
        'Nino Beridze',
    )
    assert authenticate('nino@example.ge', 'long enough') is user
    assert 'nino@example.ge' in result.output


def test_users_create_keeps_the_latin_name_it_is_given(runner, db):
    result = create(
        runner, '--email', 'admin@example.ge', '--password', 'long enough', '--role', 'admin',
        '--name-ka', 'ქეთევან წიკლაური', '--name-en', 'Keti Tsiklauri',
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.role, user.full_name_en) == ('admin', 'Keti Tsiklauri')


def test_users_create_refuses_an_unknown_role_and_saves_nothing(runner, db):
    result = create(
        runner, '--email', 'a@example.ge', '--password', 'long enough', '--role', 'root',
        '--name-ka', 'ანა',
    )  # fmt: skip
    assert result.exit_code != 0
    assert "Invalid value for '--role'" in result.output
    assert 'admin' in result.output and 'participant' in result.output
    assert _users(db) == 0


def test_users_create_refuses_a_taken_email_and_saves_nothing(runner, db, create_user):
    create_user(email='nino@example.ge')
    db.session.commit()
    result = create(
        runner, '--email', 'NINO@example.ge', '--password', 'long enough', '--role', 'admin',
        '--name-ka', 'ნინო',
    )  # fmt: skip
    assert result.exit_code == 1
    assert str(_l('This e-mail address is already registered.')) in result.output
    assert 'Traceback' not in result.output
    assert _users(db) == 1
    assert db.session.scalar(select(User)).role == 'participant'


def test_users_create_refuses_a_short_password_and_saves_nothing(runner, db):
    result = create(
        runner, '--email', 'a@example.ge', '--password', 'short', '--role', 'admin',
        '--name-ka', 'ანა',
    )  # fmt: skip
    assert result.exit_code == 1
    assert 'password' in result.output
    assert _users(db) == 0


def test_users_create_needs_every_required_option(runner, db):
    result = create(runner, '--email', 'a@example.ge', '--role', 'admin', '--name-ka', 'ანა')
    assert result.exit_code != 0
    assert '--password' in result.output
    assert _users(db) == 0


def test_users_token_prints_the_token_alone_on_the_last_line(runner, client, db, create_user):
    user = create_user(email='nino@example.ge', role='trainer')
    db.session.commit()
    result = runner.invoke(args=['users', 'token', 'nino@example.ge'])
    assert result.exit_code == 0, result.output
    token = result.output.splitlines()[-1]
    assert token == token.strip() and ' ' not in token
    assert result.stdout.splitlines()[-1] == token
    response = client.get('/api/v1/me', headers={'Authorization': f'Bearer {token}'})
    assert response.status_code == 200
    assert response.json['email'] == 'nino@example.ge'
    assert db.session.scalar(select(ApiToken)).user_id == user.id


def test_users_token_refuses_an_unknown_email(runner, db):
    result = runner.invoke(args=['users', 'token', 'nobody@example.ge'])
    assert result.exit_code == 1
    assert 'No user with e-mail nobody@example.ge.' in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_users_token_refuses_a_deactivated_account(runner, db, create_user):
    create_user(email='former@example.ge', is_active=False)
    db.session.commit()
    result = runner.invoke(args=['users', 'token', 'former@example.ge'])
    assert result.exit_code == 1
    assert 'deactivated' in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def _active_tokens(db, user):
    return db.session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )


def test_users_token_revoke_revokes_every_active_token_and_says_how_many(
    runner, client, db, create_user
):
    user = create_user(email='nino@example.ge')
    other = create_user(email='other@example.ge')
    db.session.commit()
    tokens = [runner.invoke(args=['users', 'token', e]).output.splitlines()[-1] for e in (
        'nino@example.ge', 'nino@example.ge', 'other@example.ge'
    )]  # fmt: skip
    result = runner.invoke(args=['users', 'token', 'NINO@example.ge', '--revoke'])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == 'Revoked 2 API tokens of nino@example.ge.'
    db.session.expire_all()
    assert (_active_tokens(db, user), _active_tokens(db, other)) == (0, 1)
    for token, status in zip(tokens, (401, 401, 200), strict=True):
        headers = {'Authorization': f'Bearer {token}'}
        assert client.get('/api/v1/me', headers=headers).status_code == status
    revoked = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == 'token.revoked')
    ).all()
    assert [(e.object_id, e.actor_id) for e in revoked] == [(user.id, None), (user.id, None)]

    again = runner.invoke(args=['users', 'token', 'nino@example.ge', '--revoke'])
    assert again.exit_code == 0
    assert again.output.splitlines()[-1] == 'Revoked 0 API tokens of nino@example.ge.'


def test_users_token_revoke_refuses_an_unknown_email(runner, db):
    result = runner.invoke(args=['users', 'token', 'nobody@example.ge', '--revoke'])
    assert result.exit_code == 1
    assert 'No user with e-mail nobody@example.ge.' in result.output


def test_users_token_revoke_takes_no_name_lest_it_seem_to_revoke_only_that_one(
    runner, db, create_user
):
    user = create_user(email='nino@example.ge')
    db.session.commit()
    runner.invoke(args=['users', 'token', 'nino@example.ge', '--name', 'HR'])
    result = runner.invoke(args=['users', 'token', 'nino@example.ge', '--revoke', '--name', 'HR'])
    assert result.exit_code == 2
    assert 'takes no --name' in result.output
    assert _active_tokens(db, user) == 1


@pytest.fixture
def shell_env(tmp_path):
    """The environment of a fresh checkout: a SQLite file of its own, nothing else set."""
    env = {k: v for k, v in os.environ.items() if k not in ('LMS_ENV', 'TEST_DATABASE_URL')}
    env.update(
        DATABASE_URL=f'sqlite:///{tmp_path / "academy.sqlite"}',
        SECRET_KEY='cli-test',
        CERTIFICATE_KEY_DIR=str(tmp_path / 'keys'),
    )
    return env


def flask(env, *args):
    """Run `flask --app wsgi ARGS`; stdout and stderr interleaved as a terminal shows them."""
    command = [sys.executable, '-m', 'flask', '--app', 'wsgi', *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_the_real_command_line_creates_a_user_whose_token_opens_the_api(shell_env, tmp_path):
    """README's three commands in a shell: upgrade, create, token; then the token is used."""
    assert flask(shell_env, 'db', 'upgrade').returncode == 0
    created = flask(
        shell_env, 'users', 'create', '--email', 'admin@example.ge', '--password', 'long enough',
        '--role', 'admin', '--name-ka', 'ნინო ბერიძე',
    )  # fmt: skip
    assert created.returncode == 0, created.stdout
    issued = flask(shell_env, 'users', 'token', 'admin@example.ge')
    assert issued.returncode == 0, issued.stdout
    token = issued.stdout.splitlines()[-1]
    assert token.startswith('lms_') and ' ' not in token

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=shell_env['DATABASE_URL'])
    with app.app_context():
        response = app.test_client().get('/api/v1/me', headers={'Authorization': f'Bearer {token}'})
        _db.engine.dispose()
    assert response.status_code == 200
    assert response.json['full_name_en'] == 'Nino Beridze'
