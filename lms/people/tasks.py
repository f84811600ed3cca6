"""People's jobs: the password reset e-mail, sent off the request that asked for it; and
once a day, the removal of rejected applications past their retention and of
registrations whose link has expired (lms/people/registration.py).

The reset form answers the same page at once whether or not the address belongs to an
account: all it does is queue `send_password_reset`, which looks the address up on a
worker. The request takes the same time either way, and an unknown address writes
nothing.
"""

from lms import jobs
from lms.extensions import db
from lms.people import privacy, registration, service


def request_password_reset(email):
    """Queue the reset e-mail for `email` (after the request's commit)."""
    jobs.submit(send_password_reset, (email or '').strip().lower())


@jobs.task()
def send_password_reset(email):
    if service.send_password_reset(email) is not None:
        db.session.commit()


@jobs.periodic_task(jobs.crontab(hour='3', minute='17'))
def daily_removals():
    privacy.remove_old_rejections()
    registration.remove_expired_registrations()
    db.session.commit()
