"""The jobs that deliver the outbox: one per new message, and a sweep every minute."""

from lms import jobs
from lms.extensions import utcnow
from lms.notifications import service


@jobs.task()
def deliver_message(message_id):
    message = service.deliver(message_id)
    if message is not None and message.status == 'pending' and not jobs.huey.immediate:
        # Failed this time: try again when its back-off ends (the sweep would, too).
        wait = (message.next_attempt_at - utcnow()).total_seconds()
        deliver_message.schedule(args=(message_id,), delay=max(wait, 1))


@jobs.task()
def deliver_messages(message_ids):
    """Many messages written together (a chunk of certificates): one task, each message
    delivered (and on failure retried) as deliver_message does it."""
    for message_id in message_ids:
        deliver_message.call_local(message_id)


@jobs.periodic_task(jobs.crontab(minute='*'))
def deliver_due_messages():
    service.deliver_due()
