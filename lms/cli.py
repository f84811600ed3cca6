"""Command line: `users create|token [--revoke]`, `demo seed`. Thin over the same services as
the pages."""

import click
from flask import current_app
from flask.cli import AppGroup

from lms.errors import DomainError
from lms.extensions import db
from lms.models import ROLES
from lms.people.service import create_user, find_user_by_email, issue_token, revoke_tokens

users_cli = AppGroup('users', help='Accounts and API tokens.')
demo_cli = AppGroup('demo', help='The demo academy.')


def _fail(exc):
    db.session.rollback()
    details = '; '.join(f'{name}: {message}' for name, message in exc.fields.items())
    raise click.ClickException(f'{exc.message}{" (" + details + ")" if details else ""}')


@users_cli.command('create')
@click.option('--email', required=True)
@click.option('--password', required=True)
@click.option('--role', required=True, type=click.Choice(ROLES))
@click.option('--name-ka', required=True, help='Full name in Georgian.')
@click.option('--name-en', default=None, help='Full name in Latin letters (default: romanised).')
@click.option('--sector', default='other')
def create_user_command(email, password, role, name_ka, name_en, sector):
    """Create a user."""
    try:
        user = create_user(
            {
                'email': email,
                'password': password,
                'role': role,
                'full_name_ka': name_ka,
                'full_name_en': name_en,
                'sector': sector,
            },
            actor=None,
        )
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f'Created {user.role} {user.email} (id {user.id}, {user.full_name_en}).')


@users_cli.command('token')
@click.argument('email')
@click.option('--name', default='', help='What the token is for.')
@click.option('--revoke', is_flag=True, help='Revoke every active token of EMAIL instead.')
def token_command(email, name, revoke):
    """Print a new API token for EMAIL on the last line (or, with --revoke, revoke them all)."""
    if revoke and name:
        raise click.UsageError('--revoke revokes every token of the user; it takes no --name.')
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f'No user with e-mail {email}.')
    if revoke:
        count = revoke_tokens(user, actor=None)
        db.session.commit()
        click.echo(f'Revoked {count} API token{"" if count == 1 else "s"} of {user.email}.')
        return
    if not user.is_active:
        # Its token would be refused on every call: say so now rather than print a dud.
        raise click.ClickException(f'The account {user.email} is deactivated; activate it first.')
    plain = issue_token(user, name=name)
    db.session.commit()
    days = current_app.config['API_TOKEN_DAYS']
    lasting = f'it works for {days} days' if days else 'it does not expire'
    click.echo(f'New API token for {user.email} ({lasting}; shown once, keep it safe):', err=True)
    click.echo(plain)  # the last line, nothing else on it (API.md)


@demo_cli.command('seed')
def seed_command():
    """Load the demo academy (idempotent). Refused in production."""
    from lms.demo import seed

    if current_app.config.get('ENV_NAME') == 'production':
        raise click.ClickException(
            'The demo academy is not loaded in production (LMS_ENV=production): its '
            'people, certificates and passwords are made up.'
        )
    summary = seed(echo=click.echo)
    db.session.commit()
    for line in summary:
        click.echo(line)


@click.command('backup')
@click.option(
    '--to',
    'destination',
    type=click.Path(),
    default=None,
    help='A file or a folder (default: instance/backups/).',
)
def backup_command(destination):
    """Back up the database and the signing keys into one .tar.gz file."""
    from lms.backup import BackupError, backup

    try:
        path = backup(destination)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f'backup: {path}')


@click.command('restore')
@click.argument('archive', type=click.Path(exists=True, dir_okay=False))
@click.option('--force', is_flag=True, help='Replace a database that holds data, and keys.')
def restore_command(archive, force):
    """Restore the database and the signing keys from a backup file."""
    from lms.backup import BackupError, restore

    try:
        manifest = restore(archive, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f'restored: the {manifest["database"]} database of {manifest["created_at"]} and '
        f'{sum(1 for m in manifest["files"] if m.startswith("keys/"))} key files'
    )
