"""The periodic job of the seat machinery (lms.enrollments.seats): offers whose time has
passed are lapsed and their seats offered to the next on the waitlist."""

from lms import jobs
from lms.enrollments import seats
from lms.extensions import db


def lapse_offers(now=None):
    """Lapse expired seat offers and offer the seats on; commits; returns how many lapsed."""
    lapsed = seats.lapse_expired_offers(now)
    db.session.commit()
    jobs.run_deferred()  # immediate mode: the e-mails this queued, now
    return lapsed


@jobs.periodic_task(jobs.crontab(minute='*/5'))
def lapse_seat_offers():
    lapse_offers()
