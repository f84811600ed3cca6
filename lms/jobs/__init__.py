"""Background jobs on Huey: long work runs off the request, on a worker.

Why Huey: one small, maintained library that has both queues this academy needs, with the
same task code: a SQLite file in the instance folder when nothing else is configured (so
`make run` needs no other service: it starts a worker beside the web server), and Redis
(`REDIS_URL`) in production, where several worker processes on several machines share
it. It runs periodic tasks too (mail retries, lapsed seat offers) without cron, and its
immediate mode runs tasks in-process for the tests.

    from lms import jobs

    @jobs.task()
    def deliver(message_id): ...          # runs inside an app context, on a worker

    jobs.submit(deliver, message.id)      # queued once the request's transaction commits

A task is handed to the queue only after the transaction that asked for it commits, so a
worker never looks for a row that is not there yet, and a rolled-back request starts
nothing. The rows (outbox messages, jobs) are the truth; a task is only the nudge that
gets them done, and a periodic sweep picks up anything a lost nudge left behind.

Settings: JOBS_IMMEDIATE runs each task in-process right after the commit (tests);
REDIS_URL chooses Redis; JOBS_SQLITE_PATH moves the SQLite queue (default
instance/jobs.sqlite); JOBS_QUEUE names the queue (default `academy`), so that several
academies, or test runs, can share one Redis. `flask --app wsgi worker` runs a worker
(lms/jobs/cli.py).
"""

import functools
import importlib
import logging
import os
import threading

from flask import current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import db

logger = logging.getLogger('lms.jobs')

#: One queue for the whole process; `configure` points it at Redis or SQLite, or makes it
#: immediate. Tasks are bound to it when their modules are imported.
huey = Huey('academy', results=False, utc=True, storage_class=MemoryStorage)

#: Modules whose tasks the worker must know; `configure` imports them.
TASK_MODULES = (
    'lms.notifications.tasks',
    'lms.people.tasks',
    'lms.enrollments.tasks',
    'lms.jobs.tasks',
    'lms.awarding.jobs',
    'lms.history.jobs',
    'lms.statistics.tasks',
)

_PENDING = 'lms.jobs.pending'
_state = threading.local()
_app = None

__all__ = ['crontab', 'huey', 'periodic_task', 'run_deferred', 'submit', 'task']


def configure(app):
    """Point the queue where the app's settings say; remember the app for the worker."""
    global _app
    _app = app
    for name in TASK_MODULES:
        importlib.import_module(name)
    if app.config.get('JOBS_IMMEDIATE'):
        huey.immediate = True
        return
    huey.immediate = False
    huey.name = app.config.get('JOBS_QUEUE') or 'academy'
    redis_url = app.config.get('REDIS_URL')
    if redis_url:
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {'url': redis_url}
    else:
        path = app.config.get('JOBS_SQLITE_PATH') or os.path.join(app.instance_path, 'jobs.sqlite')
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {'filename': path}
    huey.storage = huey.create_storage()


def describe_queue():
    """Where the queue is, for people (no password)."""
    storage = huey.storage
    if isinstance(storage, RedisStorage):
        kwargs = storage.conn.connection_pool.connection_kwargs
        return f'Redis {kwargs.get("host")}:{kwargs.get("port")}/{kwargs.get("db", 0)}'
    if isinstance(storage, SqliteStorage):
        return f'SQLite {storage.filename}'
    return type(storage).__name__


@huey.on_startup()
def _fresh_connections():
    """A worker process forked from the app must not share the parent's DB connections."""
    if _app is not None:
        with _app.app_context():
            db.engine.dispose(close=False)


def _in_app_context(func):
    """Run `func` inside an app context of its own, with a session of its own.

    In a worker that is the app `configure` saw; in-process (immediate mode) the app of the
    request that queued it, in a fresh context, so the task's session is not the
    request's.
    """

    @functools.wraps(func)
    def run(*args, **kwargs):
        app = current_app._get_current_object() if has_app_context() else _app
        if app is None:
            raise RuntimeError('The job queue has no app: call lms.jobs.configure(app) first.')
        with app.app_context():
            try:
                return func(*args, **kwargs)
            except BaseException:
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    return run


def task(**options):
    """A Huey task that runs in an app context (Huey's options: retries, retry_delay...)."""

    def decorator(func):
        return huey.task(name=f'{func.__module__}.{func.__name__}', **options)(
            _in_app_context(func)
        )

    return decorator


def periodic_task(schedule, **options):
    """A Huey periodic task that runs in an app context; `schedule` is a huey.crontab."""

    def decorator(func):
        return huey.periodic_task(schedule, name=f'{func.__module__}.{func.__name__}', **options)(
            _in_app_context(func)
        )

    return decorator


def submit(task_function, *args, **kwargs):
    """Queue `task_function(*args)` once the current transaction commits (never on rollback)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, too, ends the transaction this belongs to
    session.info.setdefault(_PENDING, []).append(task_function.s(*args, **kwargs))


def run_deferred():
    """In immediate mode, run the tasks whose transactions have committed (in this thread).

    The request's transaction boundary calls this after its commit, and so does anything
    else that commits and wants its tasks run now (commands, tests). Outside immediate
    mode tasks were queued at the commit and this does nothing.
    """
    ready = getattr(_state, 'ready', None)
    while ready:
        huey.enqueue(ready.pop(0))


@event.listens_for(Session, 'after_commit')
def _queue_committed(session):
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if huey.immediate:
        # Not here, inside the commit of the session the task would share: afterwards.
        if getattr(_state, 'ready', None) is None:
            _state.ready = []
        _state.ready.extend(pending)
        return
    for item in pending:
        try:
            huey.enqueue(item)
        except Exception:
            # The rows it was about stand; the periodic sweep will find them.
            logger.exception('Could not queue %s; the periodic sweep will pick it up', item.name)


@event.listens_for(Session, 'after_soft_rollback')
def _forget_pending(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
