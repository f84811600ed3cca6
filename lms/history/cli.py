"""`flask history import FILE [--dry-run]` (API.md): thin over lms.history.service."""

import os

import click
from flask.cli import AppGroup

from lms.errors import Invalid
from lms.extensions import db
from lms.history.service import import_history

history_cli = AppGroup('history', help="The academy's past years, from its spreadsheets.")


def reason(errors):
    """One line's problems as one sentence: `column: message; column: message`."""
    return '; '.join(f'{column}: {str(message).rstrip(".")}' for column, message in errors.items())


@history_cli.command('import')
@click.argument('file', type=click.Path(exists=True, dir_okay=False))
@click.option('--dry-run', is_flag=True, help='Check every line and change nothing.')
def import_command(file, dry_run):
    """Import past years from FILE (.xlsx or UTF-8 .csv): every line or none.

    Prints each bad line as `line N: <reason>` and exits 1; otherwise ends with
    `imported: <o> offerings, <p> people, <e> enrollments, <c> certificates` (on a dry
    run: what importing would create).
    """
    with open(file, 'rb') as fh:
        data = fh.read()

    def progress(done, total):
        click.echo(f'checked {done} of {total} lines', err=True)

    try:
        counts = import_history(
            data, os.path.basename(file), actor=None, dry_run=dry_run, progress=progress
        )
    except Invalid as exc:
        db.session.rollback()
        for row in exc.rows or ():
            click.echo(f'line {row["index"]}: {reason(row["errors"])}')
        click.echo(f'Error: {exc.message}', err=True)
        raise SystemExit(1) from None
    if dry_run:
        db.session.rollback()
        click.echo('dry run: nothing was changed; importing would create:', err=True)
    else:
        db.session.commit()
    click.echo(counts.summary())
