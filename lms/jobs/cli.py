"""`flask --app wsgi worker`: run background jobs (Huey's consumer, inside this app)."""

import click

from lms import jobs


@click.command('worker')
@click.option('--workers', '-w', default=2, show_default=True, help='How many at once.')
@click.option(
    '--type',
    'worker_type',
    type=click.Choice(['process', 'thread']),
    default='process',
    show_default=True,
    help='Processes use every core (issuing is CPU work); threads are lighter.',
)
def worker_command(workers, worker_type):
    """Run the job worker: issuing, ZIPs, e-mail delivery and the periodic sweeps."""
    if jobs.huey.immediate:
        raise click.ClickException('JOBS_IMMEDIATE is set: jobs run in the web process.')
    click.echo(f'Worker: {workers} × {worker_type} on {jobs.describe_queue()}', err=True)
    consumer = jobs.huey.create_consumer(
        workers=workers, worker_type=worker_type, periodic=True, check_worker_health=True
    )
    consumer.run()
